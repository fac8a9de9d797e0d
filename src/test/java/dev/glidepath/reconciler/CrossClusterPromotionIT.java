package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.JudgeEvidence;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.PromotionSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RequestCounts;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.Sandbox;
import dev.glidepath.sandbox.WorkloadSimulator;
import dev.glidepath.upstream.UpstreamClusters;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Production in one sandbox cluster gated on staging in another: the upstream cluster is configured by name with the
 * Secret holding its kubeconfig, watched by the downstream operator, and held on when it cannot be read.
 */
class CrossClusterPromotionIT extends SandboxTest {
    private static final String SECRET = "staging-kubeconfig";
    private static final UpstreamClusters CLUSTERS = UpstreamClusters.parse(List.of("staging=" + SECRET));
    private Sandbox upstream;
    private KubernetesClient upstreamClient;
    private WorkloadSimulator upstreamSimulator;
    private OperatorHarness upstreamOperator;

    @BeforeEach
    void startUpstreamCluster() {
        upstream = Sandbox.start();
        upstreamClient = upstream.client();
        operator.stop();
        operator = OperatorHarness.start(sandbox.newClient(), CLUSTERS);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OperatorHarness.GLOBAL_FREEZES).endMetadata()
                .build()).create();
    }

    @AfterEach
    void stopUpstreamCluster() {
        if (upstreamOperator != null) {
            upstreamOperator.stop();
        }
        if (upstreamSimulator != null) {
            upstreamSimulator.close();
        }
        upstream.close();
    }

    /** The upstream cluster's own operator and workloads, with staging/shop running {@code image}. */
    private void runStaging(String image) {
        upstreamSimulator = new WorkloadSimulator(upstreamClient, Duration.ofMillis(150)).start();
        upstreamOperator = OperatorHarness.start(upstream.newClient());
        upstreamClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("staging").endMetadata().build()).create();
        upstreamClient.resource(Releases.canary("staging", "shop", image, 1, CanaryStep.weight(50))).create();
        awaitStaging("staging runs " + image, r -> "Healthy".equals(r.getStatus().phase));
    }

    private Release awaitStaging(String what, Predicate<Release> condition) {
        Eventually.waiting().alias(what).until(() -> {
            Release r = upstreamClient.resources(Release.class).inNamespace("staging").withName("shop").get();
            return r != null && r.getStatus() != null && condition.test(r);
        });
        return upstreamClient.resources(Release.class).inNamespace("staging").withName("shop").get();
    }

    private void setStagingImage(String image) {
        Releases.edit(upstreamClient, "staging", "shop", r -> {
            r.getSpec().template.getSpec().getContainers().get(0).setImage(image);
            return r;
        });
    }

    private void createKubeconfigSecret() {
        client.secrets().inNamespace(OperatorHarness.GLOBAL_FREEZES).resource(new SecretBuilder().withNewMetadata().withName(SECRET)
                .endMetadata().addToStringData(UpstreamClusters.KUBECONFIG_KEY, upstream.kubeconfig()).build()).create();
    }

    private static Release production(String image, String cluster, String soak) {
        Release production = Releases.canary(NS, "shop", image, 2, CanaryStep.weight(50));
        production.getSpec().promotion = new PromotionSpec();
        PromotionSpec.Upstream staging = new PromotionSpec.Upstream();
        staging.cluster = cluster;
        staging.namespace = "staging";
        staging.release = "shop";
        staging.soak = soak;
        production.getSpec().promotion.from = List.of(staging);
        return production;
    }

    private Rollout rolloutTo(int revision) {
        return rollouts("shop").stream().filter(r -> Integer.valueOf(revision).equals(r.getSpec().toRevision)).findFirst().orElse(null);
    }

    @Test
    void productionTakesAVersionOnlyAfterStagingInAnotherClusterRanItHealthyForTheSoak() {
        createKubeconfigSecret();
        runStaging("shop:1");
        create(production("shop:1", "staging", "2s"));
        awaitPhase("shop", "Healthy");

        update("shop", "shop:2");
        Release waiting = awaitPhase("shop", "AwaitingPromotion");
        assertThat(waiting.getStatus().message)
                .isEqualTo("revision 2 (2) waits for staging:staging/shop to run shop:2; it runs shop:1 (revision 1)");
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 2));

        setStagingImage("shop:2");
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        Release staging = upstreamClient.resources(Release.class).inNamespace("staging").withName("shop").get();
        Rollout rollout = rolloutTo(2);
        assertThat(rollout.getSpec().promotedFrom).singleElement().satisfies(e -> {
            assertThat(e.cluster + ":" + e.namespace + "/" + e.release + " revision " + e.revision).isEqualTo("staging:staging/shop revision 2");
            assertThat(e.rollout).isEqualTo(staging.getStatus().stableRollout);
            assertThat(e.since).isEqualTo(staging.getStatus().stableSince);
        });
        assertThat(Duration.between(Instant.parse(staging.getStatus().stableSince), Instant.parse(rollout.getStatus().startedAt)))
                .as("the soak").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anUpstreamClusterThatStopsAnsweringHoldsThePromotionNamingItAndLetsGoWhenItIsBack() throws Exception {
        createKubeconfigSecret();
        runStaging("shop:1");
        // A soak long enough that the outage below always begins within it, on a loaded machine too.
        create(production("shop:1", "staging", "8s"));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        awaitPhase("shop", "AwaitingPromotion");

        setStagingImage("shop:2");
        Release staging = awaitStaging("staging runs shop:2", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        // Within the soak, the upstream cluster stops answering reads of Releases.
        try (AutoCloseable outage = upstream.dispatcher().refuse("GET", "/v1alpha1/releases?", 503, "the API server is unavailable")) {
            Release held = awaitRelease("shop", "held on the upstream cluster", r -> r.getStatus().message != null
                    && r.getStatus().message.contains("cluster staging cannot be read"));
            assertThat(held.getStatus().phase).isEqualTo("AwaitingPromotion");
            assertThat(held.getStatus().message).startsWith("revision 2 (2) waits for staging:staging/shop (spec.promotion.from[0]):"
                    + " cluster staging cannot be read: HTTP 503");
            Instant soakEnds = Instant.parse(staging.getStatus().stableSince).plusSeconds(8);
            // Past the end of the soak the last reading would promote: it does not count while the cluster cannot be read.
            Eventually.waiting().until(() -> Instant.now().isAfter(soakEnds.plusSeconds(2)));
            assertThat(get("shop").getStatus().phase).isEqualTo("AwaitingPromotion");
            assertThat(get("shop").getStatus().message).contains("cluster staging cannot be read");
            assertThat(rolloutTo(2)).as("no rollout of revision 2 while staging cannot be read").isNull();
            assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 2));
        }
        awaitRelease("shop", "revision 2 stable once staging answers", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        assertThat(rolloutTo(2).getSpec().promotedFrom).singleElement().satisfies(e -> assertThat(e.cluster).isEqualTo("staging"));
    }

    /**
     * Staging/shop as the upstream cluster holds it after a rollout with analysis: stable on revision 2 (shop:2) since a
     * minute, made stable by Rollout shop-2, whose judged metric judged {@code requests} requests, every verdict Pass.
     */
    private void stagingRecordsAnAnalysisThatJudged(double requests) {
        upstreamClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("staging").endMetadata().build()).create();
        Release staging = upstreamClient.resource(Releases.canary("staging", "shop", "shop:2", 1, CanaryStep.weight(50))).create();
        ReleaseStatus status = new ReleaseStatus();
        status.phase = "Healthy";
        status.stableRevision = 2;
        status.stableSince = Instant.now().minusSeconds(60).toString();
        status.stableRollout = "shop-2";
        RevisionRecord revision = new RevisionRecord();
        revision.number = 2;
        revision.images = List.of("shop:2");
        revision.version = "2";
        revision.outcome = "Stable";
        status.revisions = List.of(revision);
        staging.setStatus(status);
        upstreamClient.resource(staging).updateStatus();

        Rollout rollout = new Rollout();
        rollout.setMetadata(new ObjectMetaBuilder().withNamespace("staging").withName("shop-2").withLabels(Map.of(Release.LABEL, "shop"))
                .build());
        rollout = upstreamClient.resource(rollout).create();
        MetricRecord metric = new MetricRecord();
        metric.name = "errors";
        metric.failures = 0;
        metric.judge = new JudgeEvidence();
        metric.judge.judged = new RequestCounts(0, requests, 0, requests);
        metric.measurements.add(new Measurement(status.stableSince, 0.0, "Pass", null));
        rollout.setStatus(new RolloutStatus());
        rollout.getStatus().analysis = List.of(metric);
        upstreamClient.resource(rollout).updateStatus();
    }

    @Test
    void requireAnalysisReadsTheAnalysisOfTheUpstreamClustersRollout() {
        createKubeconfigSecret();
        stagingRecordsAnAnalysisThatJudged(400);
        // From here only this cluster's operator talks to the upstream cluster.
        int upstreamMark = upstream.requests().size();
        Release production = production("shop:1", "staging", null);
        production.getSpec().promotion.from.get(0).requireAnalysis = new PromotionSpec.AnalysisRequirement();
        production.getSpec().promotion.from.get(0).requireAnalysis.minRequests = 1000L;
        create(production);
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        Release refused = awaitRelease("shop", "refused for too few requests judged", r -> r.getStatus().message != null
                && r.getStatus().message.contains("is not promoted"));
        assertThat(refused.getStatus().message).isEqualTo("revision 2 (2) is not promoted: its analysis in staging:staging/shop"
                + " (Rollout shop-2) judged 400 requests, fewer than the 1000 of spec.promotion.from[0].requireAnalysis.minRequests");
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 2));

        edit("shop", r -> {
            r.getSpec().promotion.from.get(0).requireAnalysis.minRequests = 300L;
            return r;
        });
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        assertThat(rolloutTo(2).getSpec().promotedFrom).singleElement().satisfies(e -> {
            assertThat(e.cluster + ":" + e.namespace + "/" + e.release + " " + e.rollout).isEqualTo("staging:staging/shop shop-2");
            assertThat(e.requestsJudged).isEqualTo(400L);
        });
        // Least privilege in the upstream cluster: what the documented ClusterRole allows (get, list and watch of
        // Releases and Rollouts), and nothing else was asked for.
        assertThat(upstream.requests().since(upstreamMark)).as("requests to the upstream cluster").isNotEmpty()
                .allSatisfy(e -> assertThat(e.method() + " " + e.path())
                        .matches("GET /apis/glidepath\\.dev/v1alpha1/(namespaces/[^/]+/)?(releases|rollouts)(/[^/?]+)?(\\?.*)?"));
    }

    @Test
    void aReleaseNamingAClusterThatIsNotConfiguredIsRefusedAndNothingIsRead() {
        createKubeconfigSecret();
        int upstreamMark = upstream.requests().size();
        int mark = sandbox.requests().size();
        create(production("shop:1", "qa", null));
        Release refused = awaitRelease("shop", "refused", r -> r.getStatus().conditions != null && r.getStatus().conditions.stream()
                .anyMatch(c -> "InvalidSpec".equals(c.getType()) && "True".equals(c.getStatus())));
        assertThat(refused.getStatus().conditions).filteredOn(c -> "InvalidSpec".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains(
                        "spec.promotion.from[0].cluster: 'qa' is not a configured upstream cluster (configured: staging)"));
        assertThat(upstream.requests().since(upstreamMark)).as("requests to the upstream cluster").isEmpty();
        assertThat(sandbox.requests().since(mark)).as("no Secret is read").noneMatch(e -> e.path().contains("/secrets"));
    }

    @Test
    void aMissingKubeconfigSecretHoldsNamingItUntilItIsCreated() {
        runStaging("shop:2");
        create(production("shop:1", "staging", null));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        Release held = awaitRelease("shop", "held on the missing Secret", r -> r.getStatus().message != null
                && r.getStatus().message.contains("cluster staging cannot be read"));
        assertThat(held.getStatus().message).contains("its Secret " + OperatorHarness.GLOBAL_FREEZES + "/" + SECRET + " is not found");
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 2));

        createKubeconfigSecret();
        awaitRelease("shop", "revision 2 stable once the Secret exists", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
    }
}
