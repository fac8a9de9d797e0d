package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PostPromotionSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.credentials.AddressPolicy;
import dev.glidepath.credentials.CredentialCheck;
import dev.glidepath.credentials.UrlAllowlist;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.sandbox.FakePrometheus;
import dev.glidepath.sandbox.FakePrometheus.Answer;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Releases;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AnalysisIT extends FakePrometheusTest {

    AnalysisSpec analysis(String address) {
        AnalysisSpec a = Analyses.of(address, "200ms", Analyses.errorRate("1m", 0.05));
        a.prometheus.timeout = "1s";
        return a;
    }

    Release canaryWithAnalysis(String name) {
        Release r = Releases.canary(NS, name, name + ":1", 4, CanaryStep.weight(25), CanaryStep.pause("300ms"),
                CanaryStep.weight(50), CanaryStep.pause(null));
        r.getSpec().analysis = analysis(prometheus.address());
        return r;
    }

    @Test
    void aHealthyCanaryAdvancesOnPassingMeasurementsWithTheEvidenceRecorded() {
        Release r = canaryWithAnalysis("ok");
        r.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(25), CanaryStep.pause("300ms"), CanaryStep.weight(50));
        create(r);
        awaitPhase("ok", "Healthy");
        update("ok", "ok:2");
        awaitRelease("ok", "revision 2", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase));
        var record = lastRollout("ok").getStatus().analysis;
        assertThat(record).singleElement().satisfies(m -> {
            assertThat(m.name).isEqualTo("error-rate");
            assertThat(m.measurements).isNotEmpty().allSatisfy(x -> assertThat(x.verdict).isEqualTo("Pass"));
            assertThat(m.measurements.get(0).value).isEqualTo(0.01);
        });
        assertThat(prometheus.queries()).allSatisfy(q -> assertThat(q).contains("release=\"ok\"").contains("revision=\"2\""));
    }

    @Test
    void anErrorRateJumpMidRolloutRevertsAtOnceNamingMetricValueAndThreshold() {
        create(canaryWithAnalysis("pay"));
        awaitPhase("pay", "Healthy");
        update("pay", "pay:2");
        awaitRelease("pay", "paused at step 3", x -> Integer.valueOf(3).equals(x.getStatus().currentStep)
                && "Paused".equals(x.getStatus().phase));
        var selectors = selectorHistory("pay");
        errorRate.set(Answer.value(0.42));
        Release reverted = awaitPhase("pay", "Degraded");
        var degraded = reverted.getStatus().conditions.stream().filter(c -> c.getType().equals("Degraded")).findFirst().orElseThrow();
        assertThat(degraded.getReason()).isEqualTo("AnalysisFailed");
        Rollout rollout = lastRollout("pay");
        assertThat(rollout.getStatus().phase).isEqualTo("RolledBack");
        assertThat(rollout.getStatus().message).contains("error-rate").contains("0.42").contains("max 0.05");
        // Traffic left the canary with one selector update (pinned to revision 1), before its pods were gone;
        // the selector returns to the whole release once they are.
        Eventually.until(() -> replicasByRevision("pay").equals(Map.of(1, 4, 2, 0)));
        Eventually.until(() -> selectors.size() >= 3);
        assertThat(selectors).containsSubsequence(Map.of("glidepath.dev/release", "pay"),
                Map.of("glidepath.dev/release", "pay", "glidepath.dev/revision", "1"),
                Map.of("glidepath.dev/release", "pay"));
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("AnalysisFailed");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("0.42");
        });
        assertThat(rollout.getStatus().analysis.get(0).measurements).extracting(m -> m.verdict).contains("Pass", "Fail");
    }

    @Test
    void standardMetricsAloneAreMeasuredAndANewRevisionMostlySlowerThanTheStableRevisionsP99Reverts() {
        Release r = canaryWithAnalysis("std");
        r.getSpec().analysis.metrics = null;
        r.getSpec().analysis.standard = List.of("errorRate", "latency");
        // Counts that grow with each query, a healthy error rate; the stable revision's p99 bucket is 0.5 s (1% of
        // its requests are slower), and 10% of the new revision's requests are slower than that.
        AtomicLong served = new AtomicLong();
        AtomicLong newTimed = new AtomicLong();
        AtomicLong stableTimed = new AtomicLong(100_000);
        prometheus.answer(q -> {
            if (q.startsWith("sum by (le)")) {
                boolean isNew = q.contains("glidepath_dev_revision=\"2\"");
                double n = isNew ? newTimed.addAndGet(100) : stableTimed.addAndGet(100);
                return Answer.buckets(isNew ? Map.of(0.1, 0.8 * n, 0.5, 0.9 * n, 1.0, 0.99 * n, Double.POSITIVE_INFINITY, n)
                        : Map.of(0.1, 0.9 * n, 0.5, 0.99 * n, 1.0, 0.999 * n, Double.POSITIVE_INFINITY, n));
            }
            return Answer.value(q.contains("code=~") ? served.get() / 100 : served.addAndGet(50));
        });
        create(r);
        awaitPhase("std", "Healthy");
        update("std", "std:2");

        Release reverted = awaitPhase("std", "Degraded");

        assertThat(reverted.getStatus().conditions).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("AnalysisFailed"));
        Rollout rollout = lastRollout("std");
        assertThat(rollout.getStatus().phase).isEqualTo("RolledBack");
        assertThat(rollout.getStatus().message).contains("latency-p99").contains("slower than le=\"0.5\"");
        assertThat(rollout.getStatus().analysis.get(1).judge.boundary).isEqualTo(0.5);
        assertThat(rollout.getStatus().analysis).extracting(m -> m.name).containsExactly("error-rate", "latency-p99");
        String revision = "namespace=\"" + NS + "\",glidepath_dev_release=\"std\",glidepath_dev_revision=";
        assertThat(prometheus.queries()).contains(
                "sum by (le) (http_request_duration_seconds_bucket{" + revision + "\"2\"})",
                "sum by (le) (http_request_duration_seconds_bucket{" + revision + "\"1\"})",
                "sum(http_requests_total{" + revision + "\"2\",code=~\"5..\"})",
                "sum(http_requests_total{" + revision + "\"1\"})");
    }

    @Test
    void anUnreachablePrometheusNeverCountsAsAPassAndRevertsAfterTheInconclusiveLimit() {
        Release r = canaryWithAnalysis("dark");
        r.getSpec().analysis.prometheus.address = "http://127.0.0.1:9"; // nothing listens there
        r.getSpec().analysis.inconclusiveLimit = 3;
        create(r);
        awaitPhase("dark", "Healthy");
        update("dark", "dark:2");
        Release reverted = awaitPhase("dark", "Degraded");
        assertThat(reverted.getStatus().currentStep).isNull();
        Rollout rollout = lastRollout("dark");
        assertThat(rollout.getStatus().message).contains("inconclusive 3 times in a row").contains("unreachable");
        assertThat(rollout.getStatus().steps).extracting(s -> s.index).containsExactly(0);
        assertThat(rollout.getStatus().analysis.get(0).measurements).extracting(m -> m.verdict)
                .containsOnly("Inconclusive");
    }

    @Test
    void withOnInconclusiveHoldTheRolloutHoldsAndResumesWhenMeasurementsPassAgain() {
        Release r = canaryWithAnalysis("hold");
        r.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(50), CanaryStep.pause("200ms"));
        r.getSpec().analysis.onInconclusive = "Hold";
        r.getSpec().analysis.inconclusiveLimit = 2;
        create(r);
        awaitPhase("hold", "Healthy");
        errorRate.set(Answer.noSample());
        update("hold", "hold:2");
        Release held = awaitRelease("hold", "held", x -> "Paused".equals(x.getStatus().phase)
                && x.getStatus().message.contains("held"));
        assertThat(held.getStatus().message).contains("no traffic");
        assertThat(replicasByRevision("hold")).isEqualTo(Map.of(1, 2, 2, 2));
        errorRate.set(Answer.value(0.0));
        awaitRelease("hold", "resumed and done", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision)
                && "Healthy".equals(x.getStatus().phase));
    }

    @Test
    void aBreachInThePostPromotionWindowRevertsABlueGreenSwitch() {
        Release r = Releases.blueGreen(NS, "bg", "bg:1", 2, "100ms");
        r.getSpec().analysis = analysis(prometheus.address());
        r.getSpec().analysis.postPromotion = new PostPromotionSpec();
        r.getSpec().analysis.postPromotion.duration = "30s";
        create(r);
        awaitPhase("bg", "Healthy");
        update("bg", "bg:2");
        Eventually.until(() -> "2".equals(service("bg").getSpec().getSelector().get("glidepath.dev/revision")));
        assertThat(replicasByRevision("bg")).isEqualTo(Map.of(1, 2, 2, 2));
        errorRate.set(Answer.value(0.9));
        awaitPhase("bg", "Degraded");
        assertThat(service("bg").getSpec().getSelector()).containsEntry("glidepath.dev/revision", "1");
        assertThat(lastRollout("bg").getStatus().phase).isEqualTo("RolledBack");
        Eventually.until(() -> replicasByRevision("bg").equals(Map.of(1, 2, 2, 0)));
    }

    @Test
    void aCanaryPostPromotionWindowKeepsThePreviousRevisionUpThenRetiresIt() {
        Release r = canaryWithAnalysis("win");
        r.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(50));
        r.getSpec().analysis.postPromotion = new PostPromotionSpec();
        r.getSpec().analysis.postPromotion.duration = "1s";
        create(r);
        awaitPhase("win", "Healthy");
        update("win", "win:2");
        Eventually.until(() -> "2".equals(service("win").getSpec().getSelector().get("glidepath.dev/revision")));
        assertThat(replicasByRevision("win")).isEqualTo(Map.of(1, 4, 2, 4));
        awaitRelease("win", "done", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase));
        Eventually.until(() -> replicasByRevision("win").equals(Map.of(1, 0, 2, 4))
                && !service("win").getSpec().getSelector().containsKey("glidepath.dev/revision"));
    }

    @Test
    void substitutedValuesCannotChangeTheQueryStructure() {
        Release r = canaryWithAnalysis("esc");
        r.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(50));
        r.getSpec().version = "v1\"} or vector(0) or {a=\"\\";
        r.getSpec().analysis.metrics.get(0).query = "sum(up{release=\"{{release}}\",version=\"{{version}}\"})";
        create(r);
        awaitPhase("esc", "Healthy");
        edit("esc", x -> {
            setImage(x, "esc:2");
            return x;
        });
        Eventually.until(() -> !prometheus.queries().isEmpty());
        assertThat(prometheus.queries().get(0))
                .isEqualTo("sum(up{release=\"esc\",version=\"v1\\\"} or vector(0) or {a=\\\"\\\\\"})");
    }

    /** A Secret with a bearer token; labelled: its owner lets Glidepath use it. */
    void tokenSecret(String name, String token, boolean labelled) {
        var secret = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToData("token", java.util.Base64.getEncoder().encodeToString(token.getBytes())).build();
        if (labelled) {
            secret.getMetadata().setLabels(Map.of(CredentialCheck.LABEL, "true"));
        }
        client.secrets().inNamespace(NS).resource(secret).create();
    }

    String invalidSpecMessage(Release r) {
        return r.getStatus().conditions.stream().filter(c -> c.getType().equals("InvalidSpec") && "True".equals(c.getStatus()))
                .findFirst().map(c -> c.getMessage()).orElse(null);
    }

    @Test
    void credentialsComeFromTheSecretNamedInTheRelease() {
        tokenSecret("prom-auth", "s3cr3t", true);
        Release r = canaryWithAnalysis("auth");
        r.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(50));
        r.getSpec().analysis.prometheus.secretName = "prom-auth";
        create(r);
        awaitPhase("auth", "Healthy");
        update("auth", "auth:2");
        awaitRelease("auth", "done", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase));
        assertThat(prometheus.authorizations()).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo("Bearer s3cr3t"));
        // Read by name only: the operator never lists or watches Secrets.
        assertThat(sandbox.requests().count(e -> e.method().equals("GET") && e.path().matches(".*/secrets(\\?.*)?$"))).isZero();
        assertThat(sandbox.requests().count(e -> e.method().equals("GET") && e.path().contains("/secrets/prom-auth"))).isPositive();
    }

    @Test
    void aMissingSecretIsInconclusiveNamingTheField() {
        Release r = canaryWithAnalysis("nosecret");
        r.getSpec().analysis.prometheus.secretName = "absent";
        r.getSpec().analysis.inconclusiveLimit = 2;
        create(r);
        awaitPhase("nosecret", "Healthy");
        update("nosecret", "nosecret:2");
        awaitPhase("nosecret", "Degraded");
        assertThat(lastRollout("nosecret").getStatus().message).contains("spec.analysis.prometheus.secretName");
    }

    @Test
    void aSecretNotLabelledForGlidepathIsNeverSentAndTheRolloutHoldsNamingTheField() {
        tokenSecret("prom-auth", "s3cr3t", true);
        tokenSecret("sa-token", "service-account-token", false); // e.g. a service account's token Secret
        Release r = canaryWithAnalysis("steal");
        r.getSpec().analysis.prometheus.secretName = "prom-auth";
        create(r);
        awaitPhase("steal", "Healthy");
        update("steal", "steal:2");
        awaitRelease("steal", "paused at step 3", x -> Integer.valueOf(3).equals(x.getStatus().currentStep)
                && "Paused".equals(x.getStatus().phase));
        var selectors = selectorHistory("steal");
        Map<Integer, Integer> replicas = replicasByRevision("steal");

        // Someone who may edit Releases points the analysis at a Secret they cannot read themselves.
        edit("steal", x -> {
            x.getSpec().analysis.prometheus.secretName = "sa-token";
            return x;
        });
        Release invalid = awaitRelease("steal", "InvalidSpec", x -> invalidSpecMessage(x) != null);
        assertThat(invalidSpecMessage(invalid)).startsWith("spec.analysis.prometheus.secretName: Secret 'sa-token' is not"
                + " labelled glidepath.dev/credentials=true");
        assertThat(invalid.getStatus().phase).isEqualTo("Degraded");
        assertThat(invalid.getStatus().rollout).as("the rollout in flight is held, not ended").isNotNull();
        int queries = prometheus.queries().size();
        // Measurements were due every 200ms: over a second none is taken, traffic and pods stay where they were.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> prometheus.queries().size() <= queries + 1);
        assertThat(prometheus.authorizations()).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo("Bearer s3cr3t"));
        assertThat(replicasByRevision("steal")).isEqualTo(replicas);
        assertThat(selectors).allSatisfy(sel -> assertThat(sel).isEqualTo(Map.of("glidepath.dev/release", "steal")));
        assertThat(lastRollout("steal").getStatus().phase).isEqualTo("Paused");
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("InvalidSpec");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("spec.analysis.prometheus.secretName").contains("sa-token");
        });

        // Back to a Secret its owner labelled: the rollout carries on.
        edit("steal", x -> {
            x.getSpec().analysis.prometheus.secretName = "prom-auth";
            return x;
        });
        awaitRelease("steal", "paused again", x -> invalidSpecMessage(x) == null && "Paused".equals(x.getStatus().phase));
        assertThat(prometheus.authorizations()).allSatisfy(a -> assertThat(a).isEqualTo("Bearer s3cr3t"));
    }

    @Test
    void aPrometheusOutsideTheOperatorsAllowlistIsRefusedAndReceivesNoRequest() {
        operator.stop();
        operator = OperatorHarness.start(sandbox.newClient(), new AddressPolicy(
                UrlAllowlist.of(List.of(prometheus.address() + "/", "http://prometheus.monitoring:9090")), UrlAllowlist.ANY));
        try (FakePrometheus internal = new FakePrometheus()) { // stands for a cluster-internal endpoint
            tokenSecret("prom-auth", "s3cr3t", true);
            Release outside = canaryWithAnalysis("ssrf");
            outside.getSpec().analysis.prometheus.address = internal.address();
            outside.getSpec().analysis.prometheus.secretName = "prom-auth";
            create(outside);
            Release refused = awaitRelease("ssrf", "InvalidSpec", x -> invalidSpecMessage(x) != null);
            assertThat(invalidSpecMessage(refused)).startsWith("spec.analysis.prometheus.address: '" + internal.address()
                    + "' is outside the Prometheus addresses this operator allows").contains("http://prometheus.monitoring:9090");
            assertThat(deployments("ssrf")).isEmpty();

            // An allowed address works as before, with the same Secret.
            Release inside = canaryWithAnalysis("fine");
            inside.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(50));
            inside.getSpec().analysis.prometheus.secretName = "prom-auth";
            create(inside);
            awaitPhase("fine", "Healthy");
            update("fine", "fine:2");
            awaitRelease("fine", "done", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision)
                    && "Healthy".equals(x.getStatus().phase));
            assertThat(prometheus.authorizations()).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo("Bearer s3cr3t"));
            assertThat(internal.queries()).isEmpty();
        }
    }

    @Test
    void aRedirectFromPrometheusIsNotFollowed() throws Exception {
        HttpServer redirector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        redirector.createContext("/", ex -> {
            ex.getResponseHeaders().add("Location", prometheus.address() + ex.getRequestURI());
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        redirector.start();
        try {
            tokenSecret("prom-auth", "s3cr3t", true);
            Release r = canaryWithAnalysis("hop");
            r.getSpec().analysis.prometheus.address = "http://127.0.0.1:" + redirector.getAddress().getPort();
            r.getSpec().analysis.prometheus.secretName = "prom-auth";
            r.getSpec().analysis.inconclusiveLimit = 2;
            create(r);
            awaitPhase("hop", "Healthy");
            update("hop", "hop:2");
            awaitPhase("hop", "Degraded");
            assertThat(lastRollout("hop").getStatus().message).contains("HTTP 302");
            assertThat(prometheus.queries()).isEmpty();
        } finally {
            redirector.stop(0);
        }
    }
}
