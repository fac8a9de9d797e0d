package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.status.Conditions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Secret or address refused by the credential check makes the spec invalid: nothing moves, the rollout holds. */
class ReleasePlannerCredentialsTest {
    static final String PROBLEM = "spec.analysis.prometheus.secretName: Secret 'sa-token' is not labelled"
            + " glidepath.dev/credentials=true";

    @Test
    void aRefusedSecretMidRolloutHoldsItWithoutMeasuringAndItResumesOnceFixed() {
        var spec = Specs.canary(4, CanaryStep.weight(25), CanaryStep.weight(50), CanaryStep.pause(null));
        spec.analysis = ReleasePlannerAnalysisTest.analysis();
        var cluster = new SimulatedCluster(spec).deployed();
        cluster.measuring = metric -> "Pass";
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep != null && c.status.currentStep == 1);
        Map<Integer, Integer> before = cluster.replicas();
        int measured = cluster.measuredAt.size();
        cluster.events.clear();

        cluster.clusterProblems.add(PROBLEM);
        Decision d = cluster.tick(Duration.ofSeconds(30));
        assertThat(d.touchWorkloads()).isFalse();
        assertThat(d.rolloutWrites()).isEmpty();
        assertThat(d.requeueAfter()).hasValueSatisfying(r -> assertThat(r).isLessThanOrEqualTo(Duration.ofSeconds(60)));
        var invalid = new Conditions(cluster.status.conditions, cluster.now, cluster.generation).find(Conditions.INVALID_SPEC)
                .orElseThrow();
        assertThat(invalid.getStatus()).isEqualTo("True");
        assertThat(invalid.getMessage()).isEqualTo(PROBLEM);
        assertThat(cluster.status.phase).isEqualTo("Degraded");
        assertThat(cluster.status.rollout).as("the rollout in flight is kept").isNotNull();
        assertThat(cluster.events).singleElement().satisfies(e -> {
            assertThat(e.warning()).isTrue();
            assertThat(e.reason()).isEqualTo("InvalidSpec");
        });
        cluster.tick(Duration.ofSeconds(60));
        assertThat(cluster.events).as("one Event, not one per look").hasSize(1);
        assertThat(cluster.replicas()).isEqualTo(before);
        assertThat(cluster.measuredAt).hasSize(measured);

        cluster.clusterProblems.clear();
        cluster.tickUntil(c -> Integer.valueOf(2).equals(c.status.currentStep));
        assertThat(cluster.status.conditions).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo(Conditions.INVALID_SPEC);
            assertThat(c.getStatus()).isEqualTo("False");
        });
        assertThat(cluster.measuredAt).hasSizeGreaterThan(measured);
    }
}
