package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.AdoptSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adopting a running Deployment and its Service: never fewer available pods than were running, nothing fought. */
class ReleasePlannerAdoptionTest {

    private static SimulatedCluster adopting(int running, int replicas) {
        var spec = Specs.canary(replicas, CanaryStep.weight(50));
        spec.adopt = new AdoptSpec();
        spec.adopt.deployment = "legacy";
        var cluster = new SimulatedCluster(spec);
        cluster.adopteeSpec = running;
        cluster.adopteeAvailable = running;
        cluster.serviceToTakeOver = true;
        return cluster;
    }

    @Test
    void theServiceIsTakenOverOnlyOnceTheFirstRevisionIsFullyAvailableThenTheOldDeploymentGoesToZero() {
        var cluster = adopting(3, 3);
        cluster.podsReadyPerTick = 1;
        Decision start = cluster.reconcile();
        assertThat(start.createRevision()).contains(1);
        assertThat(start.stableRoute()).as("the Service stays as it is: the old pods serve").isEmpty();
        assertThat(start.takeOverService()).isFalse();
        assertThat(start.adopteeReplicas()).isEmpty();
        assertThat(cluster.status.adoption.replicasBefore).isEqualTo(3);
        assertThat(cluster.eventReasons()).contains("AdoptionStarted");

        Decision d = cluster.tick();
        assertThat(d.stableRoute()).isEmpty();
        cluster.tickUntil(c -> c.last.takeOverService());
        assertThat(cluster.available()).containsEntry(1, 3);
        assertThat(cluster.last.stableRoute()).isPresent();
        assertThat(cluster.last.adopteeReplicas()).as("the Service switches before any old pod goes").isEmpty();
        assertThat(cluster.status.adoption.serviceTakenAt).isNotNull();

        cluster.tickUntil(c -> c.status.adoption.finishedAt != null);
        assertThat(cluster.adopteeSpec).isZero();
        assertThat(cluster.eventReasons()).containsSubsequence("AdoptionStarted", "ServiceTakenOver", "Adopted");
        assertThat(cluster.status.phase).isEqualTo("Healthy");
        assertThat(cluster.deployments).containsOnlyKeys(1);
    }

    @Test
    void availablePodsNeverDropBelowWhatWasRunning() {
        var cluster = adopting(4, 4);
        cluster.podsReadyPerTick = 1;
        cluster.reconcile();
        for (int i = 0; i < 20 && cluster.status.adoption.finishedAt == null; i++) {
            cluster.tick();
            int available = cluster.available().values().stream().mapToInt(Integer::intValue).sum() + cluster.adopteeAvailable;
            assertThat(available).isGreaterThanOrEqualTo(4);
        }
        assertThat(cluster.status.adoption.finishedAt).isNotNull();
    }

    @Test
    void aReleaseAskingForFewerPodsKeepsWhatItAsksFor() {
        var cluster = adopting(5, 2);
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.adoption.finishedAt != null);
        assertThat(cluster.adopteeSpec).isZero();
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2));
    }

    @Test
    void withoutAServiceToTakeOverTheOldDeploymentIsRetiredOnceTheRevisionIsAvailable() {
        var cluster = adopting(2, 2);
        cluster.serviceToTakeOver = false;
        Decision start = cluster.reconcile();
        assertThat(start.stableRoute()).isPresent();
        assertThat(start.adopteeReplicas()).as("nothing of the new revision is available yet").isEmpty();
        cluster.tickUntil(c -> c.status.adoption.finishedAt != null);
        assertThat(cluster.eventReasons()).doesNotContain("ServiceTakenOver").contains("Adopted");
    }

    @Test
    void theAdoptedDeploymentScaledUpAgainIsReportedAndLeftAlone() {
        var cluster = adopting(2, 2);
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.adoption.finishedAt != null);
        cluster.events.clear();

        cluster.adopteeSpec = 2;
        cluster.adopteeAvailable = 2;
        Decision d = cluster.tick();
        assertThat(d.adopteeReplicas()).isEmpty();
        assertThat(cluster.condition(Adoption.CONDITION)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getMessage()).contains("legacy").contains("2 replicas again");
        });
        assertThat(cluster.eventReasons()).containsOnlyOnce("AdoptedDeploymentScaledUp");
        cluster.tick();
        assertThat(cluster.eventReasons()).containsOnlyOnce("AdoptedDeploymentScaledUp");

        cluster.adopteeSpec = 0;
        cluster.adopteeAvailable = 0;
        cluster.tick();
        assertThat(cluster.condition(Adoption.CONDITION)).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }

    @Test
    void aLaterUpdateRollsOutAsUsualAfterTheAdoption() {
        var cluster = adopting(2, 2);
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.adoption.finishedAt != null);
        cluster.adopteeSpec = null;
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && c.status.stableRevision == 2);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 0, 2, 2));
    }
}
