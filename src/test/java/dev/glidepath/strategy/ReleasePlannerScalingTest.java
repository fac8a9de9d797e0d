package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PostPromotionSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.replicas changed during a rollout (kubectl scale, an autoscaler): the split is computed again at the
 * current step and weight, available pods never drop below what the Release asks for, and it is never a new
 * revision nor a restart of the steps.
 */
class ReleasePlannerScalingTest {

    /** Scales the Release as the scale subresource does: spec.replicas only, the generation moves. */
    private static void scale(SimulatedCluster cluster, int replicas) {
        cluster.spec.replicas = replicas;
        cluster.generation++;
    }

    private static void assertSameRollout(SimulatedCluster cluster, int steps) {
        assertThat(cluster.deployments).containsOnlyKeys(1, 2);
        assertThat(cluster.rollouts).containsOnlyKeys("shop-1", "shop-2");
        assertThat(cluster.eventReasons()).doesNotContain("RolloutSuperseded");
        assertThat(cluster.rollout("shop-2").status().steps).hasSize(steps);
    }

    @Test
    void scalingUpMidCanaryResplitsAtTheCurrentWeightWithoutANewRevision() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50), CanaryStep.pause(null))).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2, 2, 2));

        scale(cluster, 8);
        cluster.tickUntil(c -> c.available().equals(Map.of(1, 4, 2, 4)));
        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.status.currentStep).isEqualTo(1);
        assertThat(cluster.status.canaryWeight).isEqualTo(50);
        assertSameRollout(cluster, 2);
    }

    @Test
    void scalingDownMidCanaryNeverDropsAvailablePodsBelowWhatTheReleaseAsksFor() {
        var cluster = new SimulatedCluster(Specs.canary(8, CanaryStep.weight(25), CanaryStep.weight(75), CanaryStep.pause(null)))
                .deployed();
        cluster.podsReadyPerTick = 1;
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);
        scale(cluster, 4);
        for (int i = 0; i < 30 && !"Paused".equals(cluster.status.phase); i++) {
            Decision d = cluster.tick();
            assertThat(cluster.availableAfter(d)).isGreaterThanOrEqualTo(4);
        }
        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 1, 2, 3));
        assertSameRollout(cluster, 3);
    }

    @Test
    void behindARouteTheCanaryKeepsItsExactWeightAndTheStableRevisionFollowsTheNewSize() {
        var cluster = new SimulatedCluster(Specs.routed(Specs.canary(3, CanaryStep.weight(5), CanaryStep.pause(null)))).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 1));

        scale(cluster, 40);
        cluster.tickUntil(c -> c.available().get(1) == 40);
        // ceil(40 × 5%) = 2 canary pods; the route still sends it exactly 5%.
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 40, 2, 2));
        assertThat(cluster.traffic).isEqualTo(TrafficSplit.weighted(5, List.of()));
        scale(cluster, 2);
        cluster.tick();
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2, 2, 1));
        assertThat(cluster.traffic.canaryWeight()).isEqualTo(5);
        assertSameRollout(cluster, 2);
    }

    @Test
    void blueGreenSizesTheNewRevisionToTheNewCountBeforeTheSwitch() {
        var spec = Specs.blueGreen(2);
        spec.strategy.blueGreen.autoPromote = false;
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        scale(cluster, 5);
        cluster.tickUntil(c -> c.available().equals(Map.of(1, 5, 2, 5)));
        assertThat(cluster.stableService.selected()).isEqualTo(1);
        cluster.spec.promote = Specs.promote("go");
        cluster.tickUntil(c -> c.stableService.selected() == 2);
        assertThat(cluster.available().get(2)).isEqualTo(5);
    }

    @Test
    void duringThePostPromotionWindowBothRevisionsFollowTheNewCountAndARevertKeepsIt() {
        var spec = Specs.canary(2, CanaryStep.weight(50));
        spec.analysis = ReleasePlannerAnalysisTest.analysis();
        spec.analysis.postPromotion = new PostPromotionSpec();
        spec.analysis.postPromotion.duration = "5m";
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.measuring = metric -> "Pass";
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.rollout != null && c.status.rollout.promotedAt != null);
        scale(cluster, 6);
        cluster.tickUntil(c -> c.available().equals(Map.of(1, 6, 2, 6)));

        cluster.measuring = metric -> "Fail";
        cluster.now = Instant.parse(cluster.status.rollout.nextMeasurementAt);
        Decision reverted = cluster.reconcile();
        assertThat(reverted.replicas()).containsEntry(1, 6).containsEntry(2, 0);
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("RolledBack");
    }

    @Test
    void scalingDuringARevertSizesTheStableRevisionToTheNewCount() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50), CanaryStep.pause(null))).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        cluster.spec.abort = Specs.command("stop");
        scale(cluster, 7);
        Decision d = cluster.reconcile();
        assertThat(d.replicas()).containsEntry(1, 7).containsEntry(2, 0);
        cluster.tickUntil(c -> c.available().get(1) == 7);
        assertThat(cluster.status.replicas).isEqualTo(7);
        assertThat(cluster.status.selector).isEqualTo("glidepath.dev/release=shop");
    }

    @Test
    void theStatusCountsAvailablePodsOfEveryRevisionForTheScaleSubresource() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50), CanaryStep.pause(null))).deployed();
        assertThat(cluster.status.replicas).isEqualTo(4);
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        cluster.tick();
        assertThat(cluster.status.replicas).isEqualTo(4);
        assertThat(cluster.status.selector).isEqualTo("glidepath.dev/release=shop");
    }
}
