package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.status.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canary updates: steps, replica-carried weights, pauses, promotion and spec.paused. */
class ReleasePlannerCanaryTest {

    private static SimulatedCluster deployed(int replicas, CanaryStep... steps) {
        return new SimulatedCluster(Specs.canary(replicas, steps)).deployed();
    }

    @ParameterizedTest
    @CsvSource({"4,25,1", "4,50,2", "10,33,4", "10,10,1", "3,10,1", "3,0,0", "3,100,3", "5,99,5", "7,50,4", "0,50,0"})
    void canaryPodsAreTheCeilingOfReplicasTimesWeight(int replicas, int weight, int pods) {
        assertThat(CanaryProgression.canaryPods(replicas, weight)).isEqualTo(pods);
    }

    @Test
    void weightInEffectIsTheLatestSetWeightAtOrBeforeTheStep() {
        List<CanaryStep> steps = List.of(CanaryStep.pause("1m"), CanaryStep.weight(20), CanaryStep.pause(null),
                CanaryStep.weight(60));
        assertThat(CanaryProgression.weightInEffect(steps, 0)).isZero();
        assertThat(CanaryProgression.weightInEffect(steps, 1)).isEqualTo(20);
        assertThat(CanaryProgression.weightInEffect(steps, 2)).isEqualTo(20);
        assertThat(CanaryProgression.weightInEffect(steps, 3)).isEqualTo(60);
        assertThat(CanaryProgression.weightInEffect(steps, 4)).isEqualTo(60);
    }

