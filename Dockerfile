# The Glidepath operator image, JVM mode. Build with `make image` (needs a Docker engine).
# Minimal, non-root base: distroless Java 17 (no shell, no package manager), user 65532.
FROM gcr.io/distroless/java17-debian12:nonroot
WORKDIR /app
COPY --chown=65532:65532 target/quarkus-app/lib/ /app/lib/
COPY --chown=65532:65532 target/quarkus-app/*.jar /app/
COPY --chown=65532:65532 target/quarkus-app/app/ /app/app/
COPY --chown=65532:65532 target/quarkus-app/quarkus/ /app/quarkus/
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/app/quarkus-run.jar"]
