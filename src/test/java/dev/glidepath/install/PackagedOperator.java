package dev.glidepath.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The packaged operator (target/quarkus-app, what the image runs) in a JVM of its own, pointed at a sandbox
 * API, so that a test can send it SIGTERM as the kubelet does and watch the process end. `make test` packages
 * the application before the tests run; a package missing or older than the sources (src/main, pom.xml)
 * skips the tests that need it, except under CI (GLIDEPATH_CI=1), where it fails them.
 */
public final class PackagedOperator implements AutoCloseable {
    static final Path APP = Path.of("target/quarkus-app");

    private final String identity;
    private final Process process;
    private final Path log;

    private PackagedOperator(String identity, Process process, Path log) {
        this.identity = identity;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a replica with leader election on, its Lease in {@code leaseNamespace}, under {@code identity}
     * (the pod name, which Kubernetes gives the process as HOSTNAME).
     */
    static PackagedOperator startReplica(Sandbox sandbox, String identity, String leaseNamespace) {
        return launch(identity, List.of(
                "-Dquarkus.kubernetes-client.api-server-url=" + sandbox.url(),
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-Dquarkus.http.port=0",
                "-Dglidepath.leader-election.enabled=true",
                "-Dglidepath.leader-election.namespace=" + leaseNamespace), Map.of());
    }

    /**
     * Starts one operator (no leader election) that finds its API in {@code kubeconfig}, as it would in a
     * cluster's pod with a mounted kubeconfig, with the given JVM options (a heap size, say).
     */
    public static PackagedOperator start(String identity, Path kubeconfig, List<String> jvmOptions) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dquarkus.http.port=0");
        return launch(identity, options, Map.of("KUBECONFIG", kubeconfig.toAbsolutePath().toString()));
    }

    private static PackagedOperator launch(String identity, List<String> jvmOptions, Map<String, String> environment) {
        try {
            Path logs = Files.createDirectories(Path.of("target", "packaged-operator"));
            Path log = Files.createTempFile(logs, identity + "-", ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", APP.resolve("quarkus-run.jar").toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("HOSTNAME", identity);
            builder.environment().remove("KUBECONFIG");
            builder.environment().putAll(environment);
            return new PackagedOperator(identity, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The package exists and is not older than the sources it is built from. */
    public static void requirePackage() {
        boolean current = isCurrent();
        String why = "no current package in " + APP + ": run `./mvnw package -DskipTests` first (`make test` does)";
        if ("1".equals(System.getenv("GLIDEPATH_CI"))) {
            assertThat(current).as(why).isTrue();
        }
        Assumptions.assumeTrue(current, why);
    }

    /** The package exists and is at least as new as the sources (src/main, pom.xml). */
    public static boolean isCurrent() {
        try (Stream<Path> appJars = Files.list(APP.resolve("app"));
                Stream<Path> sources = Stream.concat(Files.walk(Path.of("src/main")), Stream.of(Path.of("pom.xml")))) {
            FileTime packaged = appJars.filter(p -> p.toString().endsWith(".jar")).map(PackagedOperator::modified)
                    .max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
            FileTime edited = sources.filter(Files::isRegularFile).map(PackagedOperator::modified)
                    .max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
            return Files.exists(APP.resolve("quarkus-run.jar")) && packaged.compareTo(edited) >= 0;
        } catch (IOException | UncheckedIOException missing) {
            return false;
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operating system's process id, for jcmd and /proc. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    String identity() {
        return identity;
    }

    /** SIGTERM, what the kubelet sends first when it stops a pod. */
    void terminate() {
        process.destroy();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Everything the process printed so far (kept in target/packaged-operator/ after the test). */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