    @Test
    void anUpdateWalksTheStepsInOrderWithCeilingReplicaMath() {
        var cluster = deployed(10, CanaryStep.weight(10), CanaryStep.weight(33), CanaryStep.pause("1m"),
                CanaryStep.weight(50), CanaryStep.weight(90));
        cluster.setImage("shop:2.0");

        Decision start = cluster.reconcile();
        assertThat(start.createRevision()).contains(2);
        assertThat(start.replicas()).isEqualTo(Map.of(1, 10, 2, 1));
        assertThat(start.stableRoute()).contains(ServiceRoute.allRevisions(1));
        assertThat(start.rolloutWrites()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("shop-2");
            assertThat(w.create()).hasValueSatisfying(s -> {
                assertThat(s.reason).isEqualTo("Update");
                assertThat(s.fromRevision).isEqualTo(1);
                assertThat(s.toRevision).isEqualTo(2);
                assertThat(s.version).isEqualTo("2.0");
                assertThat(s.strategy.canary.steps).hasSize(5);
            });
        });
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.status.currentRevision).isEqualTo(2);
        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.status.currentStep).isZero();
        assertThat(cluster.status.canaryWeight).isEqualTo(10);
        assertThat(cluster.outcome(2)).isEqualTo("Progressing");

        cluster.tickUntil(c -> c.status.currentStep == 2);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 6, 2, 4));
        assertThat(cluster.status.canaryWeight).isEqualTo(33);

        cluster.tick(Duration.ofMinutes(1));
        assertThat(cluster.status.currentStep).isEqualTo(3);
        assertThat(cluster.status.canaryWeight).isEqualTo(50);
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 10));
        // New pods: ceil(10 × 10%) = 1, ceil(10 × 33%) = 4, 50% = 5, 90% = 9, then all 10; the stable side gives
        // up only what the new side has available.
        assertThat(cluster.history).extracting(m -> m.getOrDefault(2, 0)).containsExactly(1, 4, 4, 5, 9, 10, 10);
        assertThat(cluster.history).extracting(m -> m.get(1)).containsExactly(10, 9, 6, 6, 5, 1, 0);
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(cluster.status.canaryWeight).isZero();
        assertThat(cluster.status.currentStep).isNull();
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(null, 2));
        assertThat(cluster.status.revisions).extracting(r -> r.number + ":" + r.outcome)
                .containsExactly("2:Stable", "1:Replaced");
        var record = cluster.rollout("shop-2").status();
        assertThat(record.phase).isEqualTo("Succeeded");
        assertThat(record.weight).isEqualTo(100);
        assertThat(record.steps).extracting(s -> s.index + " " + s.what + "=" + s.outcome).containsExactly(
                "0 setWeight 10=Succeeded", "1 setWeight 33=Succeeded", "2 pause 1m=Succeeded",
                "3 setWeight 50=Succeeded", "4 setWeight 90=Succeeded", "5 setWeight 100 (promote)=Succeeded");
        assertThat(cluster.eventReasons()).containsSubsequence("RolloutStarted", "RolloutSucceeded");
    }

    @Test
    void everyStepCompletesInOneReconcileWhenNothingHasToBeWaitedFor() {
        var cluster = deployed(4, CanaryStep.weight(25), CanaryStep.weight(50));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        int reconciles = 0;
        while (!"Healthy".equals(cluster.status.phase)) {
            cluster.tick();
            reconciles++;
        }
        // Each step needs its pods to start, and the giving side is scaled down one reconcile later.
        assertThat(reconciles).isLessThanOrEqualTo(6);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 4));
    }

    @Test
    void plannedReplicasNeverTakeTotalAvailableBelowReplicasDuringTheShift() {
        for (int perTick : new int[] {1, 2, 3}) {
            var cluster = deployed(5, CanaryStep.weight(20), CanaryStep.weight(40), CanaryStep.pause("10s"),
                    CanaryStep.weight(70), CanaryStep.weight(100));
            cluster.podsReadyPerTick = perTick;
            cluster.setImage("shop:2.0");
            int i = 0;
            do {
                cluster.advance(Duration.ofSeconds(1));
                cluster.podsStart();
                Decision d = cluster.decide();
                assertThat(cluster.availableAfter(d)).as("%d pods per tick, reconcile %d: %s", perTick, i, d.replicas())
                        .isGreaterThanOrEqualTo(5);
                assertThat(d.replicas().values().stream().mapToInt(Integer::intValue).sum())
                        .as("never more than twice the replicas").isLessThanOrEqualTo(10);
                cluster.apply(d);
            } while (!"Healthy".equals(cluster.status.phase) && ++i < 200);
            assertThat(cluster.status.phase).isEqualTo("Healthy");
            assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 5));
        }
    }

    @Test
    void stepWeightIsOnlyReachedOnceTheNewPodsAreAvailable() {
        var cluster = deployed(4, CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.podsReadyPerTick = 1;
        cluster.setImage("shop:2.0");
        cluster.reconcile();

        cluster.tick();

        assertThat(cluster.status.currentStep).isZero();
        assertThat(cluster.available()).isEqualTo(Map.of(1, 3, 2, 1));
        assertThat(cluster.rollout("shop-2").status().message).contains("shifting to weight 50").contains("1/2");
        cluster.tickUntil(c -> c.status.currentStep == 1);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2, 2, 2));
    }

    @Test
    void aTimedPauseWaitsForItsDuration() {
        var cluster = deployed(4, CanaryStep.weight(25), CanaryStep.pause("30s"), CanaryStep.weight(50));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        Decision atPause = cluster.tickUntil(c -> c.status.currentStep == 1);
        var pauseStart = cluster.now;
        assertThat(atPause.requeueAfter()).contains(Duration.ofSeconds(30));
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.rollout("shop-2").status().message).contains("paused at weight 25 until");

        Decision later = cluster.tick(Duration.ofSeconds(29));
        assertThat(cluster.status.currentStep).isEqualTo(1);
        assertThat(later.requeueAfter()).contains(Duration.ofSeconds(1));
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 1));

        cluster.tick(Duration.ofSeconds(1));
        assertThat(cluster.now).isEqualTo(pauseStart.plusSeconds(30));
        assertThat(cluster.status.currentStep).isEqualTo(2);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 2));
    }

    @Test
    void aLongTimedPauseStillLooksAgainWithinTheResyncInterval() {
        var cluster = deployed(2, CanaryStep.weight(50), CanaryStep.pause("1h"));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        Decision d = cluster.tickUntil(c -> c.status.currentStep == 1);
        assertThat(d.requeueAfter()).contains(ReleasePlanner.IN_FLIGHT_RESYNC);
    }

    @Test
    void anIndefinitePauseWaitsForANewPromoteId() {
        var cluster = deployed(4, CanaryStep.weight(25), CanaryStep.pause(null), CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);

        cluster.tick(Duration.ofHours(3));
        assertThat(cluster.status.currentStep).isEqualTo(1);
        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.condition(Conditions.PROGRESSING).orElseThrow().getReason()).isEqualTo("RolloutPaused");
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Paused");
        assertThat(cluster.rollout("shop-2").status().message).contains("until promoted");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 1));

        cluster.spec.promote = Specs.promote("p1");
        Decision promoted = cluster.tick();
        assertThat(promoted.events()).extracting(Decision.Note::reason).contains("PromoteRequested");
        assertThat(cluster.status.handledCommands.promote).isEqualTo("p1");
        cluster.tickUntil(c -> c.status.currentStep == 3);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2, 2, 2));

        // The same promote, still in the spec, is not a new command.
        cluster.tick(Duration.ofHours(1));
        cluster.tick(Duration.ofHours(1));
        assertThat(cluster.status.currentStep).isEqualTo(3);
        assertThat(cluster.status.phase).isEqualTo("Paused");

        cluster.spec.promote = Specs.promote("p2");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 4));
    }

    @Test
    void aPromoteReleasesATimedPauseEarly() {
        var cluster = deployed(4, CanaryStep.weight(25), CanaryStep.pause("1h"), CanaryStep.weight(50));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);

        cluster.spec.promote = Specs.promote("p1");
        cluster.tick();

        assertThat(cluster.status.currentStep).isEqualTo(2);
        assertThat(cluster.status.rollout.promoted).isNull();
    }

    @Test
    void aFullPromoteSkipsEveryRemainingStep() {
        var cluster = deployed(4, CanaryStep.weight(25), CanaryStep.pause(null), CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);

        cluster.spec.promote = Specs.promoteFull("full-1");
        Decision d = cluster.tick();

        assertThat(cluster.status.currentStep).isEqualTo(4);
        assertThat(cluster.status.canaryWeight).isEqualTo(100);
        assertThat(d.replicas()).containsEntry(2, 4);
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 4));
        assertThat(cluster.rollout("shop-2").status().steps).extracting(s -> s.what + "=" + s.outcome).containsExactly(
                "setWeight 25=Succeeded", "pause until promoted=Promoted", "setWeight 100 (promote)=Succeeded");
    }

    @Test
    void specPausedHoldsReplicasAndStepsWhereTheyAre() {
        var cluster = deployed(4, CanaryStep.weight(50), CanaryStep.pause("1m"), CanaryStep.weight(75));
        cluster.podsReadyPerTick = 1;
        cluster.spec.progressDeadline = "2m";
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();
        Map<Integer, Integer> before = cluster.replicas();

        cluster.spec.paused = true;
        for (int i = 0; i < 5; i++) {
            Decision d = cluster.tick(Duration.ofMinutes(1));
            assertThat(d.replicas()).isEqualTo(before);
            assertThat(d.stableRoute()).contains(ServiceRoute.allRevisions(1));
        }

        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.status.currentStep).isZero();
        assertThat(cluster.status.message).contains("paused by spec.paused");
        assertThat(cluster.condition(Conditions.PROGRESSING).orElseThrow().getReason()).isEqualTo("RolloutPaused");
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Paused");

        // Resuming continues the rollout; the progress deadline did not run while paused.
        cluster.spec.paused = false;
        cluster.tick();
        assertThat(cluster.status.phase).isIn("Progressing", "Paused");
        assertThat(cluster.outcome(2)).isEqualTo("Progressing");
        cluster.tickUntil(c -> c.status.currentStep == 1);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2, 2, 2));
    }

    @Test
    void specPausedDuringATimedPauseHoldsTheNextStep() {
        var cluster = deployed(4, CanaryStep.weight(25), CanaryStep.pause("30s"), CanaryStep.weight(50));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);

        cluster.spec.paused = true;
        cluster.tick(Duration.ofMinutes(5));

        assertThat(cluster.status.currentStep).isEqualTo(1);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 1));
        assertThat(cluster.status.phase).isEqualTo("Paused");
    }

    @Test
    void specPausedBeforeTheFinalShiftHoldsIt() {
        var cluster = deployed(4, CanaryStep.weight(50));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.podsReadyPerTick = 1;
        cluster.tickUntil(c -> c.status.currentStep == 1);
        Map<Integer, Integer> before = cluster.replicas();

        cluster.spec.paused = true;
        cluster.tick(Duration.ofMinutes(30));
        cluster.tick(Duration.ofMinutes(30));

        assertThat(cluster.replicas()).isEqualTo(before);
        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.rollout("shop-2").status().message).contains("before the final shift");
    }

    @Test
    void aLowerWeightAfterAHigherOneShiftsBack() {
        var cluster = deployed(4, CanaryStep.weight(50), CanaryStep.weight(25), CanaryStep.pause(null));
        cluster.setImage("shop:2.0");
        cluster.reconcile();

        cluster.tickUntil(c -> c.status.currentStep == 2);

        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 1));
        assertThat(cluster.status.canaryWeight).isEqualTo(25);
    }

    @Test
    void aZeroWeightStepCreatesTheRevisionWithoutPods() {
        var cluster = deployed(3, CanaryStep.weight(0), CanaryStep.pause(null));
        cluster.setImage("shop:2.0");

        Decision d = cluster.reconcile();
        cluster.tick();

        assertThat(d.createRevision()).contains(2);
        assertThat(cluster.status.currentStep).isEqualTo(1);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 0));
    }

    @Test
    void inFlightRolloutsAreLookedAtAgainWithinTheResyncInterval() {
        var cluster = deployed(4, CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        Decision d = cluster.tickUntil(c -> c.status.currentStep == 1);
        assertThat(d.requeueAfter()).isPresent();
        assertThat(d.requeueAfter().get()).isLessThanOrEqualTo(ReleasePlanner.IN_FLIGHT_RESYNC);
    }
}
