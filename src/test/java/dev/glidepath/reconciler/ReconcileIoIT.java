package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.credentials.CredentialCheck;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.sandbox.FakePrometheus.Answer;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the reconcile thread no longer waits for: Prometheus answers, and a Secret read in every reconcile. */
class ReconcileIoIT extends FakePrometheusTest {

    Release canary(String name, CanaryStep... steps) {
        Release r = Releases.canary(NS, name, name + ":1", 2, steps);
        r.getSpec().analysis = Analyses.of(prometheus.address(), "200ms", Analyses.errorRate("1m", 0.05));
        r.getSpec().analysis.prometheus.timeout = "5s";
        return r;
    }

    /** The longest reconcile since the last reset, through JOSDK's metrics hook. */
    static final class LongestReconcile implements Metrics {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
            long start = System.nanoTime();
            try {
                return execution.execute();
            } finally {
                nanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            }
        }
    }

    @Test
    void aSlowPrometheusHoldsNoReconcileThreadAndItsBreachStillReverts() {
        LongestReconcile longest = new LongestReconcile();
        operator.stop();
        operator = OperatorHarness.start(sandbox.newClient(), Clock.systemUTC(), longest);
        create(canary("slow", CanaryStep.weight(50), CanaryStep.pause(null)));
        awaitPhase("slow", "Healthy");
        update("slow", "slow:2");
        awaitRelease("slow", "paused at step 1", x -> Integer.valueOf(1).equals(x.getStatus().currentStep)
                && "Paused".equals(x.getStatus().phase));
        var selectors = selectorHistory("slow");
        int before = prometheus.queries().size();
        errorRate.set(Answer.value(0.42).late(3000));
        await().atMost(Duration.ofSeconds(5)).until(() -> prometheus.queries().size() > before); // the breaching round is in flight
        longest.nanos.set(0);
        long start = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).until(() -> selectors.stream().anyMatch(s -> "1".equals(s.get("glidepath.dev/revision"))));
        Duration toStable = Duration.ofNanos(System.nanoTime() - start);
        Release reverted = awaitPhase("slow", "Degraded");
        Duration longestReconcile = Duration.ofNanos(longest.nanos.get());
        System.out.printf("Prometheus answering in 3 s: revert %d ms after the round went out; longest reconcile meanwhile %d ms%n",
                toStable.toMillis(), longestReconcile.toMillis());
        assertThat(toStable).as("the breach measured by that round reverts when its answer is in")
                .isBetween(Duration.ofMillis(2000), Duration.ofMillis(5000));
        assertThat(longestReconcile).as("no reconcile waited for Prometheus").isPositive().isLessThan(Duration.ofMillis(1000));
        assertThat(reverted.getStatus().message).contains("AnalysisFailed").contains("0.42");
        assertThat(prometheus.queries().size() - before).as("one round in flight at a time").isEqualTo(1);
    }

    @Test
    void aSecretAReleaseNamesIsReadOncePerCacheTtlNotInEveryReconcile() {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("prom-auth")
                .addToLabels(CredentialCheck.LABEL, "true").endMetadata()
                .addToData("token", "czNjcjN0").build()).create();
        Release r = canary("cached", CanaryStep.weight(50), CanaryStep.pause("2s"));
        r.getSpec().analysis.prometheus.secretName = "prom-auth";
        create(r);
        awaitPhase("cached", "Healthy");
        update("cached", "cached:2");
        awaitRelease("cached", "done", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase));
        // A round every 200 ms through a 2 s pause: a dozen reconciles or more, within one 30 s cache TTL.
        assertThat(prometheus.queries()).hasSizeGreaterThan(5);
        assertThat(prometheus.authorizations()).allSatisfy(a -> assertThat(a).isEqualTo("Bearer s3cr3t"));
        assertThat(sandbox.requests().count(e -> e.method().equals("GET") && e.path().endsWith("/secrets/prom-auth")))
                .isEqualTo(1);
    }

    @Test
    void everyRoundIsRecordedOnceInTheEvidence() {
        Release r = canary("once", CanaryStep.weight(50), CanaryStep.pause("1s"));
        r.getSpec().analysis.interval = "400ms";
        create(r);
        awaitPhase("once", "Healthy");
        update("once", "once:2");
        awaitRelease("once", "done", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase));
        List<String> times = lastRollout("once").getStatus().analysis.get(0).measurements.stream().map(m -> m.time).toList();
        assertThat(times).as("fewer than the 10 kept").hasSizeBetween(3, 9).doesNotHaveDuplicates().isSorted();
        assertThat(prometheus.queries()).as("one query per recorded round").hasSize(times.size());
    }
}
