# Glidepath: progressive delivery of plain Deployments.
MVN ?= ./mvnw -q -B

.PHONY: test test-summary deps demo bench bench-analysis run crds manifests build cli image clean

## Run the whole test suite (unit, integration against the sandbox API, real-Prometheus end to end, CRD checks)
## and print one line with the counts. The application is packaged first: the high-availability test runs the
## packaged operator in processes of its own and stops them with SIGTERM.
test: deps
	@rm -rf target/surefire-reports target/failsafe-reports
	@echo "$(MVN) package -DskipTests && $(MVN) verify"; \
	status=0; $(MVN) package -DskipTests && $(MVN) verify || status=$$?; \
	$(MAKE) --no-print-directory test-summary; \
	exit $$status

## One line summing the test reports of the last run (surefire and failsafe): tests, failures, errors, skipped.
test-summary:
	@cat target/surefire-reports/TEST-*.xml target/failsafe-reports/TEST-*.xml 2>/dev/null | awk ' \
		function count(name) { \
			if (!match(head, "[ \t]" name "=\"[0-9]+\"")) return 0; \
			v = substr(head, RSTART, RLENGTH); gsub(/[^0-9]/, "", v); return v + 0 \
		} \
		/<testsuite[ \t>]/ { head = $$0; t += count("tests"); f += count("failures"); e += count("errors"); \
			s += count("skipped"); n++ } \
		END { \
			if (n == 0) { print "Tests: no test reports in target/surefire-reports or target/failsafe-reports"; exit } \
			printf "Tests run: %d, Failures: %d, Errors: %d, Skipped: %d (%d test classes) %s\n", t, f, e, s, n, \
				(f + e > 0 ? "FAILED" : "passed") \
		}'

## What the tests need besides the JDK: Debian's prometheus (end-to-end analysis tests), lua5.4
## (the Argo CD health check) and chromium with chromium-driver (the dashboard's browser test), installed
## when missing and running as root; without them those tests are skipped, except under CI (GLIDEPATH_CI=1).
deps:
	@missing=""; \
	command -v prometheus >/dev/null 2>&1 || missing="$$missing prometheus"; \
	command -v lua5.4 >/dev/null 2>&1 || missing="$$missing lua5.4"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/bin/chromedriver ] || missing="$$missing chromium-driver"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing$$missing (Debian packages) for the tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## Run the operator on an embedded sandbox API with a workload simulator and print a timeline.
demo:
	$(MVN) test-compile
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.sandbox.Demo

## Create, update and idle 1000, 5000 and 10000 Releases (BENCH_SIZES) against the scale API, the packaged operator in a JVM
## of its own (-Xmx3g) measured from outside, and report the figures; then time kubectl glidepath list over 1000.
bench:
	$(MVN) package -DskipTests
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.sandbox.Bench
	$(MAKE) cli
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.sandbox.CliBench

## Breach-to-revert latency and false reverts against a real Prometheus (needs Debian's prometheus): fixed thresholds, then
## the fixed threshold and the statistical judge side by side (sizes: JUDGE_* variables, see JudgeBench).
bench-analysis: deps
	$(MVN) test-compile
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.sandbox.AnalysisBench
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.sandbox.JudgeBench

## Run the operator against the cluster of the current kubeconfig (install the CRDs first: kubectl apply -f crds/).
run:
	$(MVN) package -DskipTests
	java -jar target/quarkus-app/quarkus-run.jar

## Regenerate crds/ from the API classes.
crds:
	$(MVN) test-compile
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.api.CrdGeneration -Dexec.args=crds
	cp crds/*.yml helm/glidepath/crds/
	cp crds/*.yml deploy/crds/

## Regenerate deploy/glidepath.yaml from the Helm chart's defaults.
manifests:
	$(MVN) test-compile
	$(MVN) exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.glidepath.install.Manifests

build:
	$(MVN) package -DskipTests

## Build kubectl-glidepath (bin/kubectl-glidepath runs it from the packaged jars): put bin/ on the PATH.
cli: build
	rm -f target/quarkus-app/kubectl-glidepath.jsa
	GLIDEPATH_CLI_JAVA_OPTS="-XX:ArchiveClassesAtExit=target/quarkus-app/kubectl-glidepath.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" bin/kubectl-glidepath warmup
	@echo "kubectl-glidepath is ready: export PATH=\"$(CURDIR)/bin:\$$PATH\"; kubectl glidepath list"

IMAGE ?= ghcr.io/glidepath/glidepath:0.1.0
## Build the operator image (JVM mode) from the packaged application; needs a Docker engine.
image: build
	docker build -t $(IMAGE) .

clean:
	$(MVN) clean
