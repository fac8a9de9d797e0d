package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PostPromotionSpec;
import dev.glidepath.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReleasePlannerEdgeCasesTest {

    SimulatedCluster canary(CanaryStep... steps) {
        var spec = Specs.canary(4, steps);
        spec.analysis = ReleasePlannerAnalysisTest.analysis();
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.measuring = metric -> "Pass";
        cluster.setImage("shop:2.0");
        return cluster;
    }

    /** A promote at a manual pause, sent before the step's first measurement, is consumed and lost. */
    @Test
    void promoteAtAPauseBeforeItsFirstMeasurementIsNotLost() {
        var cluster = canary(CanaryStep.weight(25), CanaryStep.pause(null), CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.podsReadyPerTick = 0; // the canary pod starts only after the first (passing) measurement
        cluster.reconcile();
        cluster.tick();
        cluster.now = Instant.parse(cluster.status.rollout.nextMeasurementAt);
        cluster.reconcile(); // measured: Pass, during step 0
        cluster.podsReadyPerTick = Integer.MAX_VALUE;
        cluster.tick(Duration.ofSeconds(2)); // pod available: step 0 done, step 1 (pause {}) starts now
        assertThat(cluster.status.currentStep).isEqualTo(1);
        cluster.spec.promote = Specs.promote("p1");
        cluster.generation++;
        cluster.tick();
        for (int i = 0; i < 3; i++) {
            cluster.now = Instant.parse(cluster.status.rollout.nextMeasurementAt);
            cluster.podsStart();
            cluster.reconcile();
        }
        assertThat(cluster.status.currentStep).isGreaterThanOrEqualTo(2);
    }

    /** spec.paused during the post-promotion window must not move traffic. */
    @Test
    void pausingDuringThePostPromotionWindowKeepsTrafficPinnedToTheNewRevision() {
        var cluster = canary(CanaryStep.weight(50));
        cluster.spec.analysis.postPromotion = new PostPromotionSpec();
        cluster.spec.analysis.postPromotion.duration = "5m";
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.rollout != null && c.status.rollout.promotedAt != null);
        assertThat(cluster.stableService.selected()).isEqualTo(2);
        cluster.spec.paused = true;
        cluster.generation++;
        Decision d = cluster.tick();
        assertThat(cluster.stableService.selected()).as("selector after pause").isEqualTo(2);
    }

    /** onInconclusive: Hold during the post-promotion window must not move traffic either. */
    @Test
    void holdDuringThePostPromotionWindowKeepsTrafficPinned() {
        var cluster = canary(CanaryStep.weight(50));
        cluster.spec.analysis.postPromotion = new PostPromotionSpec();
        cluster.spec.analysis.postPromotion.duration = "5m";
        cluster.spec.analysis.onInconclusive = "Hold";
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.rollout != null && c.status.rollout.promotedAt != null);
        cluster.measuring = m -> "Inconclusive";
        for (int i = 0; i < 5; i++) {
            cluster.now = Instant.parse(cluster.status.rollout.nextMeasurementAt);
            cluster.reconcile();
        }
        assertThat(cluster.stableService.selected()).as("selector while held").isEqualTo(2);
    }

    /** Available stays true through a normal canary (total capacity never below replicas). */
    @Test
    void availableConditionDuringAHealthyCanary() {
        var cluster = canary(CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        assertThat(cluster.condition(Conditions.AVAILABLE).get().getStatus()).isEqualTo("True");
    }

    /**
     * The reconciler writes the Rollout (the evidence) before it moves traffic. Whether the operator dies right
     * after that write or right after acting, the restarted operator reverts again and traffic stays off revision 2.
     */
    @Test
    void aRevertSurvivesACrashAfterTheEvidenceIsWritten() {
        for (boolean acted : new boolean[] {false, true}) {
            var cluster = canary(CanaryStep.weight(50), CanaryStep.pause(null));
            cluster.reconcile();
            cluster.tickUntil(c -> "Paused".equals(c.status.phase));
            cluster.measuring = metric -> "Fail";
            cluster.now = Instant.parse(cluster.status.rollout.nextMeasurementAt);
            Decision d = cluster.decide();
            cluster.applyRollouts(d); // evidence first, as ReleaseReconciler does
            if (acted) {
                cluster.applyWorkloads(d);
            }
            // crash: no status write
            cluster.measuring = metric -> "Inconclusive";
            cluster.advance(Duration.ofSeconds(1));
            cluster.podsStart();
            cluster.reconcile();
            cluster.tick();
            // Revision 2 has no pods left; the selector is pinned to 1 or, with nothing else left, the whole release.
            assertThat(cluster.replicas().get(2)).as("acted=%s", acted).isZero();
            assertThat(cluster.stableService.selected()).as("acted=%s", acted).isIn(null, 1);
            assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("RolledBack");
            assertThat(cluster.status.phase).isEqualTo("Degraded");
        }
    }

    @Test
    void aVersionChangeAloneIsANewRevisionSoPodLabelsMatchTheQueries() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.spec.version = "1.0-hotfix";
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
        assertThat(cluster.status.version).isEqualTo("1.0-hotfix");
        assertThat(cluster.revision(2).orElseThrow().version).isEqualTo("1.0-hotfix");
    }

    @Test
    void aFixAfterAFirstRevisionThatNeverCameUpIsDeployedDirectly() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50), CanaryStep.pause(null)));
        cluster.brokenImages.add("shop:1.0");
        cluster.reconcile();
        cluster.tick(Duration.ofMinutes(11));
        assertThat(cluster.status.phase).isEqualTo("Degraded");
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Succeeded");
        assertThat(cluster.rollouts.values()).noneMatch(r -> "Paused".equals(r.status().phase));
    }

    @Test
    void aRollbackThatCannotComeUpLeavesTrafficWhereItWasAndSaysSo() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
        cluster.brokenImages.add("shop:1.0"); // revision 1 can no longer start (e.g. its image was deleted)
        cluster.spec.rollback = Specs.rollback("r1", 1);
        cluster.tick();
        cluster.tick(Duration.ofMinutes(11));
        cluster.tick();
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.outcome(2)).isEqualTo("Stable");
        assertThat(cluster.condition(Conditions.COMMAND_REJECTED)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getMessage()).contains("rollback to revision 1 failed").contains("ProgressDeadlineExceeded");
        });
        cluster.tick(Duration.ofMinutes(1));
        assertThat(cluster.condition(Conditions.COMMAND_REJECTED).orElseThrow().getStatus()).as("it stays").isEqualTo("True");
        assertThat(cluster.replicas()).containsEntry(1, 0).containsEntry(2, 2);
    }
}
