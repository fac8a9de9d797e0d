package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.PostPromotionSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.sandbox.RealPrometheus;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.SimulatedGateway;
import dev.glidepath.sandbox.SyntheticTraffic;
import dev.glidepath.sandbox.SyntheticTraffic.Behaviour;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Prometheus (1s scrape) scraping synthetic request series per revision. Skipped
 * where Prometheus is not installed, except under CI (GLIDEPATH_CI=1), where it fails.
 */
class PrometheusE2EIT extends SandboxTest {
    static final Behaviour HEALTHY = new Behaviour(50, 0.01, 0.08, 0.0);
    static final Behaviour FAILING = new Behaviour(50, 0.5, 0.08, 0.0);

    static SyntheticTraffic traffic;
    static RealPrometheus prometheus;

    @BeforeAll
    static void startPrometheus() throws Exception {
        requirePrometheus();
        traffic = new SyntheticTraffic();
        prometheus = RealPrometheus.start(traffic.target());
        traffic.set(NS, "probe", 1, HEALTHY);
        prometheus.awaitSample("rate(http_requests_total{glidepath_dev_release=\"probe\"}[5s])", Duration.ofSeconds(30));
    }

    static void requirePrometheus() {
        boolean installed = RealPrometheus.binary().isPresent();
        if ("1".equals(System.getenv("GLIDEPATH_CI"))) {
            assertThat(installed).as("prometheus must be installed under CI (apt-get install prometheus)").isTrue();
        }
        Assumptions.assumeTrue(installed, "prometheus is not installed; `make test` installs it where it can");
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (traffic != null) {
            traffic.close();
        }
    }

    static AnalysisSpec analysis(String address) {
        AnalysisSpec a = Analyses.of(address, "1s", Analyses.errorRate("5s", 0.05), Analyses.p99Latency("5s", 0.5));
        a.inconclusiveLimit = 8;
        return a;
    }

