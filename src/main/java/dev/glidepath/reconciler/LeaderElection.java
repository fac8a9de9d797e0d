package dev.glidepath.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election through a coordination.k8s.io Lease, for more than one operator replica: only the holder
 * of the Lease reconciles. Off unless glidepath.leader-election.enabled (the Helm chart turns it on when
 * replicas > 1). Each {@link Shard} has a Lease of its own.
 *
 * <p>java-operator-sdk 5.2.1 would call System.exit whenever a replica stops leading, also when the stop is
 * the operator's own shutdown: there it runs inside the shutdown hook that stops the operator, where
 * System.exit blocks forever (the signal handler holds the JVM's shutdown lock while it waits for that hook),
 * so a leader sent SIGTERM never ended. The SDK is therefore told not to exit, and {@link LeaderLease}
 * decides what ending to lead means: a shutdown gives the Lease back, a loss while running ends the process.
 */
@Singleton
public class LeaderElection {
    public static final String LEASE_NAME = "glidepath-leader";

    private final AtomicBoolean stopping = new AtomicBoolean();

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "glidepath.leader-election.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "glidepath.leader-election.namespace") Optional<String> namespace,
            KubernetesClient client, Shard shard) {
        if (!enabled) {
            return null;
        }
        // What the SDK would choose, chosen here so that the Lease can be recognised as this replica's.
        String identity = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank())
                .orElseGet(() -> UUID.randomUUID().toString());
        String leaseNamespace = namespace.orElseGet(() -> client.getConfiguration().getNamespace());
        // Each shard elects its own leader: its replicas compete for its Lease only.
        LeaderLease lease = new LeaderLease(client, leaseNamespace, shard.leaseName(), identity, stopping::get,
                LeaderLease::exitProcess);
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(shard.leaseName())
                .withLeaseNamespace(leaseNamespace)
                .withIdentity(identity)
                .withLeaderCallbacks(new LeaderCallbacks(() -> { }, lease::stoppedLeading, leader -> { }))
                .withExitOnStopLeading(false)
                .build();
    }

    /**
     * Marks the shutdown before the operator-sdk extension's own ShutdownEvent observer (default priority)
     * stops the operator, which is what makes this replica stop leading.
     */
    void shuttingDown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping.set(true);
    }
}
