package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.HeaderMatch;
import dev.glidepath.api.v1alpha1.PostPromotionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Canary and blue-green through a traffic router: exact weights, a full-size stable revision, one-update reverts. */
class ReleasePlannerRoutedTest {

    private static SimulatedCluster routedCanary(int replicas, CanaryStep... steps) {
        SimulatedCluster cluster = new SimulatedCluster(Specs.routed(Specs.canary(replicas, steps))).deployed();
        cluster.setImage("shop:2.0");
        return cluster;
    }

    @Test
    void aFivePercentCanaryOfThreeReplicasGetsExactlyFivePercentOfTheRoute() {
        var cluster = routedCanary(3, CanaryStep.weight(5), CanaryStep.pause("1m"), CanaryStep.weight(25), CanaryStep.pause("1m"),
                CanaryStep.weight(50), CanaryStep.pause("1m"));

        Decision start = cluster.reconcile();
        assertThat(start.replicas()).isEqualTo(Map.of(1, 3, 2, 1));
        assertThat(start.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(start.canaryRoute()).contains(ServiceRoute.pinned(2, null));
        // No pod of the new revision is available yet: the route sends it nothing.
        assertThat(start.traffic()).contains(TrafficSplit.weighted(0, List.of()));

        cluster.tickUntil(c -> c.status.currentStep == 1);
        assertThat(cluster.traffic).isEqualTo(TrafficSplit.weighted(5, List.of()));
        assertThat(cluster.status.canaryWeight).isEqualTo(5);
        assertThat(cluster.status.canaryService).isEqualTo("shop-canary");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 1));

