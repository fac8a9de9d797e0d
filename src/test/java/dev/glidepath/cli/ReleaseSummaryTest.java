package dev.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PromotionSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.sandbox.Releases;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code list}, {@code status} and the dashboard say a Release waits for: pure, from the Release and the time. */
class ReleaseSummaryTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:08Z");

    /** A canary at its second step, a 20 s pause that started at 10:00:00, in the phase given. */
    private static Release atTimedPause(String phase) {
        Release r = Releases.canary("apps", "shop", "shop:2", 2, CanaryStep.weight(20), CanaryStep.pause("20s"), CanaryStep.weight(60));
        ReleaseStatus s = new ReleaseStatus();
        s.phase = phase;
        s.stableRevision = 1;
        s.currentRevision = 2;
        s.canaryWeight = 20;
        s.rollout = new RolloutProgress();
        s.rollout.toRevision = 2;
        s.rollout.stepIndex = 1;
        s.rollout.stepStartedAt = "2026-03-01T10:00:00Z";
        r.setStatus(s);
        return r;
    }

    @Test
    void aTimedPauseTheOperatorReportsAsProgressingShowsItsTimeLeftNotPods() {
        ReleaseSummary sum = ReleaseSummary.of(atTimedPause("Progressing"), NOW);
        assertThat(sum.waitingFor()).isEqualTo("pause (12s left)");
        assertThat(sum.needsYou()).isFalse();
        assertThat(sum.step()).isEqualTo("2/3");

        assertThat(ReleaseSummary.of(atTimedPause("Paused"), NOW).waitingFor()).isEqualTo("pause (12s left)");
    }

    @Test
    void onceTheTimedPauseIsOverWhatProgressingWaitsForIsThePodsAgain() {
        assertThat(ReleaseSummary.of(atTimedPause("Progressing"), Instant.parse("2026-03-01T10:00:21Z")).waitingFor()).isEqualTo("pods");
    }

    @Test
    void aPauseUntilPromotedStillNeedsYou() {
        Release r = atTimedPause("Paused");
        r.getSpec().strategy.canary.steps.get(1).pause.duration = null;
        ReleaseSummary sum = ReleaseSummary.of(r, NOW);
        assertThat(sum.waitingFor()).isEqualTo("promote");
        assertThat(sum.needsYou()).isTrue();
    }

    @Test
    void whatADegradedOrRefusedReleaseWaitsForNamesTheThingNotYou() {
        Release degraded = atTimedPause("Degraded");
        degraded.getStatus().rollout = null;
        degraded.getStatus().message = "error-rate 0.42 above max 0.05";
        ReleaseSummary sum = ReleaseSummary.of(degraded, NOW);
        assertThat(sum.needsYou()).isTrue();
        assertThat(sum.waitingFor()).isEqualTo("a retry or a new template (error-rate 0.42 above max 0.05)");

        Release refused = atTimedPause("AwaitingPromotion");
        refused.getStatus().rollout = null;
        refused.getStatus().message = "version 2 is not promoted: it Failed in staging/shop (revision 4)";
        PromotionSpec.Upstream staging = new PromotionSpec.Upstream();
        staging.namespace = "staging";
        staging.release = "shop";
        refused.getSpec().promotion = new PromotionSpec();
        refused.getSpec().promotion.from = List.of(staging);
        assertThat(ReleaseSummary.of(refused, NOW).waitingFor()).isEqualTo("a new version (refused by staging/shop)");
    }

    @Test
    void anUpstreamInAnotherClusterIsShownWithItsCluster() {
        Release waiting = atTimedPause("AwaitingPromotion");
        waiting.getStatus().rollout = null;
        waiting.getStatus().message = "revision 2 (2) waits for eu:staging/shop to run shop:2; it runs shop:1 (revision 1)";
        PromotionSpec.Upstream staging = new PromotionSpec.Upstream();
        staging.cluster = "eu";
        staging.namespace = "staging";
        staging.release = "shop";
        PromotionSpec.Upstream local = new PromotionSpec.Upstream();
        local.release = "qa";
        waiting.getSpec().promotion = new PromotionSpec();
        waiting.getSpec().promotion.from = List.of(staging, local);
        assertThat(ReleaseSummary.of(waiting, NOW).waitingFor())
                .isEqualTo("promotion from eu:staging/shop, " + waiting.getMetadata().getNamespace() + "/qa");
    }
}
