# Glidepath: progressive delivery of plain Deployments.
MVN ?= ./mvnw -q -B

.PHONY: test demo bench run crds build image clean

## Run the whole test suite (unit, integration against the sandbox API, CRD checks).
test:
	$(MVN) verify

## Run the operator on an embedded sandbox API with a workload simulator and print a timeline.
demo:
	$(MVN) test-compile
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.sandbox.Demo

## Create, update and idle 100 then 1000 Releases in the sandbox and report the figures.
bench:
	$(MVN) test-compile
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.sandbox.Bench

## Run the operator against the cluster of the current kubeconfig (install the CRDs first: kubectl apply -f crds/).
run:
	$(MVN) package -DskipTests
	java -jar target/quarkus-app/quarkus-run.jar

## Regenerate crds/ from the API classes.
crds:
	$(MVN) test-compile
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.api.CrdGeneration -Dexec.args=crds

build:
	$(MVN) package -DskipTests

clean:
	$(MVN) clean
