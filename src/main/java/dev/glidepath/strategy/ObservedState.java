package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.RolloutStatus;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What exists in the cluster for one Release, read before deciding: its revisions' Deployments, its
 * Services and its Rollouts.
 */
public record ObservedState(
        Map<Integer, ObservedRevision> revisions,
        Optional<ObservedService> stableService,
        Optional<ObservedService> previewService,
        Map<String, ObservedRollout> rollouts,
        Map<String, ObservedJob> jobs) {

    public ObservedState {
        revisions = new TreeMap<>(revisions);
        jobs = Map.copyOf(jobs);
    }

    public ObservedState(Map<Integer, ObservedRevision> revisions, Optional<ObservedService> stableService,
            Optional<ObservedService> previewService, Map<String, ObservedRollout> rollouts) {
        this(revisions, stableService, previewService, rollouts, Map.of());
    }

    /** A migration Job as last seen; {@code failureMessage} is the tail of its pod's log when it failed. */
    public record ObservedJob(String name, boolean succeeded, boolean failed, String failureMessage) {
    }

    public Optional<ObservedRevision> revision(Integer number) {
        return number == null ? Optional.empty() : Optional.ofNullable(revisions.get(number));
    }

    public int available(Integer number) {
        return revision(number).map(ObservedRevision::availableReplicas).orElse(0);
    }

    public int specReplicas(Integer number) {
        return revision(number).map(ObservedRevision::specReplicas).orElse(0);
    }

    /** A revision's Deployment as last seen. */
    public record ObservedRevision(int number, String templateHash, String deploymentName, int specReplicas,
            int availableReplicas, String version, java.util.List<String> images, String created) {
    }

    /**
     * A Service as last seen. {@code selectedRevision} is the revision its selector pins, or empty when it
     * selects every pod of the Release (canary).
     */
    public record ObservedService(String name, Optional<Integer> selectedRevision, Optional<Integer> stableRevision) {
    }

    public record ObservedRollout(String name, int sequence, Integer toRevision, RolloutStatus status) {
    }
}
