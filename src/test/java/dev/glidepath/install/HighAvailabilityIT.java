package dev.glidepath.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PromoteCommand;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.reconciler.LeaderElection;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.ReconcileCounter;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.Sandbox;
import dev.glidepath.sandbox.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two operator replicas on one API: only the Lease holder acts; when it stops, the other finishes the rollout. */
class HighAvailabilityIT {
    static final String NS = "apps";
    static final String LEASE_NS = "glidepath-system";

    @Test
    void onlyTheLeaderActsAndTheOtherTakesOverARolloutInFlight() {
        try (Sandbox sandbox = Sandbox.start();
                WorkloadSimulator simulator = new WorkloadSimulator(sandbox.client(), Duration.ofMillis(50)).start()) {
            var client = sandbox.client();
            ReconcileCounter countA = new ReconcileCounter();
            ReconcileCounter countB = new ReconcileCounter();
            OperatorHarness a = OperatorHarness.startReplica(sandbox.newClient(), "replica-a", LEASE_NS, countA);
            await().atMost(Duration.ofSeconds(10)).until(() -> holder(sandbox) != null);
            OperatorHarness b = OperatorHarness.startReplica(sandbox.newClient(), "replica-b", LEASE_NS, countB);
            assertThat(holder(sandbox)).isEqualTo("replica-a");

            client.resource(Releases.canary(NS, "ha", "ha:1", 2, CanaryStep.weight(50), CanaryStep.pause(null))).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> phase(sandbox, "ha", "Healthy"));
            Releases.edit(client, NS, "ha", r -> {
                r.getSpec().template.getSpec().getContainers().get(0).setImage("ha:2");
                return r;
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> phase(sandbox, "ha", "Paused"));
            assertThat(countA.now().started()).isPositive();
            assertThat(countB.now().started()).as("the standby replica does not reconcile").isZero();

            a.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> "replica-b".equals(holder(sandbox)));
            Releases.edit(client, NS, "ha", r -> {
                r.getSpec().promote = new PromoteCommand();
                r.getSpec().promote.id = "after-failover";
                return r;
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Release r = client.resources(Release.class).inNamespace(NS).withName("ha").get();
                return Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase);
            });
            assertThat(countB.now().started()).isPositive();
            // Nothing was done twice: one Rollout per transition, the new revision created once.
            assertThat(client.resources(Rollout.class).inNamespace(NS).list().getItems()).hasSize(2);
            assertThat(sandbox.requests().count(e -> e.method().equals("POST") && e.path().endsWith("/deployments"))).isEqualTo(2);
            Map<String, Integer> replicas = new java.util.TreeMap<>();
            client.apps().deployments().inNamespace(NS).list().getItems()
                    .forEach(d -> replicas.put(d.getMetadata().getLabels().get("glidepath.dev/revision"), d.getSpec().getReplicas()));
            assertThat(replicas).isEqualTo(Map.of("1", 0, "2", 2));
            b.stop();
        }
    }

    private static String holder(Sandbox sandbox) {
        Lease lease = sandbox.client().leases().inNamespace(LEASE_NS).withName(LeaderElection.LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static boolean phase(Sandbox sandbox, String name, String phase) {
        Release r = sandbox.client().resources(Release.class).inNamespace(NS).withName(name).get();
        return r != null && r.getStatus() != null && phase.equals(r.getStatus().phase);
    }
}
