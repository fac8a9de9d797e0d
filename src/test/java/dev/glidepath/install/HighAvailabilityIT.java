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
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas on one API: only the Lease holder acts; when it stops, the other finishes the rollout.
 * The packaged operator, in processes of its own, ends promptly on SIGTERM and gives its Lease back, and a
 * replica that loses its Lease while running exits.
 */
class HighAvailabilityIT {
    static final String NS = "apps";
    static final String LEASE_NS = "glidepath-system";
    /** Starting a JVM with Quarkus on a busy 2-core machine. */
    static final Duration STARTUP = Duration.ofSeconds(60);
    /** How long a replica may take to end: it used to never end; a healthy one takes a few seconds. */
    static final Duration EXIT = Duration.ofSeconds(15);

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

    @Test
    void onSigtermTheLeaderGivesItsLeaseBackAndExits() {
        PackagedOperator.requirePackage();
        try (Sandbox sandbox = Sandbox.start();
                PackagedOperator a = PackagedOperator.startReplica(sandbox, "replica-a", LEASE_NS)) {
            awaitOrShow(a, STARTUP, () -> "replica-a".equals(holder(sandbox)));
            try (PackagedOperator b = PackagedOperator.startReplica(sandbox, "replica-b", LEASE_NS)) {
                awaitOrShow(b, STARTUP, () -> b.output().contains("New leader with identity: replica-a"));

                Duration took = terminate(a);
                System.out.printf("replica-a (leader, a standby waiting) exited %d ms after SIGTERM%n", took.toMillis());
                assertThat(a.exitValue()).as("ended by the signal, not by a lost-leadership exit").isEqualTo(143);
                assertThat(holder(sandbox)).as("the Lease is given back, not left to expire").isNotEqualTo("replica-a");
                // Without the hand-back the standby would wait out the 15 s lease duration.
                awaitOrShow(b, Duration.ofSeconds(10), () -> "replica-b".equals(holder(sandbox)));

                took = terminate(b);
                System.out.printf("replica-b (leader, alone) exited %d ms after SIGTERM%n", took.toMillis());
                assertThat(b.exitValue()).isEqualTo(143);
                assertThat(holder(sandbox)).as("the last replica gives the Lease back too").isEmpty();
            }
        }
    }

    @Test
    void aReplicaThatLosesItsLeaseWhileRunningExits() {
        PackagedOperator.requirePackage();
        try (Sandbox sandbox = Sandbox.start();
                PackagedOperator a = PackagedOperator.startReplica(sandbox, "replica-a", LEASE_NS)) {
            awaitOrShow(a, STARTUP, () -> "replica-a".equals(holder(sandbox)));
            // Another holder took the Lease (replica-a was cut off from the API past its renew deadline, say);
            // tried again when it meets a renewal (409).
            await().atMost(Duration.ofSeconds(10)).ignoreException(KubernetesClientException.class).until(() -> {
                sandbox.client().leases().inNamespace(LEASE_NS).withName(LeaderElection.LEASE_NAME).edit(l -> {
                    l.getSpec().setHolderIdentity("intruder");
                    l.getSpec().setAcquireTime(ZonedDateTime.now());
                    l.getSpec().setRenewTime(ZonedDateTime.now());
                    return l;
                });
                return true;
            });
            Instant stolen = Instant.now();
            awaitOrShow(a, EXIT, () -> !a.isAlive());
            System.out.printf("replica-a exited %d ms after its Lease was taken%n", Duration.between(stolen, Instant.now()).toMillis());
            assertThat(a.output()).contains("Lost the leader Lease");
            assertThat(a.exitValue()).as("a replica that lost its Lease exits with an error, to be restarted").isEqualTo(1);
            assertThat(holder(sandbox)).as("it leaves the new holder's Lease alone").isEqualTo("intruder");
        }
    }

    /** Sends SIGTERM and waits for the process to end; how long it took. */
    private static Duration terminate(PackagedOperator replica) {
        Instant sent = Instant.now();
        replica.terminate();
        awaitOrShow(replica, EXIT, () -> !replica.isAlive());
        return Duration.between(sent, Instant.now());
    }

    /** Awaits the condition; on a timeout the failure shows what the replica printed. */
    private static void awaitOrShow(PackagedOperator replica, Duration atMost, Callable<Boolean> condition) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n--- " + replica.identity() + " printed:\n" + replica.output(), e);
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
