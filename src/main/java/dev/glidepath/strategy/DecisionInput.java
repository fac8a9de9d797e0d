package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.workflow.FreezeHold;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a decision depends on; nothing else is read while deciding. {@code measurements} holds the
 * analysis round taken in this reconcile (metric name to measurement), empty when none was due.
 * {@code clusterProblems} are what the spec names in the cluster that cannot be used, found before deciding:
 * a Secret not labelled for Glidepath, an address outside the operator's allowlist, a route that is missing
 * or cannot carry the split. Each names its field, and the spec is then as invalid as one that fails
 * validation. {@code freezes} are the Freezes covering the Release; {@code upstreams} the Releases its promotion names;
 * {@code approvals} its Approvals as checked; {@code triggeredBy} the field manager that last changed its template.
 */
public record DecisionInput(String releaseName, Long generation, ReleaseSpec spec, ReleaseStatus status,
        ObservedState observed, Instant now, Map<String, Measurement> measurements, List<String> clusterProblems,
        List<FreezeHold> freezes, List<UpstreamState> upstreams, List<ApprovalVote> approvals, String triggeredBy) {

    public DecisionInput {
        clusterProblems = clusterProblems == null ? List.of() : List.copyOf(clusterProblems);
        freezes = freezes == null ? List.of() : List.copyOf(freezes);
        upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }

    public DecisionInput(String releaseName, Long generation, ReleaseSpec spec, ReleaseStatus status,
            ObservedState observed, Instant now, Map<String, Measurement> measurements, List<String> clusterProblems) {
        this(releaseName, generation, spec, status, observed, now, measurements, clusterProblems, List.of(), List.of(), List.of(), null);
    }

    /** The same input with the freezes that cover the Release (standing or not: the decision looks at their end). */
    public DecisionInput withFreezes(List<FreezeHold> covering) {
        return new DecisionInput(releaseName, generation, spec, status, observed, now, measurements, clusterProblems, covering, upstreams,
                approvals, triggeredBy);
    }

    /** The same input with the upstream Releases its spec.promotion names, as the operator's cache holds them. */
    public DecisionInput withUpstreams(List<UpstreamState> read) {
        return new DecisionInput(releaseName, generation, spec, status, observed, now, measurements, clusterProblems, freezes, read,
                approvals, triggeredBy);
    }

    /** The same input with the Release's Approvals (each checked: counted or why not). */
    public DecisionInput withApprovals(List<ApprovalVote> read) {
        return new DecisionInput(releaseName, generation, spec, status, observed, now, measurements, clusterProblems, freezes, upstreams,
                read, triggeredBy);
    }

    /** The same input with who last changed the Release's template (its field manager), for the deployment record. */
    public DecisionInput withTriggeredBy(String manager) {
        return new DecisionInput(releaseName, generation, spec, status, observed, now, measurements, clusterProblems, freezes, upstreams,
                approvals, manager);
    }

    public DecisionInput(String releaseName, Long generation, ReleaseSpec spec, ReleaseStatus status,
            ObservedState observed, Instant now, Map<String, Measurement> measurements) {
        this(releaseName, generation, spec, status, observed, now, measurements, List.of());
    }

    public DecisionInput(String releaseName, Long generation, ReleaseSpec spec, ReleaseStatus status,
            ObservedState observed, Instant now) {
        this(releaseName, generation, spec, status, observed, now, Map.of());
    }
}
