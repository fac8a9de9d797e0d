package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first revision of a Release, and a Release with nothing to do. */
class ReleasePlannerSteadyStateTest {

    @Test
    void firstRevisionIsDeployedDirectlyWithAnInitialRollout() {
        var cluster = new SimulatedCluster(Specs.canary(3, CanaryStep.weight(50)));

        Decision d = cluster.reconcile();

        assertThat(d.touchWorkloads()).isTrue();
        assertThat(d.createRevision()).contains(1);
        assertThat(d.replicas()).isEqualTo(Map.of(1, 3));
        assertThat(d.rolloutWrites()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("shop-1");
            assertThat(w.create()).hasValueSatisfying(s -> {
                assertThat(s.reason).isEqualTo(ReleasePlanner.REASON_INITIAL);
                assertThat(s.fromRevision).isNull();
                assertThat(s.toRevision).isEqualTo(1);
                assertThat(s.strategy).isNull();
            });
        });
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.status.rollout.reason).isEqualTo("Initial");
        assertThat(cluster.status.rollout.strategy).isEqualTo("Direct");
        assertThat(cluster.status.currentRevision).isEqualTo(1);
        assertThat(cluster.status.canaryWeight).isZero();
        assertThat(cluster.condition(Conditions.AVAILABLE)).get().extracting(Condition::getStatus).isEqualTo("False");
        assertThat(cluster.condition(Conditions.PROGRESSING)).get().extracting(Condition::getStatus).isEqualTo("True");
        assertThat(cluster.eventReasons()).contains("RolloutStarted");
        assertThat(d.requeueAfter()).isPresent();
    }

    @Test
    void firstRevisionBecomesHealthyOnceAvailable() {
        var cluster = new SimulatedCluster(Specs.canary(3, CanaryStep.weight(50)));
        cluster.reconcile();

        Decision d = cluster.tick();

        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.status.currentRevision).isEqualTo(1);
        assertThat(cluster.status.version).isEqualTo("1.0");
        assertThat(cluster.status.strategy).isEqualTo("Canary");
        assertThat(cluster.status.rollout).isNull();
        assertThat(cluster.outcome(1)).isEqualTo("Stable");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3));
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(null, 1));
        assertThat(cluster.rollout("shop-1").status().phase).isEqualTo("Succeeded");
        assertThat(cluster.condition(Conditions.AVAILABLE)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "MinimumReplicasAvailable");
        assertThat(cluster.condition(Conditions.PROGRESSING)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "RolloutCompleted");
        assertThat(cluster.condition(Conditions.DEGRADED)).get().extracting(Condition::getStatus).isEqualTo("False");
        assertThat(d.events()).extracting(Decision.Note::reason).contains("RolloutSucceeded", "PhaseHealthy");
    }

    @Test
    void firstRevisionOfABlueGreenReleaseIsPinnedAndPreviewed() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2));
        cluster.reconcile();
        assertThat(cluster.stableService.selected()).isEqualTo(1);

        cluster.tick();

        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.status.strategy).isEqualTo("BlueGreen");
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(1, 1));
        assertThat(cluster.previewService.selected()).isEqualTo(1);
    }

    @Test
    void firstRevisionWaitsWhilePodsComeUp() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50)));
        cluster.podsReadyPerTick = 1;
        cluster.reconcile();

        cluster.tick();
        cluster.tick();

        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.status.rollout.toRevision).isEqualTo(1);
        assertThat(cluster.rollout("shop-1").status().message).contains("2/4 available");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.available()).isEqualTo(Map.of(1, 4));
    }

    @Test
    void idleReleaseNeedsNoRequeueAndItsStatusIsStable() {
        var cluster = new SimulatedCluster(Specs.canary(3, CanaryStep.weight(50))).deployed();

        Decision first = cluster.tick(Duration.ofMinutes(5));
        String statusAfterFirst = SimulatedCluster.json(cluster.status);
        Decision second = cluster.tick(Duration.ofMinutes(5));

        assertThat(first.requeueAfter()).isEmpty();
        assertThat(second.requeueAfter()).isEmpty();
        assertThat(SimulatedCluster.json(second.status())).isEqualTo(statusAfterFirst);
        assertThat(second.events()).isEmpty();
        assertThat(second.rolloutWrites()).isEmpty();
        assertThat(second.createRevision()).isEmpty();
        assertThat(second.pruneRevisions()).isEmpty();
        assertThat(second.replicas()).isEqualTo(Map.of(1, 3));
    }

    @Test
    void decidingTwiceOnTheSameInputGivesTheSameDecision() {
        var cluster = new SimulatedCluster(Specs.canary(3, CanaryStep.weight(50), CanaryStep.pause(null))).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();
        DecisionInput in = cluster.input();

        Decision a = ReleasePlanner.decide(in);
        Decision b = ReleasePlanner.decide(in);

        assertThat(SimulatedCluster.describe(b)).isEqualTo(SimulatedCluster.describe(a));
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileTheirStatusDoesNotChange() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        String availableSince = cluster.condition(Conditions.AVAILABLE).orElseThrow().getLastTransitionTime();
        String degradedSince = cluster.condition(Conditions.DEGRADED).orElseThrow().getLastTransitionTime();

        cluster.tick(Duration.ofHours(1));
        cluster.setImage("shop:2.0");
        cluster.tick(Duration.ofMinutes(1));

        // Progressing flipped to True with the update: its time moves; Available and Degraded did not change.
        assertThat(cluster.condition(Conditions.AVAILABLE).orElseThrow().getLastTransitionTime()).isEqualTo(availableSince);
        assertThat(cluster.condition(Conditions.DEGRADED).orElseThrow().getLastTransitionTime()).isEqualTo(degradedSince);
        assertThat(cluster.condition(Conditions.DEGRADED).orElseThrow().getReason()).isEqualTo("RolloutInProgress");
        assertThat(cluster.condition(Conditions.PROGRESSING).orElseThrow())
                .extracting(Condition::getStatus, Condition::getLastTransitionTime)
                .containsExactly("True", cluster.now.toString());
        assertThat(cluster.condition(Conditions.AVAILABLE).orElseThrow().getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void scalingTheReleaseScalesTheStableRevision() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.podsReadyPerTick = 1;
        cluster.spec.replicas = 4;

        Decision d = cluster.tick();

        assertThat(d.replicas()).isEqualTo(Map.of(1, 4));
        assertThat(d.rolloutWrites()).isEmpty();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.condition(Conditions.PROGRESSING).orElseThrow().getReason()).isEqualTo("ScalingStable");
        assertThat(d.requeueAfter()).isPresent();
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.available()).isEqualTo(Map.of(1, 4));
    }

    @Test
    void statusLostAfterTheFirstDeployIsRebuiltFromTheCluster() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.status = null;

        Decision d = cluster.tick();

        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.status.revisions).extracting(r -> r.number).containsExactly(1);
        assertThat(d.rolloutWrites()).isEmpty();
        assertThat(d.createRevision()).isEmpty();
    }

    @Test
    void oldRevisionsBeyondTheHistoryLimitArePrunedWithTheirRollouts() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50)));
        cluster.spec.revisionHistoryLimit = 1;
        cluster.deployed();
        for (String image : new String[] {"shop:2.0", "shop:3.0", "shop:4.0"}) {
            cluster.setImage(image);
            cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && c.status.rollout == null);
        }
        Decision d = cluster.tick();

        // Revision 4 serves; revision 3 is the one kept for rollback; 1 and 2 are gone with their Rollouts.
        assertThat(cluster.deployments).containsOnlyKeys(3, 4);
        assertThat(cluster.rollouts).containsOnlyKeys("shop-3", "shop-4");
        assertThat(cluster.status.revisions).extracting(r -> r.number).containsExactly(4, 3);
        assertThat(d.pruneRevisions()).isEmpty();
        assertThat(cluster.replicas()).isEqualTo(Map.of(3, 0, 4, 2));
    }

    @Test
    void aRevisionIsNotPrunedWhileItStillHasPods() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50)));
        cluster.spec.revisionHistoryLimit = 0;
        cluster.deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();

        Decision d = cluster.decide();

        assertThat(d.pruneRevisions()).doesNotContain(1);
        assertThat(d.pruneRevisions()).doesNotContain(2);
    }

    @Test
    void decideDoesNotModifyTheRolloutItAdopts() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2)).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();
        assertThat(cluster.stableService.selected()).isEqualTo(2);
        cluster.status = null;
        DecisionInput in = cluster.input();
        String adopted = SimulatedCluster.json(in.observed().rollouts().get("shop-2").status());

        Decision a = ReleasePlanner.decide(in);

        assertThat(a.rolloutWrites()).extracting(Decision.RolloutWrite::name).containsExactly("shop-2");
        assertThat(SimulatedCluster.json(in.observed().rollouts().get("shop-2").status())).isEqualTo(adopted);
    }

    @Test
    void decidingTwiceWhileAdoptingAnOrphanRolloutGivesTheSameDecision() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50)));
        cluster.reconcile();
        cluster.podsStart();
        cluster.status = null;
        cluster.stableService = null;
        DecisionInput in = cluster.input();

        Decision a = ReleasePlanner.decide(in);
        Decision b = ReleasePlanner.decide(in);

        assertThat(a.rolloutWrites()).extracting(Decision.RolloutWrite::name).containsExactly("shop-1");
        assertThat(SimulatedCluster.describe(b)).isEqualTo(SimulatedCluster.describe(a));
    }
}