        cluster.tick(Duration.ofMinutes(1));
        cluster.tickUntil(c -> c.status.currentStep == 3);
        assertThat(cluster.traffic.canaryWeight()).isEqualTo(25);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 1));
        cluster.tick(Duration.ofMinutes(1));
        cluster.tickUntil(c -> c.status.currentStep == 5);
        assertThat(cluster.traffic.canaryWeight()).isEqualTo(50);
        // The stable revision keeps its full size until the final promotion: an abort never waits for capacity.
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 2));

        cluster.tick(Duration.ofMinutes(1));
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(2, 2));
        assertThat(cluster.canaryService.selected()).isEqualTo(2);
        assertThat(cluster.traffic).isEqualTo(TrafficSplit.NONE);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 3));
        // Weights only ever went up, one step at a time.
        List<Integer> weights = cluster.trafficHistory.stream().filter(TrafficSplit::active).map(TrafficSplit::canaryWeight).toList();
        assertThat(weights).isSorted().contains(0, 5, 25, 50);
    }

    @Test
    void theRouteMovesToAStepsWeightOnlyOnceItsPodsAreAvailable() {
        var cluster = routedCanary(10, CanaryStep.weight(10), CanaryStep.weight(40), CanaryStep.pause(null));
        cluster.podsReadyPerTick = 1;
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 1);
        assertThat(cluster.traffic.canaryWeight()).isEqualTo(10);
        cluster.tick();
        // Four pods for 40%, one more available per tick: the route stays at 10% meanwhile.
        assertThat(cluster.replicas().get(2)).isEqualTo(4);
        assertThat(cluster.traffic.canaryWeight()).isEqualTo(10);
        cluster.tickUntil(c -> c.status.currentStep == 2);
        assertThat(cluster.available().get(2)).isEqualTo(4);
        assertThat(cluster.traffic.canaryWeight()).isEqualTo(40);
    }

    @Test
    void aFailingMeasurementTakesTheCanaryOutOfTheRouteInTheSameDecisionThatScalesItDown() {
        var spec = Specs.routed(Specs.canary(3, CanaryStep.weight(5), CanaryStep.pause(null)));
        spec.analysis = ReleasePlannerAnalysisTest.analysis();
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.measuring = metric -> "Pass";
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        assertThat(cluster.traffic.canaryWeight()).isEqualTo(5);

        cluster.measuring = metric -> "Fail";
        cluster.now = Instant.parse(cluster.status.rollout.nextMeasurementAt);
        Decision d = cluster.reconcile();
        assertThat(d.traffic()).contains(TrafficSplit.NONE);
        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(d.canaryRoute()).contains(ServiceRoute.pinned(1, null));
        assertThat(d.replicas()).containsEntry(1, 3).containsEntry(2, 0);
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("RolledBack");
    }

    @Test
    void anAbortEmptiesTheRoutesOfTheCanary() {
        var cluster = routedCanary(4, CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        cluster.spec.abort = Specs.command("stop");
        Decision d = cluster.reconcile();
        assertThat(d.traffic()).contains(TrafficSplit.NONE);
        assertThat(d.replicas()).containsEntry(1, 4).containsEntry(2, 0);
    }

    @Test
    void aHeaderRouteSendsTestersToTheCanaryBeforeAnyWeightAndStaysUntilTheEnd() {
        HeaderMatch tester = HeaderMatch.exact("x-canary", "always");
        var cluster = routedCanary(4, CanaryStep.headerRoute(tester), CanaryStep.pause(null), CanaryStep.weight(20),
                CanaryStep.pause(null));
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        assertThat(cluster.traffic).isEqualTo(TrafficSplit.weighted(0, List.of(tester)));
        // One pod serves the testers.
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 1));

        cluster.spec.promote = Specs.promote("p1");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 3);
        assertThat(cluster.traffic).isEqualTo(TrafficSplit.weighted(20, List.of(tester)));

        cluster.spec.promote = Specs.promote("p2");
        cluster.reconcile();
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.traffic).isEqualTo(TrafficSplit.NONE);
    }

    @Test
    void aHoldKeepsTheWeightTheRoutesHoldEvenWhenTheStatusLagsBehindThem() {
        var cluster = routedCanary(4, CanaryStep.weight(10), CanaryStep.weight(30), CanaryStep.pause(null));
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep == 2);
        assertThat(cluster.traffic.canaryWeight()).isEqualTo(30);
        // The status write of the step that moved to 30% was lost, and the Release was paused meanwhile.
        cluster.status.rollout.stepIndex = 1;
        cluster.status.currentStep = 1;
        cluster.spec.paused = true;
        Decision d = cluster.reconcile();
        assertThat(d.traffic()).contains(TrafficSplit.weighted(30, List.of()));
    }

    @Test
    void aPostPromotionWindowSendsAllWeightToTheCanaryServiceWithTheStableRevisionReady() {
        var spec = Specs.routed(Specs.canary(2, CanaryStep.weight(50)));
        spec.analysis = ReleasePlannerAnalysisTest.analysis();
        spec.analysis.postPromotion = new PostPromotionSpec();
        spec.analysis.postPromotion.duration = "1m";
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.measuring = metric -> "Pass";
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.rollout != null && c.status.rollout.promotedAt != null);
        assertThat(cluster.traffic).isEqualTo(TrafficSplit.weighted(100, List.of()));
        assertThat(cluster.stableService.selected()).isEqualTo(1);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2, 2, 2));

        cluster.measuring = metric -> "Fail";
        cluster.now = Instant.parse(cluster.status.rollout.nextMeasurementAt);
        Decision d = cluster.reconcile();
        assertThat(d.traffic()).contains(TrafficSplit.NONE);
        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
    }

    @Test
    void blueGreenSwitchesWithOneRouteUpdateAndKeepsTheStableServiceForARevert() {
        var spec = Specs.routed(Specs.blueGreen(3));
        spec.strategy.blueGreen.previewService = null;
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.setImage("shop:2.0");
        Decision start = cluster.reconcile();
        assertThat(start.traffic()).contains(TrafficSplit.weighted(0, List.of()));
        assertThat(start.canaryRoute()).contains(ServiceRoute.pinned(2, null));

        cluster.tickUntil(c -> c.traffic.canaryWeight() == 100);
        assertThat(cluster.stableService.selected()).isEqualTo(1);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 3));
        assertThat(cluster.events).anySatisfy(e -> assertThat(e.message()).contains("routes send 100% to the canary Service"));

        cluster.spec.abort = Specs.command("back");
        Decision d = cluster.reconcile();
        assertThat(d.traffic()).contains(TrafficSplit.NONE);
        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(d.replicas()).containsEntry(2, 0);
    }

    @Test
    void blueGreenSucceedsOntoTheStableServiceAfterTheScaleDownDelay() {
        var spec = Specs.routed(Specs.blueGreen(2));
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.traffic.canaryWeight() == 100);
        cluster.tick(Duration.ofMinutes(1));
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.stableService).isEqualTo(new SimulatedCluster.Service(2, 2));
        assertThat(cluster.traffic).isEqualTo(TrafficSplit.NONE);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 2));
    }

    @Test
    void withoutARouterNothingIsRouted() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(50))).deployed();
        cluster.setImage("shop:2.0");
        Decision d = cluster.reconcile();
        assertThat(d.traffic()).isEmpty();
        assertThat(d.canaryRoute()).isEmpty();
        assertThat(cluster.status.canaryService).isNull();
    }

    @Test
    void routeProblemsFoundInTheClusterMakeTheSpecInvalidAndTouchNothing() {
        var cluster = new SimulatedCluster(Specs.routed(Specs.canary(2, CanaryStep.weight(50)))).deployed();
        cluster.clusterProblems.add("spec.trafficRouting.gatewayAPI.httpRoutes[0]: HTTPRoute 'shop' not found in namespace default");
        cluster.setImage("shop:2.0");
        Decision d = cluster.reconcile();
        assertThat(d.touchWorkloads()).isFalse();
        assertThat(cluster.condition("InvalidSpec")).hasValueSatisfying(c -> assertThat(c.getMessage()).contains("httpRoutes[0]"));
    }

    @Test
    void aSmokeTestStepBehindARouteIsSentToTheCanaryService() {
        CanaryStep verify = new CanaryStep();
        verify.verify = new dev.glidepath.api.v1alpha1.VerifySpec();
        verify.verify.template = dev.glidepath.api.v1alpha1.JobPodTemplate.of(new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder()
                .withNewSpec().addNewContainer().withName("smoke").withImage("smoke:1").endContainer().endSpec().build());
        var cluster = routedCanary(3, CanaryStep.weight(5), verify);
        cluster.reconcile();
        Decision d = cluster.tickUntil(c -> !c.last.jobs().isEmpty());
        // The stable Service keeps the stable revision: only the canary Service reaches the new one.
        assertThat(d.jobs()).singleElement().satisfies(j -> assertThat(j.env()).containsEntry("GLIDEPATH_TARGET_ADDRESS", "shop-canary"));
    }

    @Test
    void canaryPodsAreAtLeastOneWhileTheCanaryTakesAnyTraffic() {
        assertThat(RoutedSplit.canaryPods(3, 5, false)).isEqualTo(1);
        assertThat(RoutedSplit.canaryPods(3, 0, false)).isZero();
        assertThat(RoutedSplit.canaryPods(3, 0, true)).isEqualTo(1);
        assertThat(RoutedSplit.canaryPods(10, 25, false)).isEqualTo(3);
        assertThat(RoutedSplit.canaryPods(0, 50, false)).isZero();
    }
}
