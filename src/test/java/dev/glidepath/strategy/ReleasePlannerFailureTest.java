package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rollouts that do not make it: the progress deadline, retries and superseding templates. */
class ReleasePlannerFailureTest {

    private static SimulatedCluster canaryWithBrokenUpdate() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(25), CanaryStep.pause(null)));
        cluster.spec.progressDeadline = "2m";
        cluster.deployed();
        cluster.brokenImages.add("shop:bad");
        cluster.setImage("shop:bad");
        cluster.reconcile();
        return cluster;
    }

    @Test
    void theProgressDeadlineRunsFromWhenTheRolloutStartedWaiting() {
        var cluster = canaryWithBrokenUpdate();

        Decision waiting = cluster.tick(Duration.ofSeconds(119));

        assertThat(cluster.status.rollout).isNotNull();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(waiting.requeueAfter()).contains(Duration.ofSeconds(1));
    }

    @Test
    void aRevisionThatMissesTheProgressDeadlineIsAbortedAndTrafficGoesBackToStable() {
        var cluster = canaryWithBrokenUpdate();
        cluster.tick(Duration.ofSeconds(60));

        Decision failed = cluster.tick(Duration.ofSeconds(60));

        assertThat(failed.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
        assertThat(failed.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        var record = cluster.rollout("shop-2").status();
        assertThat(record.phase).isEqualTo("Aborted");
        assertThat(record.finishedAt).isEqualTo(cluster.now.toString());
        assertThat(record.message).startsWith("ProgressDeadlineExceeded: revision 2 did not become available within the"
                + " progress deadline of 2m");
        assertThat(record.steps).extracting(s -> s.what + "=" + s.outcome).containsExactly("setWeight 25=Failed");
        assertThat(cluster.outcome(2)).isEqualTo("Failed");
        assertThat(cluster.revision(2).orElseThrow().reason).startsWith("ProgressDeadlineExceeded");
        assertThat(cluster.outcome(1)).isEqualTo("Stable");
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.status.phase).isEqualTo("Degraded");
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.status.currentRevision).isEqualTo(2);
        assertThat(cluster.condition(Conditions.DEGRADED)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "ProgressDeadlineExceeded");
        assertThat(cluster.condition(Conditions.PROGRESSING)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "ProgressDeadlineExceeded");
        assertThat(cluster.condition(Conditions.AVAILABLE).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(failed.events()).filteredOn(Decision.Note::warning).extracting(Decision.Note::reason)
                .contains("ProgressDeadlineExceeded", "PhaseDegraded");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
    }

    @Test
    void aFailedTemplateIsNotRetriedUntilSpecRetry() {
        var cluster = canaryWithBrokenUpdate();
        cluster.tick(Duration.ofMinutes(2));
        String degradedSince = cluster.condition(Conditions.DEGRADED).orElseThrow().getLastTransitionTime();

        Decision later = cluster.tick(Duration.ofHours(1));
        cluster.tick(Duration.ofHours(1));

        assertThat(later.rolloutWrites()).isEmpty();
        assertThat(later.events()).isEmpty();
        assertThat(later.requeueAfter()).isEmpty();
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.rollouts).containsOnlyKeys("shop-1", "shop-2");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
        assertThat(cluster.condition(Conditions.DEGRADED)).get()
                .extracting(Condition::getReason, Condition::getLastTransitionTime)
                .containsExactly("ProgressDeadlineExceeded", degradedSince);
        assertThat(cluster.status.message).contains("set spec.retry");

        cluster.spec.retry = Specs.command("retry-1");
        Decision retried = cluster.tick();

        assertThat(retried.events()).extracting(Decision.Note::reason).contains("RetryRequested", "RolloutStarted");
        assertThat(cluster.status.rollout.name).isEqualTo("shop-3");
        assertThat(cluster.status.rollout.toRevision).isEqualTo(2);
        assertThat(cluster.outcome(2)).isEqualTo("Progressing");

        // Failing again: the same retry id does not start it a third time.
        cluster.tick(Duration.ofMinutes(2));
        assertThat(cluster.outcome(2)).isEqualTo("Failed");
        cluster.tick(Duration.ofMinutes(10));
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.rollouts).containsOnlyKeys("shop-1", "shop-2", "shop-3");
    }

    @Test
    void aNewTemplateAfterAFailureStartsANewRolloutFromStable() {
        var cluster = canaryWithBrokenUpdate();
        cluster.tick(Duration.ofMinutes(2));

        cluster.setImage("shop:3.0");
        cluster.tick();

        assertThat(cluster.status.rollout.fromRevision).isEqualTo(1);
        assertThat(cluster.status.rollout.toRevision).isEqualTo(3);
        assertThat(cluster.outcome(2)).isEqualTo("Failed");
        cluster.tickUntil(c -> c.status.currentStep == 1);
        cluster.spec.promote = Specs.promote("p");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(3);
        assertThat(cluster.replicas()).containsEntry(3, 4).containsEntry(1, 0);
        assertThat(cluster.condition(Conditions.DEGRADED).orElseThrow().getStatus()).isEqualTo("False");
    }

    @Test
    void aBlueGreenRevisionThatMissesTheDeadlineLeavesStableAndPreviewOnTheStableRevision() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2));
        cluster.spec.progressDeadline = "1m";
        cluster.deployed();
        cluster.brokenImages.add("shop:bad");
        cluster.setImage("shop:bad");
        cluster.reconcile();
        assertThat(cluster.previewService.selected()).isEqualTo(2);

        Decision failed = cluster.tick(Duration.ofMinutes(1));

        assertThat(failed.previewRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(failed.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(failed.replicas()).isEqualTo(Map.of(1, 2, 2, 0));
        assertThat(cluster.status.phase).isEqualTo("Degraded");
        assertThat(cluster.outcome(2)).isEqualTo("Failed");
        assertThat(cluster.condition(Conditions.DEGRADED).orElseThrow().getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Aborted");
    }

    @Test
    void aFirstRevisionThatMissesTheDeadlineDegradesTheRelease() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50)));
        cluster.spec.progressDeadline = "1m";
        cluster.brokenImages.add("shop:1.0");
        cluster.reconcile();

        cluster.tick(Duration.ofMinutes(1));

        assertThat(cluster.status.phase).isEqualTo("Degraded");
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.outcome(1)).isEqualTo("Failed");
        assertThat(cluster.condition(Conditions.DEGRADED)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "ProgressDeadlineExceeded");
        assertThat(cluster.condition(Conditions.AVAILABLE).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(cluster.rollout("shop-1").status().phase).isEqualTo("Aborted");

        // The pods come up after all: the revision is stable and the Release healthy.
        cluster.brokenImages.clear();
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.outcome(1)).isEqualTo("Stable");
    }

    @Test
    void theDeadlineOnlyRunsWhileWaitingForPodsNotDuringPauses() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(25), CanaryStep.pause("10m"),
                CanaryStep.weight(50)));
        cluster.spec.progressDeadline = "1m";
        cluster.deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);

        cluster.tick(Duration.ofMinutes(10));
        assertThat(cluster.status.currentStep).isEqualTo(2);
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.outcome(2)).isEqualTo("Stable");
    }

    @Test
    void aTemplateChangeMidRolloutSupersedesItAndStartsOverFromStable() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50), CanaryStep.pause(null))).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);

        cluster.setImage("shop:3.0");
        Decision d = cluster.tick();

        assertThat(d.events()).extracting(Decision.Note::reason).contains("RolloutSuperseded", "RolloutStarted");
        var old = cluster.rollout("shop-2").status();
        assertThat(old.phase).isEqualTo("Superseded");
        assertThat(old.message).contains("superseded by revision 3");
        assertThat(old.finishedAt).isEqualTo(cluster.now.toString());
        assertThat(old.steps).allSatisfy(s -> assertThat(s.finishedAt).isNotNull());
        assertThat(cluster.outcome(2)).isEqualTo("Superseded");
        assertThat(cluster.status.rollout.name).isEqualTo("shop-3");
        assertThat(cluster.status.rollout.fromRevision).isEqualTo(1);
        assertThat(cluster.status.rollout.toRevision).isEqualTo(3);
        assertThat(cluster.status.rollout.stepIndex).isZero();
        assertThat(d.createRevision()).contains(3);
        // Revision 2 still serves half the traffic: it gives its pods up only as revision 3 has them available.
        assertThat(d.replicas()).containsEntry(2, 2);

        cluster.tickUntil(c -> c.status.currentStep == 1);
        cluster.spec.promote = Specs.promote("p");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(3);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 0, 3, 4));
        assertThat(cluster.status.revisions).extracting(r -> r.number + ":" + r.outcome)
                .containsExactly("3:Stable", "2:Superseded", "1:Replaced");
    }

    @Test
    void supersedingACanaryKeepsTotalAvailableAtReplicas() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50), CanaryStep.pause(null))).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);
        assertThat(cluster.available()).isEqualTo(Map.of(1, 2, 2, 2));

        cluster.setImage("shop:3.0");
        cluster.advance(Duration.ofSeconds(1));
        Decision d = cluster.decide();

        assertThat(cluster.availableAfter(d)).as("available after %s", d.replicas()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aTemplateChangeBackToStableMidRolloutEndsIt() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50), CanaryStep.pause(null))).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);

        cluster.setImage("shop:1.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));

        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.status.currentRevision).isEqualTo(1);
        assertThat(cluster.outcome(2)).isEqualTo("Superseded");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Superseded");
    }

    @Test
    void aBlueGreenRolloutIsSupersededBeforeItsSwitch() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2));
        cluster.spec.strategy.blueGreen.autoPromote = false;
        cluster.deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();

        cluster.setImage("shop:3.0");
        Decision d = cluster.tick();

        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Superseded");
        assertThat(d.previewRoute()).contains(ServiceRoute.pinned(3, 1));
        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(d.replicas()).isEqualTo(Map.of(1, 2, 2, 0, 3, 2));
    }
}
