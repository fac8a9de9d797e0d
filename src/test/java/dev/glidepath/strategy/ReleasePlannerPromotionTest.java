package dev.glidepath.strategy;

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
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.api.v1alpha1.WindowOverride;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A production Release gated on its staging Release: same images, Healthy, for the soak. */
class ReleasePlannerPromotionTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static SimulatedCluster production(String soak) {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.now = NOW;
        cluster.spec.promotion = new PromotionSpec();
        PromotionSpec.Upstream staging = new PromotionSpec.Upstream();
        staging.namespace = "staging";
        staging.release = "shop";
        staging.soak = soak;
        cluster.spec.promotion.from = List.of(staging);
        return cluster;
    }

    private static RevisionRecord revision(int number, String image, String outcome, String reason) {
        RevisionRecord r = new RevisionRecord();
        r.number = number;
        r.images = List.of(image);
        r.version = image.substring(image.indexOf(':') + 1);
        r.outcome = outcome;
        r.reason = reason;
        return r;
    }

    /** The staging Release as the cache holds it: stable on {@code stable}, with these revisions, newest first. */
    private static UpstreamState staging(String phase, int stable, Instant since, RevisionRecord... revisions) {
        Release r = new Release();
        r.setMetadata(new ObjectMetaBuilder().withNamespace("staging").withName("shop").withGeneration(7L).build());
        ReleaseStatus s = new ReleaseStatus();
        s.observedGeneration = 7L;
        s.phase = phase;
        s.stableRevision = stable;
        s.stableSince = since == null ? null : since.toString();
        s.stableRollout = "shop-" + stable;
        s.revisions = new ArrayList<>(List.of(revisions));
        r.setStatus(s);
        return new UpstreamState("staging", "shop", r);
    }

    @Test
    void aVersionWaitsUntilStagingRunsItHealthyForTheSoakAndItsRolloutRecordsWhy() {
        var cluster = production("1h");
        cluster.upstreams.add(staging("Healthy", 4, NOW.minus(Duration.ofDays(2)), revision(4, "shop:1.0", "Stable", null)));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingPromotion");
        assertThat(cluster.status.message).isEqualTo("revision 2 (2.0) waits for staging/shop to run shop:2.0; it runs shop:1.0 (revision 4)");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2));
        assertThat(cluster.eventReasons()).contains("PhaseAwaitingPromotion");

        cluster.upstreams.set(0, staging("Progressing", 4, NOW.minus(Duration.ofDays(2)), revision(5, "shop:2.0", "Progressing", null),
                revision(4, "shop:1.0", "Stable", null)));
        cluster.tick();
        assertThat(cluster.status.message).contains("waits for staging/shop to run shop:2.0; it runs shop:1.0");

        Instant healthy = cluster.now;
        cluster.upstreams.set(0, staging("Healthy", 5, healthy, revision(5, "shop:2.0", "Stable", null),
                revision(4, "shop:1.0", "Replaced", null)));
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingPromotion");
        assertThat(cluster.status.message).contains("waits for the soak in staging/shop: it runs shop:2.0 Healthy since " + healthy)
                .contains("the soak of 1h ends at " + healthy.plus(Duration.ofHours(1)));
        assertThat(cluster.last.requeueAfter().orElseThrow()).isLessThanOrEqualTo(Duration.ofHours(1));

        cluster.now = healthy.plus(Duration.ofHours(1)).minusSeconds(2);
        cluster.tick();
        assertThat(cluster.status.phase).as("one second before the soak ends").isEqualTo("AwaitingPromotion");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        RolloutSpec started = cluster.last.rolloutWrites().stream().filter(w -> w.create().isPresent()).findFirst().orElseThrow().create().get();
        assertThat(started.promotedFrom).singleElement().satisfies(e -> {
            assertThat(e.namespace + "/" + e.release).isEqualTo("staging/shop");
            assertThat(e.revision).isEqualTo(5);
            assertThat(e.rollout).isEqualTo("shop-5");
            assertThat(e.since).isEqualTo(healthy.toString());
            assertThat(e.soakSkipped).isNull();
        });
    }

    @Test
    void aVersionThatFailedUpstreamIsRefusedWithThatReason() {
        var cluster = production(null);
        cluster.upstreams.add(staging("RolledBack", 4, NOW.minus(Duration.ofDays(2)),
                revision(5, "shop:2.0", "RolledBack", "metric error-rate failed: 0.3 is above max 0.05"), revision(4, "shop:1.0", "Stable", null)));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingPromotion");
        assertThat(cluster.status.message).isEqualTo("revision 2 (2.0) is not promoted: it RolledBack in staging/shop (revision 5:"
                + " metric error-rate failed: 0.3 is above max 0.05)");
    }

    @Test
    void anUpstreamThatCannotBeSeenHoldsAndSaysSo() {
        var cluster = production(null);
        cluster.upstreams.add(new UpstreamState("staging", "shop", null));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.message).contains("waits for staging/shop (spec.promotion.from[0]): not found in this cluster,"
                + " in a namespace this operator does not watch, or in another shard (an upstream must carry the same"
                + " glidepath.dev/shard label)");
        assertThat(cluster.last.requeueAfter().orElseThrow()).isLessThanOrEqualTo(PromotionGate.RECHECK);
    }

    @Test
    void anUpstreamInAnotherClusterIsNamedWithItsClusterAndItsEvidenceRecordsIt() {
        var cluster = production(null);
        cluster.spec.promotion.from.get(0).cluster = "eu";
        cluster.upstreams.add(UpstreamState.remote("eu", "staging", "shop", staging("Healthy", 4, NOW.minus(Duration.ofDays(2)),
                revision(4, "shop:1.0", "Stable", null)).release()));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.message).isEqualTo("revision 2 (2.0) waits for eu:staging/shop to run shop:2.0; it runs shop:1.0 (revision 4)");

        cluster.upstreams.set(0, UpstreamState.remote("eu", "staging", "shop", staging("Healthy", 5, NOW.minusSeconds(5),
                revision(5, "shop:2.0", "Stable", null)).release()));
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        RolloutSpec started = cluster.last.rolloutWrites().stream().filter(w -> w.create().isPresent()).findFirst().orElseThrow().create().get();
        assertThat(started.promotedFrom).singleElement().satisfies(e ->
                assertThat(e.cluster + ":" + e.namespace + "/" + e.release + " revision " + e.revision).isEqualTo("eu:staging/shop revision 5"));
    }

    @Test
    void anUpstreamClusterThatCannotBeReadHoldsEvenWhenItsLastReadingWouldPromote() {
        var cluster = production(null);
        cluster.spec.promotion.from.get(0).cluster = "eu";
        cluster.upstreams.add(UpstreamState.unreadable("eu", "staging", "shop", "connection refused"));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingPromotion");
        assertThat(cluster.status.message).isEqualTo("revision 2 (2.0) waits for eu:staging/shop (spec.promotion.from[0]): cluster eu"
                + " cannot be read: connection refused");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2));
        assertThat(cluster.last.requeueAfter().orElseThrow()).isLessThanOrEqualTo(PromotionGate.RECHECK);
    }

    @Test
    void anUpstreamOfThisClusterDoesNotStandInForTheSameNameInAnother() {
        var cluster = production(null);
        cluster.spec.promotion.from.get(0).cluster = "eu";
        cluster.upstreams.add(staging("Healthy", 5, NOW.minusSeconds(5), revision(5, "shop:2.0", "Stable", null)));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingPromotion");
    }

    /** The Rollout that made staging's revision 5 stable, its judged metric having judged {@code requests}. */
    private static Rollout analysed(double requests, String... verdicts) {
        Rollout rollout = new Rollout();
        rollout.setMetadata(new ObjectMetaBuilder().withNamespace("staging").withName("shop-5").build());
        rollout.setStatus(new RolloutStatus());
        MetricRecord m = new MetricRecord();
        m.name = "errors";
        m.failures = 0;
        m.judge = new JudgeEvidence();
        m.judge.judged = new RequestCounts(0, requests, 0, requests);
        for (String v : verdicts) {
            m.measurements.add(new Measurement("2026-12-01T09:00:00Z", 0.0, v, "Inconclusive".equals(v) ? "no traffic" : null));
        }
        rollout.getStatus().analysis = List.of(m);
        return rollout;
    }

    private static SimulatedCluster requiringAnalysis(long minRequests, Rollout upstreamRollout) {
        var cluster = production(null);
        cluster.spec.promotion.from.get(0).requireAnalysis = new PromotionSpec.AnalysisRequirement();
        cluster.spec.promotion.from.get(0).requireAnalysis.minRequests = minRequests;
        cluster.upstreams.add(staging("Healthy", 5, NOW.minusSeconds(60), revision(5, "shop:2.0", "Stable", null))
                .withStableRollout(upstreamRollout));
        cluster.setImage("shop:2.0");
        cluster.tick();
        return cluster;
    }

    @Test
    void requireAnalysisPromotesOnAPassingAnalysisThatJudgedEnoughRequestsAndRecordsThem() {
        var cluster = requiringAnalysis(1000, analysed(1500, "Pass", "Pass"));
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        RolloutSpec started = cluster.last.rolloutWrites().stream().filter(w -> w.create().isPresent()).findFirst().orElseThrow().create().get();
        assertThat(started.promotedFrom).singleElement().satisfies(e -> assertThat(e.requestsJudged).isEqualTo(1500L));
    }

    @Test
    void requireAnalysisRefusesTooFewRequestsOrAnInconclusiveVerdictAndWaitsForAMissingRecord() {
        assertThat(requiringAnalysis(1000, analysed(400, "Pass")).status.message).isEqualTo("revision 2 (2.0) is not promoted: its"
                + " analysis in staging/shop (Rollout shop-5) judged 400 requests, fewer than the 1000 of"
                + " spec.promotion.from[0].requireAnalysis.minRequests");
        assertThat(requiringAnalysis(1000, analysed(5000, "Inconclusive", "Pass")).status.message).isEqualTo("revision 2 (2.0) is not"
                + " promoted: its analysis in staging/shop (Rollout shop-5) did not pass: metric errors was Inconclusive (no traffic) at"
                + " 2026-12-01T09:00:00Z (spec.promotion.from[0].requireAnalysis)");
        var missing = requiringAnalysis(1, null);
        assertThat(missing.status.phase).isEqualTo("AwaitingPromotion");
        assertThat(missing.status.message).isEqualTo("revision 2 (2.0) waits for the analysis record of staging/shop (Rollout shop-5 not found)");
        Rollout unjudged = analysed(0);
        unjudged.getStatus().analysis = List.of();
        assertThat(requiringAnalysis(1, unjudged).status.message).contains("judged 0 requests, fewer than the 1");
    }

    @Test
    void aHotfixSkipsTheSoakButNotTheCheckThatStagingRunsIt() {
        var cluster = production("24h");
        cluster.upstreams.add(staging("Healthy", 5, NOW, revision(5, "shop:2.0", "Stable", null)));
        cluster.spec.promotion.skipSoak = new WindowOverride();
        cluster.spec.promotion.skipSoak.revision = 2;
        cluster.spec.promotion.skipSoak.reason = "INC-1234 fix";
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.events).anySatisfy(n -> {
            assertThat(n.reason()).isEqualTo(EventReason.SOAK_SKIPPED.wire());
            assertThat(n.warning()).isTrue();
            assertThat(n.message()).contains("revision 2 starts before its soak in staging/shop ended").contains("INC-1234 fix");
        });
    }

    @Test
    void rollbacksNeverWaitForUpstream() {
        var cluster = production(null);
        cluster.upstreams.add(staging("Healthy", 5, NOW.minus(Duration.ofDays(1)), revision(5, "shop:2.0", "Stable", null)));
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
        cluster.upstreams.clear();
        cluster.upstreams.add(new UpstreamState("staging", "shop", null));
        cluster.spec.rollback = Specs.rollback("r", 1);
        cluster.tickUntil(c -> "RolledBack".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(1);
    }

    @Test
    void theStableRevisionRecordsSinceWhenForWhatComesDownstream() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        assertThat(cluster.status.stableSince).isNotNull();
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
        assertThat(Instant.parse(cluster.status.stableSince)).isAfter(SimulatedCluster.T0);
        assertThat(cluster.status.stableRollout).isEqualTo("shop-2");
    }

    @Test
    void stagingWaitingWithItsNextVersionDoesNotHoldBackTheOneItRuns() {
        var cluster = production(null);
        // Staging runs 2.0 stable; its own next version waits for approval there.
        cluster.upstreams.add(staging("AwaitingApproval", 5, NOW.minus(Duration.ofHours(3)), revision(6, "shop:3.0", "Progressing", null),
                revision(5, "shop:2.0", "Stable", null)));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");

        var degraded = production(null);
        degraded.upstreams.add(staging("Degraded", 5, NOW.minus(Duration.ofHours(3)), revision(5, "shop:2.0", "Stable", null)));
        degraded.setImage("shop:2.0");
        degraded.tick();
        assertThat(degraded.status.message).contains("waits for staging/shop to finish its rollout (it is Degraded)");
    }

    @Test
    void stagingsNextVersionWaitingAtAGateWithNoOutcomeYetDoesNotStopTheDecision() {
        // As the operator records it: the gated revision has no outcome until its rollout starts.
        var cluster = production(null);
        cluster.upstreams.add(staging("AwaitingApproval", 5, NOW.minus(Duration.ofHours(3)), revision(6, "shop:3.0", null, null),
                revision(5, "shop:2.0", "Stable", null)));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");

        var later = production(null);
        later.upstreams.add(staging("AwaitingApproval", 5, NOW.minus(Duration.ofHours(3)), revision(6, "shop:3.0", null, null),
                revision(5, "shop:2.0", "Stable", null)));
        later.setImage("shop:3.0");
        later.tick();
        assertThat(later.status.phase).isEqualTo("AwaitingPromotion");
        assertThat(later.status.message).contains("waits for staging/shop to run shop:3.0; it runs shop:2.0 (revision 5)");
    }

    @Test
    void aSoakOfMonthsIsWaitedForByLookingAgainDailyNotByOneTimerMonthsAway() {
        var cluster = production("8000h");
        cluster.upstreams.add(staging("Healthy", 5, NOW, revision(5, "shop:2.0", "Stable", null)));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingPromotion");
        assertThat(cluster.status.message).contains("the soak of 8000h ends at");
        assertThat(cluster.last.requeueAfter()).contains(Duration.ofHours(24));
    }
}
