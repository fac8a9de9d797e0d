package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Blue-green updates: preview, switch, promotion and the delayed scale-down of the old revision. */
class ReleasePlannerBlueGreenTest {

    private static SimulatedCluster deployed(int replicas) {
        return new SimulatedCluster(Specs.blueGreen(replicas)).deployed();
    }

    private static long switches(SimulatedCluster cluster) {
        return cluster.eventReasons().stream().filter("TrafficSwitched"::equals).count();
    }

    @Test
    void theNewRevisionComesUpBehindThePreviewServiceAtFullSize() {
        var cluster = deployed(3);
        cluster.setImage("shop:2.0");

        Decision d = cluster.reconcile();

        assertThat(d.createRevision()).contains(2);
        assertThat(d.replicas()).isEqualTo(Map.of(1, 3, 2, 3));
        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(d.previewRoute()).contains(ServiceRoute.pinned(2, 1));
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(1, 1));
        assertThat(cluster.previewService.selected()).isEqualTo(2);
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.status.rollout.strategy).isEqualTo("BlueGreen");
        assertThat(cluster.status.canaryWeight).isZero();
        assertThat(cluster.status.currentStep).isNull();
    }

    @Test
    void theStableServiceSwitchesOnlyOnceEveryNewPodIsAvailable() {
        var cluster = deployed(3);
        cluster.podsReadyPerTick = 1;
        cluster.setImage("shop:2.0");
        cluster.reconcile();

        cluster.tick();
        cluster.tick();
        assertThat(cluster.available()).containsEntry(2, 2);
        assertThat(cluster.stableService.selected()).isEqualTo(1);
        assertThat(cluster.rollout("shop-2").status().message).contains("in preview: 2/3 available");
        assertThat(switches(cluster)).isZero();

        Decision switched = cluster.tick();
        // From the switch on, the revision the stable Service serves is the stable revision: one write says so.
        assertThat(switched.stableRoute()).contains(ServiceRoute.pinned(2, 2));
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(2, 2));
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(switched.events()).filteredOn(n -> n.reason().equals("TrafficSwitched")).singleElement()
                .satisfies(n -> assertThat(List.of(n.fromRevision(), n.toRevision())).containsExactly(1, 2));
        assertThat(switches(cluster)).isEqualTo(1);
        assertThat(cluster.status.rollout.switchedAt).isEqualTo(cluster.now.toString());
        assertThat(cluster.status.canaryWeight).isEqualTo(100);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 3));
    }

    @Test
    void theOldRevisionIsKeptForTheDefaultScaleDownDelayThenGoesToZero() {
        var cluster = deployed(2);
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        Decision switched = cluster.tick();
        Instant switchedAt = cluster.now;
        assertThat(cluster.stableService.selected()).isEqualTo(2);
        assertThat(switched.requeueAfter()).contains(BlueGreenProgression.DEFAULT_SCALE_DOWN_DELAY);

        Decision waiting = cluster.tick(Duration.ofSeconds(29));
        assertThat(waiting.replicas()).containsEntry(1, 2);
        assertThat(waiting.requeueAfter()).contains(Duration.ofSeconds(1));
        assertThat(cluster.rollout("shop-2").status().message).contains("kept until " + switchedAt.plusSeconds(30));

        cluster.tick(Duration.ofSeconds(1));
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 2));
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(2, 2));
        assertThat(cluster.previewService.selected()).isEqualTo(2);
        assertThat(cluster.status.revisions).extracting(r -> r.number + ":" + r.outcome)
                .containsExactly("2:Stable", "1:Replaced");
        assertThat(cluster.rollout("shop-2").status().steps).extracting(s -> s.index + "=" + s.outcome)
                .containsExactly("0=Succeeded", "1=Succeeded", "2=Succeeded", "3=Succeeded");
        assertThat(switches(cluster)).isEqualTo(1);
    }

    @Test
    void aCustomScaleDownDelayIsHonoured() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2));
        cluster.spec.strategy.blueGreen.scaleDownDelay = "5m";
        cluster.deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();

        cluster.tick(Duration.ofMinutes(4));
        assertThat(cluster.replicas()).containsEntry(1, 2);
        cluster.tick(Duration.ofMinutes(1));
        assertThat(cluster.replicas()).containsEntry(1, 0);
        assertThat(cluster.status.phase).isEqualTo("Healthy");
    }

    @Test
    void promoteAfterDelaysTheSwitchFromFullAvailability() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2));
        cluster.spec.strategy.blueGreen.promoteAfter = "2m";
        cluster.deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        Decision ready = cluster.tick();
        Instant availableAt = cluster.now;
        assertThat(cluster.status.rollout.availableAt).isEqualTo(availableAt.toString());
        assertThat(ready.requeueAfter()).contains(ReleasePlanner.IN_FLIGHT_RESYNC);
        assertThat(cluster.rollout("shop-2").status().message).contains("switching at " + availableAt.plusSeconds(120));

        Decision early = cluster.tick(Duration.ofSeconds(119));
        assertThat(cluster.stableService.selected()).isEqualTo(1);
        assertThat(early.requeueAfter()).contains(Duration.ofSeconds(1));
        assertThat(cluster.status.phase).isEqualTo("Progressing");

        cluster.tick(Duration.ofSeconds(1));
        assertThat(cluster.stableService.selected()).isEqualTo(2);
    }

    @Test
    void withoutAutoPromoteTheSwitchWaitsForAPromote() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2));
        cluster.spec.strategy.blueGreen.autoPromote = false;
        cluster.deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();

        cluster.tick();
        cluster.tick(Duration.ofHours(2));
        assertThat(cluster.stableService.selected()).isEqualTo(1);
        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.condition(Conditions.PROGRESSING).orElseThrow().getReason()).isEqualTo("RolloutPaused");
        assertThat(cluster.rollout("shop-2").status().message).contains("waiting for promote");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2, 2, 2));

        cluster.spec.promote = Specs.promote("go");
        cluster.tick();
        assertThat(cluster.stableService.selected()).isEqualTo(2);
        assertThat(cluster.status.rollout.promoted).isNull();

        cluster.tick(Duration.ofSeconds(30));
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 2));
    }

    @Test
    void specPausedHoldsTheSwitch() {
        var cluster = deployed(2);
        cluster.spec.paused = true;
        cluster.setImage("shop:2.0");
        cluster.reconcile();

        cluster.tick(Duration.ofMinutes(20));
        cluster.tick(Duration.ofMinutes(20));
        assertThat(cluster.stableService.selected()).isEqualTo(1);
        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.status.message).contains("paused by spec.paused");

        cluster.spec.paused = false;
        cluster.tick();
        assertThat(cluster.stableService.selected()).isEqualTo(2);
    }

    @Test
    void specPausedAfterTheSwitchKeepsTheOldRevision() {
        var cluster = deployed(2);
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();
        assertThat(cluster.stableService.selected()).isEqualTo(2);

        cluster.spec.paused = true;
        cluster.tick(Duration.ofMinutes(5));

        assertThat(cluster.replicas()).containsEntry(1, 2);
        assertThat(cluster.status.rollout).isNotNull();
        assertThat(cluster.status.phase).isEqualTo("Paused");
    }

    @Test
    void abortAfterTheSwitchSendsTrafficBackToTheOldRevisionWhichIsStillRunning() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2));
        cluster.spec.strategy.blueGreen.scaleDownDelay = "10m";
        cluster.deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();
        assertThat(cluster.stableService.selected()).isEqualTo(2);

        cluster.spec.abort = Specs.command("back");
        Decision d = cluster.tick();

        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(d.previewRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(cluster.availableAfter(d)).isEqualTo(2);
        assertThat(d.replicas()).isEqualTo(Map.of(1, 2, 2, 0));
        assertThat(cluster.outcome(2)).isEqualTo("Aborted");
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("Aborted");
        assertThat(cluster.status.phase).isEqualTo("Degraded");
    }

    @Test
    void aRestartThatLostTheSwitchRecordDoesNotSwitchTwice() {
        var cluster = deployed(2);
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.advance(Duration.ofSeconds(1));
        cluster.podsStart();
        var beforeSwitch = SimulatedCluster.copy(cluster.status, dev.glidepath.api.v1alpha1.ReleaseStatus.class);
        Decision switching = cluster.reconcileLosingStatus();
        assertThat(switching.events()).extracting(Decision.Note::reason).contains("TrafficSwitched");
        assertThat(cluster.stableService.selected()).isEqualTo(2);
        assertThat(cluster.status.rollout.switchedAt).isNull();
        assertThat(SimulatedCluster.json(cluster.status)).isEqualTo(SimulatedCluster.json(beforeSwitch));

        Decision recovered = cluster.tick(Duration.ofSeconds(5));

        assertThat(recovered.events()).extracting(Decision.Note::reason).doesNotContain("TrafficSwitched");
        assertThat(recovered.stableRoute()).contains(ServiceRoute.pinned(2, 2));
        assertThat(recovered.replicas()).containsEntry(1, 2);
        assertThat(cluster.status.rollout.switchedAt).isEqualTo(cluster.now.toString());
        assertThat(cluster.rollout("shop-2").status().steps).allSatisfy(s -> {
            if (s.index < 3) {
                assertThat(s.outcome).isEqualTo("Succeeded");
            }
        });
        cluster.tick(Duration.ofSeconds(30));
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 2));
        assertThat(switches(cluster)).isEqualTo(1);
    }

    @Test
    void aRestartThatLostTheWholeStatusAfterTheSwitchAdoptsTheRolloutAndKeepsTrafficOnTheNewRevision() {
        var cluster = deployed(2);
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tick();
        assertThat(cluster.stableService.selected()).isEqualTo(2);

        cluster.status = null;
        Decision recovered = cluster.tick();

        assertThat(recovered.stableRoute()).hasValueSatisfying(r -> assertThat(r.pinnedRevision()).contains(2));
        assertThat(recovered.rolloutWrites()).extracting(Decision.RolloutWrite::name).containsExactly("shop-2");
        assertThat(cluster.status.rollout.name).isEqualTo("shop-2");
        assertThat(cluster.rollouts).containsOnlyKeys("shop-1", "shop-2");
        assertThat(switches(cluster)).isEqualTo(1);
        cluster.tick(Duration.ofSeconds(30));
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 2));
    }

    @Test
    void withoutAPreviewServiceNoPreviewRouteIsPlanned() {
        var cluster = new SimulatedCluster(Specs.blueGreen(2));
        cluster.spec.strategy.blueGreen.previewService = null;
        cluster.deployed();
        cluster.setImage("shop:2.0");

        Decision d = cluster.reconcile();

        assertThat(d.previewRoute()).isEmpty();
        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
    }

    @Test
    void aRestartThatLostTheSwitchRecordKeepsTheScaleDownStepOpenUntilItHappens() {
        var cluster = deployed(2);
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.advance(Duration.ofSeconds(1));
        cluster.podsStart();
        cluster.reconcileLosingStatus();

        cluster.tick(Duration.ofSeconds(5));

        assertThat(cluster.replicas()).containsEntry(1, 2);
        assertThat(cluster.rollout("shop-2").status().steps).filteredOn(s -> s.index == 3).singleElement()
                .satisfies(s -> assertThat(s.finishedAt).isNull());
    }
}
