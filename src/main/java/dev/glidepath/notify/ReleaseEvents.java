package dev.glidepath.notify;

import dev.glidepath.strategy.Decision;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Emits the decision's notes as Kubernetes Events on the Release (what `kubectl describe release` shows). */
public final class ReleaseEvents {
    private static final Logger LOG = Logger.getLogger(ReleaseEvents.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final KubernetesClient client;
    private final Clock clock;

    public ReleaseEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Records the notes as Events on {@code release} (a Release, or another of Glidepath's objects such as a Freeze). */
    public void emit(HasMetadata release, List<Decision.Note> notes) {
        for (Decision.Note note : notes) {
            String name = release.getMetadata().getName();
            LOG.infof("%s/%s %s: %s", release.getMetadata().getNamespace(), name, note.reason(), note.message());
            String ts = clock.instant().toString();
            Event event = new EventBuilder()
                    .withNewMetadata()
                    .withName(name + "." + Long.toHexString(clock.millis()) + Long.toHexString(SEQUENCE.incrementAndGet()))
                    .withNamespace(release.getMetadata().getNamespace())
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(release.getApiVersion())
                    .withKind(release.getKind())
                    .withName(name)
                    .withNamespace(release.getMetadata().getNamespace())
                    .withUid(release.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(note.warning() ? "Warning" : "Normal")
                    .withReason(note.reason())
                    .withMessage(note.message())
                    .withFirstTimestamp(ts)
                    .withLastTimestamp(ts)
                    .withCount(1)
                    .withNewSource().withComponent("glidepath").endSource()
                    .build();
            try {
                client.v1().events().inNamespace(release.getMetadata().getNamespace()).resource(event).create();
            } catch (KubernetesClientException e) {
                // An event is a courtesy: losing one must never fail a rollout.
                LOG.debugf("event not recorded: %s", e.getMessage());
            }
        }
    }
}
