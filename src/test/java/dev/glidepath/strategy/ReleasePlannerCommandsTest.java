package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One-shot commands: abort, retry, promote and rollback. */
class ReleasePlannerCommandsTest {

    /** A canary Release whose update to revision 2 waits at an indefinite pause with 2 of 4 pods on it. */
    private static SimulatedCluster canaryPausedAtHalf() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50), CanaryStep.pause(null))).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);
        cluster.events.clear();
        return cluster;
    }

    /** A canary Release updated from revision 1 to 2; revision 1 is retained at zero replicas. */
    private static SimulatedCluster canaryUpdatedTwice() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50))).deployed();
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && c.status.stableRevision == 2);
        cluster.events.clear();
        cluster.history.clear();
        return cluster;
    }

    // ---- abort ------------------------------------------------------------------------------------

    @Test
    void abortEndsTheUpdateAndTrafficReturnsToStable() {
        var cluster = canaryPausedAtHalf();

        cluster.spec.abort = Specs.command("stop");
        Decision d = cluster.tick();

        assertThat(d.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Aborted");
        assertThat(cluster.rollout("shop-2").status().message).contains("aborted by spec.abort (id stop)");
        assertThat(cluster.outcome(2)).isEqualTo("Aborted");
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.status.phase).isEqualTo("Degraded");
        assertThat(cluster.status.handledCommands.abort).isEqualTo("stop");
        assertThat(cluster.condition(Conditions.DEGRADED)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "RolloutAborted");
        assertThat(d.events()).filteredOn(Decision.Note::warning).extracting(Decision.Note::reason).contains("RolloutAborted");

        // Not rolled out again by itself, and the same abort id is not handled twice.
        cluster.tick(Duration.ofHours(1));
        cluster.tick(Duration.ofHours(1));
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
        // One documented reason, the same in every later reconcile.
        assertThat(cluster.condition(Conditions.DEGRADED)).get().extracting(Condition::getReason).isEqualTo("RolloutAborted");
        assertThat(cluster.condition(Conditions.PROGRESSING)).get().extracting(Condition::getReason).isEqualTo("RolloutAborted");
        assertThat(cluster.rollouts).containsOnlyKeys("shop-1", "shop-2");
        assertThat(cluster.eventReasons()).doesNotContain("CommandIgnored");

        cluster.spec.retry = Specs.command("again");
        cluster.tick();
        assertThat(cluster.status.rollout.name).isEqualTo("shop-3");
        assertThat(cluster.status.rollout.toRevision).isEqualTo(2);
    }

    @Test
    void abortWithoutAnUpdateInFlightIsIgnored() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        String before = SimulatedCluster.json(cluster.status);

        cluster.spec.abort = Specs.command("stop");
        Decision d = cluster.tick();

        assertThat(d.events()).extracting(Decision.Note::reason).containsExactly("CommandIgnored");
        assertThat(cluster.status.handledCommands.abort).isEqualTo("stop");
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(d.replicas()).isEqualTo(Map.of(1, 2));
        cluster.status.handledCommands.abort = null;
        assertThat(SimulatedCluster.json(cluster.status)).isEqualTo(before);
    }

    @Test
    void anAbortIdAlreadyHandledDoesNotAbortTheNextRollout() {
        var cluster = canaryPausedAtHalf();
        cluster.spec.abort = Specs.command("stop");
        cluster.tick();

        cluster.setImage("shop:3.0");
        cluster.tick();
        cluster.tickUntil(c -> c.status.currentStep == 1);

        assertThat(cluster.status.rollout.toRevision).isEqualTo(3);
        assertThat(cluster.outcome(3)).isEqualTo("Progressing");
    }

    @Test
    void abortTogetherWithATemplateChangeMarksTheAbortedRevision() {
        var cluster = canaryPausedAtHalf();

        cluster.spec.abort = Specs.command("stop");
        cluster.setImage("shop:3.0");
        cluster.tick();

        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Aborted");
        assertThat(cluster.outcome(2)).isEqualTo("Aborted");
        assertThat(cluster.outcome(3)).isNotEqualTo("Aborted");
    }

    // ---- retry and promote ------------------------------------------------------------------------

    @Test
    void retryWhenNothingFailedIsIgnored() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();

        cluster.spec.retry = Specs.command("r1");
        Decision d = cluster.tick();

        assertThat(d.events()).extracting(Decision.Note::reason).containsExactly("CommandIgnored");
        assertThat(cluster.status.handledCommands.retry).isEqualTo("r1");
        assertThat(cluster.status.rollout).isNull();
    }

    @Test
    void promoteWithoutAnUpdateInFlightIsIgnoredAndDoesNotCarryOverToTheNextRollout() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(25), CanaryStep.pause(null))).deployed();

        cluster.spec.promote = Specs.promote("early");
        Decision d = cluster.tick();
        assertThat(d.events()).extracting(Decision.Note::reason).containsExactly("CommandIgnored");

        cluster.setImage("shop:2.0");
        cluster.tick();
        cluster.tickUntil(c -> c.status.currentStep == 1);
        cluster.tick(Duration.ofMinutes(10));
        assertThat(cluster.status.currentStep).isEqualTo(1);
        assertThat(cluster.status.phase).isEqualTo("Paused");
    }

    @Test
    void promoteIsIgnoredDuringTheFirstDeployment() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50)));
        cluster.podsReadyPerTick = 1;
        cluster.reconcile();

        cluster.spec.promote = Specs.promote("p");
        Decision d = cluster.tick();

        assertThat(d.events()).extracting(Decision.Note::reason).contains("CommandIgnored");
        assertThat(cluster.status.rollout.promoted).isNull();
    }

    // ---- rollback ---------------------------------------------------------------------------------

    @Test
    void rollbackToARetainedRevisionScalesItUpThenMovesTraffic() {
        var cluster = canaryUpdatedTwice();
        cluster.podsReadyPerTick = 2;

        cluster.spec.rollback = Specs.rollback("rb-1", 1);
        Decision start = cluster.tick();

        assertThat(start.replicas()).isEqualTo(Map.of(1, 4, 2, 4));
        assertThat(start.stableRoute()).contains(ServiceRoute.allRevisions(2));
        assertThat(start.rolloutWrites()).filteredOn(w -> w.create().isPresent()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("shop-3");
            assertThat(w.create().get().reason).isEqualTo("Rollback");
            assertThat(w.create().get().fromRevision).isEqualTo(2);
            assertThat(w.create().get().toRevision).isEqualTo(1);
            assertThat(w.create().get().version).isEqualTo("1.0");
            assertThat(w.create().get().strategy).isNull();
        });
        assertThat(start.events()).extracting(Decision.Note::reason).contains("RollbackStarted", "RolloutStarted");
        assertThat(cluster.status.rollout.reason).isEqualTo("Rollback");
        assertThat(cluster.status.rollout.strategy).isEqualTo("Direct");
        assertThat(cluster.status.canaryWeight).isZero();
        assertThat(cluster.status.currentStep).isNull();
        assertThat(cluster.status.handledCommands.rollback).isEqualTo("rb-1");

        // Half of the old revision is up: the stable revision does not change yet.
        cluster.tick();
        assertThat(cluster.available()).isEqualTo(Map.of(1, 2, 2, 4));
        assertThat(cluster.stableService.stableAnnotation()).isEqualTo(2);
        assertThat(cluster.status.rollout).isNotNull();

        Decision moved = cluster.tick();
        assertThat(cluster.available()).containsEntry(1, 4);
        // Behind the canary Service the rolled-back revision is cut out of traffic by pinning the selector.
        assertThat(moved.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(cluster.stableService.stableAnnotation()).isEqualTo(1);
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.rollout("shop-3").status().phase).isEqualTo("Succeeded");
        assertThat(cluster.rollout("shop-3").status().steps).extracting(s -> s.what + "=" + s.outcome)
                .containsExactly("scale up revision 1=Succeeded", "move traffic to revision 1=Succeeded");
        assertThat(moved.events()).extracting(Decision.Note::reason).contains("RolledBack");
        assertThat(cluster.outcome(1)).isEqualTo("Stable");
        // Retiring the revision rolled back from is the next reconcile's job: it is asked for now, without
        // waiting for some other event (or the periodic look a minute later).
        assertThat(moved.requeueAfter()).hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(100)));
        cluster.advance(moved.requeueAfter().get());
        cluster.reconcile();
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
    }

    @Test
    void aRollbackFromTheStableRevisionStaysRolledBack() {
        var cluster = canaryUpdatedTwice();

        cluster.spec.rollback = Specs.rollback("rb-1", 1);
        cluster.tick();
        assertThat(cluster.outcome(2)).as("outcome of the rolled-back revision").isEqualTo("RolledBack");
        cluster.tick();
        cluster.tick();

        assertThat(cluster.status.phase).isEqualTo("RolledBack");
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.status.currentRevision).isEqualTo(2);
        assertThat(cluster.outcome(1)).isEqualTo("Stable");
        assertThat(cluster.outcome(2)).isEqualTo("RolledBack");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
        assertThat(cluster.rollouts).containsOnlyKeys("shop-1", "shop-2", "shop-3");
        assertThat(cluster.condition(Conditions.PROGRESSING)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "RolledBack");
        assertThat(cluster.condition(Conditions.DEGRADED).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(cluster.eventReasons()).contains("PhaseRolledBack");
    }

    @Test
    void aBlueGreenRollbackKeepsTrafficOnTheCurrentRevisionUntilTheOldOneIsFullyAvailable() {
        var cluster = new SimulatedCluster(Specs.blueGreen(3)).deployed();
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && c.status.stableRevision == 2);
        cluster.podsReadyPerTick = 1;

        cluster.spec.rollback = Specs.rollback("rb", 1);
        Decision start = cluster.tick();
        assertThat(start.replicas()).isEqualTo(Map.of(1, 3, 2, 3));
        cluster.tick();
        cluster.tick();
        assertThat(cluster.available()).containsEntry(1, 2);
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(2, 2));

        Decision moved = cluster.tick();
        assertThat(moved.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(1, 1));
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        cluster.tick();
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 0));
        assertThat(cluster.status.phase).isEqualTo("RolledBack");
        assertThat(cluster.outcome(2)).isEqualTo("RolledBack");
    }

    @Test
    void removingTheRollbackCommandDoesNotRollForward() {
        var cluster = canaryUpdatedTwice();
        cluster.spec.rollback = Specs.rollback("rb-1", 1);
        cluster.tickUntil(c -> "RolledBack".equals(c.status.phase) && c.replicas().get(2) == 0);
        String settled = SimulatedCluster.json(cluster.status);

        cluster.spec.rollback = null;
        Decision d = cluster.tick(Duration.ofMinutes(5));
        cluster.tick(Duration.ofHours(1));

        assertThat(d.rolloutWrites()).isEmpty();
        assertThat(d.requeueAfter()).isEmpty();
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.status.phase).isEqualTo("RolledBack");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
        assertThat(SimulatedCluster.json(cluster.status)).isEqualTo(settled);

        // spec.retry brings the current template back.
        cluster.spec.retry = Specs.command("forward");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(cluster.outcome(2)).isEqualTo("Stable");
    }

    @Test
    void removingTheRollbackCommandAfterRollingBackAnUpdateDoesNotRollForward() {
        var cluster = canaryPausedAtHalf();
        cluster.spec.rollback = Specs.rollback("rb", 1);
        cluster.tickUntil(c -> "RolledBack".equals(c.status.phase) && c.available().equals(Map.of(1, 4, 2, 0)));
        String settled = SimulatedCluster.json(cluster.status);

        cluster.spec.rollback = null;
        Decision d = cluster.tick(Duration.ofMinutes(5));
        cluster.tick(Duration.ofHours(1));

        assertThat(d.rolloutWrites()).isEmpty();
        assertThat(d.requeueAfter()).isEmpty();
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 0));
        assertThat(SimulatedCluster.json(cluster.status)).isEqualTo(settled);

        cluster.spec.retry = Specs.command("forward");
        cluster.tick();
        assertThat(cluster.status.rollout.reason).isEqualTo("Update");
        assertThat(cluster.status.rollout.toRevision).isEqualTo(2);
    }

    @Test
    void rollbackDuringAnUpdateEndsItAndReturnsToTheRetainedRevision() {
        var cluster = canaryPausedAtHalf();

        cluster.spec.rollback = Specs.rollback("rb", 1);
        Decision d = cluster.tick();

        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("RolledBack");
        assertThat(cluster.outcome(2)).isEqualTo("RolledBack");
        assertThat(cluster.status.rollout).isNull();
        assertThat(d.replicas()).containsEntry(1, 4);
        cluster.tickUntil(c -> c.replicas().get(2) == 0);
        assertThat(cluster.status.phase).isEqualTo("RolledBack");
        assertThat(cluster.status.stableRevision).isEqualTo(1);
    }

    @Test
    void rollbackToARevisionThatIsNotRetainedIsRejectedNamingTheField() {
        var cluster = canaryUpdatedTwice();
        String before = SimulatedCluster.json(cluster.status.revisions);

        cluster.spec.rollback = Specs.rollback("rb-9", 9);
        Decision d = cluster.tick();

        assertThat(d.replicas()).isEqualTo(Map.of(1, 0, 2, 4));
        assertThat(d.rolloutWrites()).isEmpty();
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.status.handledCommands.rollback).isEqualTo("rb-9");
        assertThat(SimulatedCluster.json(cluster.status.revisions)).isEqualTo(before);
        assertThat(cluster.condition(Conditions.COMMAND_REJECTED)).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("CommandRejected");
            assertThat(c.getMessage()).startsWith("spec.rollback.revision:").contains("revision 9 is not retained")
                    .contains("retained: 1, 2");
        });
        assertThat(d.events()).filteredOn(Decision.Note::warning).extracting(Decision.Note::reason)
                .containsExactly("RollbackRejected");

        // A later accepted command clears it.
        cluster.spec.rollback = Specs.rollback("rb-10", 1);
        cluster.tick();
        assertThat(cluster.condition(Conditions.COMMAND_REJECTED)).get()
                .extracting(Condition::getStatus, Condition::getReason).containsExactly("False", "CommandAccepted");
    }

    @Test
    void aRejectedCommandStaysRejectedUntilANewCommandIsHandled() {
        var cluster = canaryUpdatedTwice();
        cluster.spec.rollback = Specs.rollback("rb-9", 9);
        cluster.tick();

        cluster.tick();

        assertThat(cluster.condition(Conditions.COMMAND_REJECTED)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "CommandRejected");
    }

    @Test
    void rollbackToTheStableRevisionDuringAFailedUpdateMarksTheFailedTemplateRolledBack() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50)));
        cluster.spec.progressDeadline = "1m";
        cluster.deployed();
        cluster.brokenImages.add("shop:bad");
        cluster.setImage("shop:bad");
        cluster.reconcile();
        cluster.tick(Duration.ofMinutes(1));
        assertThat(cluster.outcome(2)).isEqualTo("Failed");

        cluster.spec.rollback = Specs.rollback("rb", 1);
        Decision d = cluster.tick();

        assertThat(d.rolloutWrites()).isEmpty();
        assertThat(cluster.status.phase).isEqualTo("RolledBack");
        assertThat(cluster.outcome(2)).isEqualTo("RolledBack");
        assertThat(cluster.condition(Conditions.DEGRADED).orElseThrow().getStatus()).isEqualTo("False");
    }
}
