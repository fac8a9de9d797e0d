package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.PostPromotionSpec;
import dev.glidepath.api.v1alpha1.PrometheusSpec;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.Threshold;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleasePlannerAnalysisTest {

    static AnalysisSpec analysis() {
        AnalysisSpec a = new AnalysisSpec();
        a.prometheus = new PrometheusSpec();
        a.prometheus.address = "http://prometheus:9090";
        a.interval = "10s";
        MetricSpec m = new MetricSpec();
        m.name = "errors";
        m.query = "x{r=\"{{release}}\"}";
        m.threshold = new Threshold();
        m.threshold.max = 0.05;
        a.metrics = List.of(m);
        return a;
    }

    /** The spec with {@link #analysis()}. */
    static ReleaseSpec withAnalysis(ReleaseSpec spec) {
        spec.analysis = analysis();
        return spec;
    }

    SimulatedCluster canary(CanaryStep... steps) {
        var spec = Specs.canary(4, steps);
        spec.analysis = analysis();
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.measuring = metric -> "Pass";
        cluster.setImage("shop:2.0");
        return cluster;
    }

    @Test
    void measurementsKeepTheirScheduleWithoutDriftAndSkipMissedRounds() {
        var cluster = canary(CanaryStep.weight(25), CanaryStep.pause(null));
        cluster.reconcile();
        cluster.tick();
        Instant first = Instant.parse(cluster.status.rollout.nextMeasurementAt);
        // Reconciles land late (13s apart for a 10s interval); the schedule stays on first + k × 10s.
        for (int i = 0; i < 6; i++) {
            cluster.now = first.plusSeconds(13L * i + 1);
            cluster.reconcile();
            Instant next = Instant.parse(cluster.status.rollout.nextMeasurementAt);
            assertThat(Duration.between(first, next).toSeconds() % 10).isZero();
            assertThat(next).isAfter(cluster.now);
            assertThat(Duration.between(cluster.now, next)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        }
        assertThat(cluster.measuredAt).hasSize(6);
        assertThat(cluster.last.requeueAfter()).isPresent();
    }

    @Test
    void aStepWithTrafficAdvancesOnlyOnAPassingMeasurementTakenDuringIt() {
        var cluster = canary(CanaryStep.weight(25), CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.measuring = metric -> "Inconclusive";
        cluster.reconcile();
        cluster.tick();
        cluster.tick(Duration.ofSeconds(11));
        assertThat(cluster.status.currentStep).isZero();
        assertThat(cluster.status.message).contains("waiting for a passing measurement of errors");
        cluster.measuring = metric -> "Pass";
        cluster.tick(Duration.ofSeconds(10));
        assertThat(cluster.status.currentStep).isEqualTo(1);
    }

    @Test
    void aFailingMeasurementRevertsInTheReconcileThatTookIt() {
        var cluster = canary(CanaryStep.weight(50), CanaryStep.pause(null));
        cluster.reconcile();
        cluster.tickUntil(c -> "Paused".equals(c.status.phase));
        cluster.measuring = metric -> "Fail";
        cluster.now = Instant.parse(cluster.status.rollout.nextMeasurementAt);
        Decision d = cluster.reconcile();
        assertThat(cluster.measuredAt).last().isEqualTo(cluster.now);
        assertThat(d.stableRoute()).contains(ServiceRoute.pinned(1, 1));
        assertThat(d.replicas()).containsEntry(1, 4).containsEntry(2, 0);
        assertThat(cluster.rollout("shop-2").status().phase).isEqualTo("RolledBack");
        assertThat(cluster.rollout("shop-2").status().message).contains("errors").contains("0.5 is above max 0.05");
        assertThat(d.events()).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("AnalysisFailed");
            assertThat(e.warning()).isTrue();
        });
        assertThat(cluster.status.phase).isEqualTo("Degraded");
    }

    @Test
    void thePostPromotionWindowKeepsThePreviousRevisionWarmAndPinsTrafficToTheNewOne() {
        var cluster = canary(CanaryStep.weight(50));
        cluster.spec.analysis.postPromotion = new PostPromotionSpec();
        cluster.spec.analysis.postPromotion.duration = "1m";
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.rollout != null && c.status.rollout.promotedAt != null);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 4));
        assertThat(cluster.stableService.selected()).isEqualTo(2);
        cluster.tick(Duration.ofSeconds(30));
        assertThat(cluster.status.rollout).isNotNull();
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 4, 2, 4));
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        cluster.tick();
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 4));
    }

    @Test
    void withAdvanceUnlessFailedStepsGoInTheirOwnTimeAndOnlyTheFinalPromotionWaitsForAPass() {
        var cluster = canary(CanaryStep.weight(25), CanaryStep.pause("30s"), CanaryStep.weight(50), CanaryStep.pause("30s"));
        cluster.spec.analysis.advance = "UnlessFailed";
        cluster.measuring = metric -> "Pending";
        cluster.tickUntil(c -> c.status.rollout != null && c.status.rollout.stepIndex >= 4);
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        Instant atFinal = cluster.now;
        cluster.tickUntil(c -> Duration.between(atFinal, c.now).compareTo(Duration.ofMinutes(2)) >= 0);
        assertThat(cluster.status.stableRevision).as("no promotion without a pass").isEqualTo(1);
        assertThat(cluster.status.canaryWeight).isEqualTo(50);
        assertThat(cluster.status.message).contains("the final promotion waits for errors to pass");
        assertThat(Duration.between(atFinal, cluster.now)).isGreaterThanOrEqualTo(Duration.ofMinutes(2));

        cluster.measuring = metric -> "Pass";
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
    }

    @Test
    void byDefaultAStepWithTrafficWaitsForAPassMeasuredDuringIt() {
        var cluster = canary(CanaryStep.weight(25), CanaryStep.pause("30s"), CanaryStep.weight(50));
        cluster.measuring = metric -> "Pending";
        Instant start = cluster.now;
        cluster.tickUntil(c -> Duration.between(start, c.now).compareTo(Duration.ofMinutes(3)) >= 0);
        assertThat(cluster.status.rollout.stepIndex).isEqualTo(0);
        assertThat(cluster.status.message).contains("waiting for a passing measurement of errors");
    }

    @Test
    void withAdvanceUnlessFailedAFailRevertsAtAnyStep() {
        var cluster = canary(CanaryStep.weight(25), CanaryStep.pause("30s"), CanaryStep.weight(50), CanaryStep.pause("30s"));
        cluster.spec.analysis.advance = "UnlessFailed";
        cluster.measuring = metric -> "Pending";
        cluster.tickUntil(c -> c.status.rollout != null && c.status.rollout.stepIndex >= 2);
        cluster.measuring = metric -> "Fail";
        cluster.tickUntil(c -> "Degraded".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(1);
    }
}
