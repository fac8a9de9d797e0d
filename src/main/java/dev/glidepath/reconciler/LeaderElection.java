package dev.glidepath.reconciler;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election through a coordination.k8s.io Lease, for more than one operator replica: only the holder
 * of the Lease reconciles. Off unless glidepath.leader-election.enabled (the Helm chart turns it on when
 * replicas > 1).
 */
@Dependent
public class LeaderElection {
    public static final String LEASE_NAME = "glidepath-leader";

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "glidepath.leader-election.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "glidepath.leader-election.namespace") Optional<String> namespace) {
        return enabled ? new LeaderElectionConfiguration(LEASE_NAME, namespace.orElse(null)) : null;
    }
}
