package dev.glidepath.reconciler;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Writes Release statuses, one attempt per reconcile, and never lets a refused write hold a rollout back.
 * A status the API server did not take is kept here and decided from in the next reconcile, as long as
 * the stored status is still the one it was computed from: the analysis schedule, its evidence and a
 * revert go on while status writes fail, and nothing is decided twice from an outdated status.
 */
final class StatusWrites {
    private static final Logger LOG = Logger.getLogger(StatusWrites.class);

    /** A status decided but not stored yet, and the stored status it was decided from. */
    private record Pending(String basedOn, ReleaseStatus status) {
    }

    private final Map<ResourceID, Pending> pending = new ConcurrentHashMap<>();
    private KubernetesClient source;
    private KubernetesClient singleAttempt;

    /** The status to decide from: the one decided last when it has not reached the API server yet. */
    ReleaseStatus current(Release release) {
        ResourceID id = ResourceID.fromResource(release);
        Pending p = pending.get(id);
        if (p != null && p.basedOn().equals(json(release.getStatus()))) {
            return p.status();
        }
        pending.remove(id);
        return release.getStatus();
    }

    /**
     * Stores {@code next} when it differs from what is stored: an update of the status subresource guarded by
     * the resourceVersion read, fed into the primary cache. Returns false when the API server refused it; the
     * status is then kept for the next reconcile.
     */
    boolean write(Context<Release> context, Release release, ReleaseStatus next) {
        ResourceID id = ResourceID.fromResource(release);
        String stored = json(release.getStatus());
        if (stored.equals(json(next))) {
            pending.remove(id);
            return true;
        }
        Release copy = Serialization.unmarshal(Serialization.asJson(release), Release.class);
        copy.setStatus(next);
        try {
            Release written = oneAttempt(context.getClient()).resources(Release.class).inNamespace(release.getMetadata().getNamespace())
                    .resource(copy).updateStatus();
            pending.remove(id);
            context.eventSourceRetriever().getControllerEventSource().handleRecentResourceUpdate(id, written, release);
            return true;
        } catch (KubernetesClientException e) {
            pending.put(id, new Pending(stored, next));
            LOG.warnf("status of %s/%s not written (%d %s); deciding from it until it is", release.getMetadata().getNamespace(),
                    release.getMetadata().getName(), e.getCode(), e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
            return false;
        }
    }

    /**
     * The client for status writes: one attempt, no retries of its own. A refused write is answered by deciding
     * from the kept status, not by holding the reconcile through the client's backoff (about 20 s for a 5xx).
     */
    private synchronized KubernetesClient oneAttempt(KubernetesClient client) {
        if (client != source) {
            source = client;
            singleAttempt = client.newClient(new RequestConfigBuilder().withRequestRetryBackoffLimit(0).build())
                    .adapt(KubernetesClient.class);
        }
        return singleAttempt;
    }

    private static String json(ReleaseStatus status) {
        return Objects.toString(Serialization.asJson(status));
    }
}