    @Test
    void aHealthyCanaryIsPromoted() {
        traffic.set(NS, "fine", 1, HEALTHY);
        traffic.set(NS, "fine", 2, HEALTHY);
        Release r = Releases.canary(NS, "fine", "fine:1", 2, CanaryStep.weight(50), CanaryStep.pause("1s"));
        r.getSpec().analysis = analysis(prometheus.address());
        create(r);
        awaitPhase("fine", "Healthy");
        update("fine", "fine:2");
        await().atMost(Duration.ofSeconds(45)).until(() -> {
            Release x = get("fine");
            return Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase);
        });
        var evidence = lastRollout("fine").getStatus().analysis;
        assertThat(evidence).extracting(m -> m.name).containsExactly("error-rate", "p99-latency");
        assertThat(evidence.get(0).measurements).last().satisfies(m -> {
            assertThat(m.verdict).isEqualTo("Pass");
            assertThat(m.value).isBetween(0.0, 0.05);
        });
        assertThat(evidence.get(1).measurements).last().satisfies(m -> assertThat(m.value).isBetween(0.05, 0.1));
    }

    @Test
    void aCanaryWhoseErrorRateJumpsMidRolloutIsReverted() {
        traffic.set(NS, "jump", 1, HEALTHY);
        traffic.set(NS, "jump", 2, HEALTHY);
        Release r = Releases.canary(NS, "jump", "jump:1", 4, CanaryStep.weight(25), CanaryStep.pause(null));
        r.getSpec().analysis = analysis(prometheus.address());
        create(r);
        awaitPhase("jump", "Healthy");
        update("jump", "jump:2");
        await().atMost(Duration.ofSeconds(45)).until(() -> "Paused".equals(get("jump").getStatus().phase));
        traffic.set(NS, "jump", 2, FAILING);
        await().atMost(Duration.ofSeconds(30)).until(() -> "Degraded".equals(get("jump").getStatus().phase));
        Rollout rollout = lastRollout("jump");
        assertThat(rollout.getStatus().phase).isEqualTo("RolledBack");
        assertThat(rollout.getStatus().message).contains("error-rate").contains("above max 0.05");
        await().atMost(Duration.ofSeconds(5)).until(() -> replicasByRevision("jump").equals(Map.of(1, 4, 2, 0)));
    }

    @Test
    void aFivePercentCanaryThroughARouteFailingHalfItsRequestsIsRevertedAndUsersSawAtMostTwoAndAHalfPercentErrors()
            throws Exception {
        Behaviour clean = new Behaviour(100, 0.0, 0.08, 0.0);
        traffic.set(NS, "routed", 1, clean);
        traffic.set(NS, "routed", 2, new Behaviour(100, 0.5, 0.08, 0.0));
        // Revision 2 receives nothing until a route sends it some.
        traffic.share(NS, "routed", 2, 0);
        client.resource(Releases.httpRoute(NS, "routed", "routed")).create();
        try (SimulatedGateway gateway = new SimulatedGateway(client, NS, traffic)) {
            Release r = Releases.routed(Releases.canary(NS, "routed", "routed:1", 3, CanaryStep.weight(5), CanaryStep.pause(null)),
                    "routed");
            r.getSpec().analysis = analysis(prometheus.address());
            create(r);
            awaitPhase("routed", "Healthy");
            update("routed", "routed:2");
            await().atMost(Duration.ofSeconds(45)).until(() -> "Degraded".equals(get("routed").getStatus().phase));
            Rollout rollout = lastRollout("routed");
            assertThat(rollout.getStatus().phase).isEqualTo("RolledBack");
            assertThat(rollout.getStatus().message).contains("error-rate");
            await().atMost(Duration.ofSeconds(5)).until(() -> replicasByRevision("routed").equals(Map.of(1, 3, 2, 0)));
            // The canary never had more than its 5% of the route.
            assertThat(gateway.splits("routed")).allSatisfy(split -> assertThat(split.getOrDefault("routed-canary", 0)).isLessThanOrEqualTo(5))
                    .anySatisfy(split -> assertThat(split.get("routed-canary")).isEqualTo(5));
            assertThat(gateway.weight("routed", "routed-canary")).isZero();
        }
        // What users saw, as Prometheus measured it: the release's error rate over every 5s window of the test.
        String users = "sum(rate(http_requests_total{namespace=\"" + NS + "\",glidepath_dev_release=\"routed\",code=~\"5..\"}[5s]))"
                + " / sum(rate(http_requests_total{namespace=\"" + NS + "\",glidepath_dev_release=\"routed\"}[5s]))";
        String worst = "max_over_time((" + users + ")[2m:1s])";
        // Every scrape of the canary's errors is in once a whole window after the revert shows none.
        await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.value(users).orElse(1) == 0);
        assertThat(prometheus.value(worst).orElse(0)).as("users' error rate").isGreaterThan(0).isLessThanOrEqualTo(0.05 * 0.5 * 1.1);
    }

    static AnalysisSpec judged(String address) {
        String counts = "sum(http_requests_total{namespace=\"{{namespace}}\",glidepath_dev_release=\"{{release}}\","
                + "glidepath_dev_revision=\"{{revision}}\"%s})";
        MetricSpec m = new MetricSpec();
        m.name = "errors-vs-stable";
        m.judge = new JudgeSpec();
        m.judge.errors = counts.formatted(",code=~\"5..\"");
        m.judge.requests = counts.formatted("");
        m.judge.maxErrorRate = 0.1;
        AnalysisSpec a = Analyses.of(address, "1s", m);
        a.inconclusiveLimit = 8;
        return a;
    }

    @Test
    void theJudgePromotesACanaryNoWorseThanStableAndRevertsOneThatIs() {
        for (String name : List.of("judged-fine", "judged-bad")) {
            traffic.set(NS, name, 1, new Behaviour(100, 0.02, 0.08, 0.0));
            traffic.set(NS, name, 2, new Behaviour(100, name.endsWith("bad") ? 0.3 : 0.02, 0.08, 0.0));
            Release r = Releases.canary(NS, name, name + ":1", 2, CanaryStep.weight(50), CanaryStep.pause("1s"));
            r.getSpec().analysis = judged(prometheus.address());
            create(r);
            awaitPhase(name, "Healthy");
            update(name, name + ":2");
        }
        await().atMost(Duration.ofSeconds(45)).until(() -> "Degraded".equals(get("judged-bad").getStatus().phase));
        Rollout bad = lastRollout("judged-bad");
        assertThat(bad.getStatus().phase).isEqualTo("RolledBack");
        assertThat(bad.getStatus().message).contains("errors-vs-stable").contains("worse than 1.5");
        assertThat(bad.getStatus().analysis.get(0).measurements).last().satisfies(m -> {
            assertThat(m.verdict).isEqualTo("Fail");
            assertThat(m.counts.newRequests).isPositive();
            assertThat(m.evidenceWorse).isGreaterThanOrEqualTo(100);
        });
        await().atMost(Duration.ofSeconds(45)).until(() -> {
            Release x = get("judged-fine");
            return Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase);
        });
        assertThat(lastRollout("judged-fine").getStatus().analysis.get(0).measurements).extracting(m -> m.verdict)
                .contains("Pass").doesNotContain("Fail");
    }

    @Test
    void aBreachInThePostPromotionWindowRevertsABlueGreenSwitch() {
        traffic.set(NS, "flip", 1, HEALTHY);
        traffic.set(NS, "flip", 2, HEALTHY);
        Release r = Releases.blueGreen(NS, "flip", "flip:1", 2, "1s");
        r.getSpec().analysis = analysis(prometheus.address());
        r.getSpec().analysis.postPromotion = new PostPromotionSpec();
        r.getSpec().analysis.postPromotion.duration = "60s";
        create(r);
        awaitPhase("flip", "Healthy");
        update("flip", "flip:2");
        await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(service("flip").getSpec().getSelector().get("glidepath.dev/revision")));
        traffic.set(NS, "flip", 2, FAILING);
        await().atMost(Duration.ofSeconds(30)).until(() -> "Degraded".equals(get("flip").getStatus().phase));
        assertThat(service("flip").getSpec().getSelector()).containsEntry("glidepath.dev/revision", "1");
        assertThat(lastRollout("flip").getStatus().message).contains("error-rate");
    }
}
