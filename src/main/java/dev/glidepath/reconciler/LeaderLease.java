package dev.glidepath.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * What a replica does when it stops leading.
 * <ul>
 * <li>The operator is shutting down (SIGTERM): its reconcilers have stopped, so it gives the Lease back
 * (holder cleared, as fabric8's release-on-cancel does; java-operator-sdk 5.2.1 never turns that on), and a
 * standby takes over at its next retry instead of after the lease duration. The process then ends as the
 * shutdown goes on.</li>
 * <li>It lost the Lease while running (another holder, or no renewal within the renew deadline): it ends
 * the process with status 1, so that Kubernetes restarts it and it cannot go on acting as a stale leader.</li>
 * </ul>
 */
final class LeaderLease {
    private static final Logger LOG = Logger.getLogger(LeaderLease.class);
    private static final int GIVE_BACK_ATTEMPTS = 3;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final BooleanSupplier stopping;
    private final Runnable exit;

    /**
     * @param stopping whether the operator is shutting down
     * @param exit ends the process after a loss of leadership
     */
    LeaderLease(KubernetesClient client, String namespace, String name, String identity, BooleanSupplier stopping,
            Runnable exit) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.stopping = stopping;
        this.exit = exit;
    }

    /** The leader elector's stop-leading callback. */
    void stoppedLeading() {
        if (stopping.getAsBoolean()) {
            giveBack();
        } else {
            LOG.errorf("Lost the leader Lease %s/%s (identity %s) while running: exiting so that this replica is restarted",
                    namespace, name, identity);
            exit.run();
        }
    }

    /**
     * Clears the holder if it is still this replica; the patch carries the resourceVersion read. A renewal
     * the shutdown cut short may still land between the read and the patch: a conflict reads again.
     */
    void giveBack() {
        LeaseLock lock = new LeaseLock(namespace, name, identity);
        for (int attempt = 1; ; attempt++) {
            try {
                LeaderElectionRecord current = lock.get(client);
                if (current == null || !identity.equals(current.getHolderIdentity())) {
                    return;
                }
                ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                lock.update(client, new LeaderElectionRecord("", Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
                LOG.infof("Gave the leader Lease %s/%s back (identity %s)", namespace, name, identity);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == GIVE_BACK_ATTEMPTS) {
                    LOG.warnf("Could not give the leader Lease %s/%s back (%s): a standby takes over when it expires",
                            namespace, name, e.getMessage());
                    return;
                }
            }
        }
    }

    /**
     * System.exit(1) on a thread of its own: System.exit runs the shutdown hooks and waits for them, and the
     * hook that stops the operator waits (up to the reconcile termination timeout) for the SDK's threads, the
     * leader elector's among them, which is the one calling this.
     */
    static void exitProcess() {
        Thread exiting = new Thread(() -> System.exit(1), "glidepath-lost-leadership");
        exiting.setDaemon(true);
        exiting.start();
    }
}
