package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of one decision: the desired state of every object the Release owns (and, with a traffic
 * router, the split of the routes it names), the Rollout records to write, the events to emit, the next
 * status and when to look again. Acting on it twice changes
 * nothing the second time.
 */
public record Decision(
        boolean touchWorkloads,
        Map<Integer, Integer> replicas,
        Optional<Integer> createRevision,
        Optional<ServiceRoute> stableRoute,
        Optional<ServiceRoute> previewRoute,
        Set<Integer> pruneRevisions,
        List<RolloutWrite> rolloutWrites,
        Set<String> pruneRollouts,
        List<Note> events,
        ReleaseStatus status,
        Optional<Duration> requeueAfter,
        List<JobRequest> jobs,
        Optional<ServiceRoute> canaryRoute,
        Optional<TrafficSplit> traffic,
        Optional<Integer> adopteeReplicas,
        boolean takeOverService) {

    /** A migration Job to create (once): up, down or post, for a revision, owned by a Rollout. */
    public record JobRequest(String name, String kind, int revision, Integer fromRevision, int toRevision, String version,
            String rollout, PodTemplateSpec template, Long timeoutSeconds,
            Map<String, String> env) {

        public JobRequest(String name, String kind, int revision, Integer fromRevision, int toRevision, String version,
                String rollout) {
            this(name, kind, revision, fromRevision, toRevision, version, rollout, null, null, Map.of());
        }
    }

    /** A Rollout to create (spec present) or whose status to bring to the given value. */
    public record RolloutWrite(String name, Optional<RolloutSpec> create, RolloutStatus status) {
    }

    /**
     * A Kubernetes Event to emit on the Release, with the transition it is about (from and to revision, when
     * there is one) for notifications.
     */
    public record Note(boolean warning, EventReason kind, String message, Integer fromRevision, Integer toRevision) {

        public Note(boolean warning, EventReason kind, String message) {
            this(warning, kind, message, null, null);
        }

        /** The Event's reason as Kubernetes shows it. */
        public String reason() {
            return kind.wire();
        }

        Note about(Integer from, Integer to) {
            return toRevision != null || to == null ? this : new Note(warning, kind, message, from, to);
        }
    }
}
