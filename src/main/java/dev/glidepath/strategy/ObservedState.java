package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What exists in the cluster for one Release, read before deciding: its revisions' Deployments, its
 * Services and its Rollouts, and, with a traffic router, the canary weight its routes hold.
 */
public record ObservedState(
        Map<Integer, ObservedRevision> revisions,
        Optional<ObservedService> stableService,
        Optional<ObservedService> previewService,
        Map<String, ObservedRollout> rollouts,
        Map<String, ObservedJob> jobs,
        Optional<Integer> routedWeight,
        Optional<ObservedAdoptee> adoptee) {

    public ObservedState {
        revisions = new TreeMap<>(revisions);
        jobs = Map.copyOf(jobs);
    }

    public ObservedState(Map<Integer, ObservedRevision> revisions, Optional<ObservedService> stableService,
            Optional<ObservedService> previewService, Map<String, ObservedRollout> rollouts, Map<String, ObservedJob> jobs) {
        this(revisions, stableService, previewService, rollouts, jobs, Optional.empty(), Optional.empty());
    }

    /** With a traffic router: the same state with the canary weight the routes hold (empty: no canary backend). */
    public ObservedState withRoutedWeight(Optional<Integer> weight) {
        return new ObservedState(revisions, stableService, previewService, rollouts, jobs, weight, adoptee);
    }

    /** With spec.adopt: the same state with the Deployment being adopted, as read. */
    public ObservedState withAdoptee(Optional<ObservedAdoptee> adopted) {
        return new ObservedState(revisions, stableService, previewService, rollouts, jobs, routedWeight, adopted);
    }

    /**
     * The Deployment named by spec.adopt (when it exists) and whether the stable Service's name is still taken by a
     * Service the Release does not own yet.
     */
    public record ObservedAdoptee(String name, int specReplicas, int availableReplicas, boolean serviceToTakeOver) {
    }

    public ObservedState(Map<Integer, ObservedRevision> revisions, Optional<ObservedService> stableService,
            Optional<ObservedService> previewService, Map<String, ObservedRollout> rollouts) {
        this(revisions, stableService, previewService, rollouts, Map.of(), Optional.empty(), Optional.empty());
    }

    /**
     * A migration or smoke-test Job as last seen; {@code failureMessage} is the tail of its pod's log when it
     * failed; {@code created} is when the API server created it (empty when unknown).
     */
    public record ObservedJob(String name, boolean succeeded, boolean failed, String failureMessage,
            Optional<Instant> created) {

        public ObservedJob(String name, boolean succeeded, boolean failed, String failureMessage) {
            this(name, succeeded, failed, failureMessage, Optional.empty());
        }
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
            int availableReplicas, String version, List<String> images, String created) {
    }

    /**
     * A Service as last seen. {@code selectedRevision} is the revision its selector pins, or empty when it
     * selects every pod of the Release (canary).
     */
    public record ObservedService(String name, Optional<Integer> selectedRevision, Optional<Integer> stableRevision) {
    }

    public record ObservedRollout(String name, int sequence, Integer fromRevision, Integer toRevision, RolloutStatus status) {

        /** Not ended: no phase yet, Progressing or Paused. */
        public boolean unfinished() {
            return status == null || RolloutPhase.unfinished(status.phase);
        }
    }
}
