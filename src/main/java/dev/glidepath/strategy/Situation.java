package dev.glidepath.strategy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glidepath.api.v1alpha1.HandledCommands;
import dev.glidepath.api.v1alpha1.RecordedApproval;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionOutcome;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutReason;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.api.v1alpha1.UpstreamEvidence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one decision works from and has settled so far: the inputs, the revision numbers that matter (the
 * spec's target and the stable one), the rollout in flight and its Rollout record, and the plan being built.
 * The units of the decision (commands, gates, lifecycle, steady state) read and settle it in turn.
 */
final class Situation {
    private static final ObjectMapper COPIER = new ObjectMapper();

    final DecisionInput in;
    final ReleaseSpec spec;
    final ObservedState observed;
    final Instant now;
    final Plan plan;
    /** The next status, built from a copy of the one read. */
    final ReleaseStatus status;
    final HandledCommands handled;
    final Timings timings;
    final int replicas;
    final TemplateIdentity template;
    /** What let a promoted update start (set by the promotion gate), recorded in its Rollout. */
    List<UpstreamEvidence> promotionEvidence;
    /** The Approvals that let the update start (by role), for its Rollout record. */
    List<RecordedApproval> approvalsUsed;
    final RevisionLedger ledger;
    /** The revision the spec's template is. */
    final Integer target;
    /** The revision to serve from (and return to); null before the first one serves. */
    Integer stable;
    /** The rollout in flight; null when none. */
    RolloutProgress progress;
    /** The Rollout record of the rollout in flight. */
    RolloutStatus record;
    /** Why the rollout in flight ended in this decision, when it failed or was aborted. */
    EventReason endedReason;

    Situation(DecisionInput in, Plan plan) {
        this.in = in;
        this.spec = in.spec();
        this.observed = in.observed();
        this.now = in.now();
        this.plan = plan;
        this.status = in.status() == null ? new ReleaseStatus() : copy(in.status());
        this.handled = status.handledCommands == null ? new HandledCommands() : status.handledCommands;
        this.progress = status.rollout;
        this.timings = Timings.of(spec);
        this.replicas = spec.replicas == null ? 1 : spec.replicas;
        this.template = TemplateIdentity.of(spec.template, spec.version);
        this.ledger = new RevisionLedger(status.revisions, observed);
        this.target = ledger.numberFor(template, observed, now, status.lastRevision);
        if (status.lastRevision == null || target > status.lastRevision) {
            status.lastRevision = target;
        }
    }

    /** A copy the decision may change; the input is never changed. */
    static ReleaseStatus copy(ReleaseStatus status) {
        return COPIER.convertValue(status, ReleaseStatus.class);
    }

    String releaseName() {
        return in.releaseName();
    }

    boolean inFlight(RolloutReason reason) {
        return progress != null && reason.is(progress.reason);
    }

    /**
     * The revision to serve from: the one the stable Service records, while a rollout is in flight its base,
     * and never one that is gone or a first revision that never came up.
     */
    void settleStable(Optional<ObservedState.ObservedRollout> unfinishedToTarget) {
        stable = observed.stableService().flatMap(ObservedState.ObservedService::stableRevision).orElse(status.stableRevision);
        if (progress != null && progress.fromRevision != null) {
            // While a rollout is in flight it is the base to return to, whatever the Service already serves
            // (a blue-green switch names the new revision stable before the old one is retired).
            stable = progress.fromRevision;
        } else if (progress == null && target.equals(stable)) {
            // The status was lost after such a switch: the unfinished Rollout tells the base, and the update is
            // resumed from there (its scale-down delay and analysis still apply).
            unfinishedToTarget.map(ObservedState.ObservedRollout::fromRevision)
                    .filter(from -> observed.revision(from).isPresent())
                    .ifPresent(from -> stable = from);
        }
        if (stable != null && observed.revision(stable).isEmpty() && !stable.equals(target)) {
            stable = null;
        }
        if (stable != null && !stable.equals(target) && progress == null && observed.available(stable) == 0
                && ledger.is(stable, RevisionOutcome.FAILED)) {
            // A first revision that never came up is no base for a canary or blue-green: deploy the new one directly.
            stable = null;
        }
    }

    String versionOf(int revision) {
        return ledger.find(revision).map(r -> r.version).orElse("");
    }
}
