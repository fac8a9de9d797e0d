package dev.glidepath.strategy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glidepath.api.v1alpha1.DeploymentType;
import dev.glidepath.api.v1alpha1.RevisionOutcome;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutReason;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.api.v1alpha1.TimelineEntry;
import dev.glidepath.migration.MigrationJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A rollout's life: started (or adopted from a Rollout whose status write was lost), superseded by a newer
 * template, and ended as succeeded or failed. The Rollout record follows each change.
 */
final class RolloutLifecycle {
    private static final ObjectMapper COPIER = new ObjectMapper();

    private final Situation s;
    private final MigrationGate migrations;

    RolloutLifecycle(Situation s, MigrationGate migrations) {
        this.s = s;
        this.migrations = migrations;
    }

    /** A Rollout to {@code to} that has not ended and that the status does not know of (its write was lost). */
    Optional<ObservedState.ObservedRollout> unfinishedRollout(int to) {
        return s.observed.rollouts().values().stream()
                .filter(r -> r.toRevision() != null && r.toRevision() == to && r.unfinished())
                .filter(r -> s.status.rolloutCount == null || r.sequence() > s.status.rolloutCount)
                .findFirst();
    }

    /** The Rollout record of the rollout in flight, as last written (or a new one). */
    void observeRecord() {
        RolloutProgress p = s.progress;
        s.record = Optional.ofNullable(s.observed.rollouts().get(p.name))
                .map(o -> o.status() == null ? null : COPIER.convertValue(o.status(), RolloutStatus.class))
                .orElseGet(() -> {
                    RolloutStatus r = new RolloutStatus();
                    r.phase = RolloutPhase.PROGRESSING.wire();
                    r.startedAt = p.startedAt;
                    return r;
                });
        s.plan.transition(p.fromRevision, p.toRevision);
    }

    void start(RolloutReason reason, Integer from, int to, String strategy) {
        // Adopt a Rollout created for this very transition by a reconcile whose status write was lost.
        Optional<ObservedState.ObservedRollout> orphan = unfinishedRollout(to);
        int sequence = orphan.map(ObservedState.ObservedRollout::sequence).orElseGet(() -> 1 + Math.max(
                s.status.rolloutCount == null ? 0 : s.status.rolloutCount,
                s.observed.rollouts().values().stream().mapToInt(ObservedState.ObservedRollout::sequence).max().orElse(0)));
        s.status.rolloutCount = sequence;
        s.plan.transition(from, to);
        String now = Timestamps.format(s.now);
        RolloutProgress p = new RolloutProgress();
        p.name = s.releaseName() + "-" + sequence;
        p.reason = reason.wire();
        p.fromRevision = from;
        p.toRevision = to;
        p.strategy = strategy;
        p.startedAt = now;
        p.stepIndex = 0;
        p.stepStartedAt = now;
        p.waitingSince = now;
        s.progress = p;
        s.record = orphan.filter(o -> o.status() != null && o.status().phase != null)
                .map(o -> COPIER.convertValue(o.status(), RolloutStatus.class)).orElseGet(() -> {
                    RolloutStatus r = new RolloutStatus();
                    r.phase = RolloutPhase.PROGRESSING.wire();
                    r.startedAt = now;
                    r.currentStep = 0;
                    return r;
                });
        RolloutSpec rs = new RolloutSpec();
        rs.release = s.releaseName();
        rs.fromRevision = from;
        rs.toRevision = to;
        rs.reason = reason.wire();
        rs.version = s.ledger.find(to).map(r -> r.version).orElse(null);
        rs.strategy = reason == RolloutReason.UPDATE ? s.spec.strategy : null;
        rs.promotedFrom = reason == RolloutReason.UPDATE ? s.promotionEvidence : null;
        DeploymentType type = DeploymentRecord.typeOf(s.spec, reason, to);
        rs.type = type.wire();
        rs.hotfixReason = type == DeploymentType.HOTFIX ? s.spec.hotfix.reason : null;
        rs.triggeredBy = reason == RolloutReason.ROLLBACK ? null : s.in.triggeredBy();
        rs.approvals = reason == RolloutReason.ROLLBACK ? null : s.approvalsUsed;
        rs.changes = DeploymentRecord.changes(containerNames(),
                from == null ? null : s.ledger.find(from).map(r -> r.images).orElse(null),
                s.ledger.find(to).map(r -> r.images).orElse(null));
        rs.change = reason == RolloutReason.ROLLBACK ? null : DeploymentRecord.change(s.spec);
        s.status.deploymentType = type.wire();
        List<TimelineEntry> timeline = new ArrayList<>(s.status.waitedFor == null || reason != RolloutReason.UPDATE ? List.of()
                : s.status.waitedFor.stream().filter(e -> e.what != null && e.what.startsWith("revision " + to + ": ")).toList());
        if (s.approvalsUsed != null) {
            s.approvalsUsed.forEach(a -> timeline.add(new TimelineEntry(a.at, "approved by " + a.approver + " (" + a.role + ")")));
        }
        s.status.waitedFor = null;
        s.record.timeline = DeploymentRecord.append(timeline, s.now, "started: " + type.wire() + " " + reason.wire().toLowerCase(Locale.ROOT)
                + (from == null ? "" : " from revision " + from) + " to revision " + to, DeploymentRecord.TIMELINE_MAX);
        s.plan.writeRollout(p.name, rs, s.record);
        s.plan.note(EventReason.ROLLOUT_STARTED, switch (reason) {
            case INITIAL -> "deploying revision " + to + " (" + rs.version + ")";
            case ROLLBACK -> "rolling back from revision " + from + " to revision " + to + " (" + rs.version + ")";
            case UPDATE -> "rolling out revision " + to + " (" + rs.version + ") from revision " + from + " with " + strategy;
        });
    }

    /** The containers of the template, in order (the names of the record's image changes). */
    private List<String> containerNames() {
        var template = s.spec.template;
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
            return List.of();
        }
        return template.getSpec().getContainers().stream().map(c -> c.getName()).toList();
    }

    /** An update whose template is no longer the spec's ends as superseded. */
    void supersedeIfTemplateChanged() {
        if (s.progress == null || s.inFlight(RolloutReason.ROLLBACK) || s.target.equals(s.progress.toRevision)) {
            return;
        }
        int old = s.progress.toRevision;
        if (s.inFlight(RolloutReason.INITIAL)) {
            // A first revision that never came up is no base to roll out from: deploy the new one directly.
            s.stable = null;
        }
        end(RolloutPhase.SUPERSEDED, "superseded by revision " + s.target + " before it completed");
        s.ledger.mark(old, RevisionOutcome.SUPERSEDED, "superseded by revision " + s.target);
        s.plan.note(EventReason.ROLLOUT_SUPERSEDED, "rollout to revision " + old + " superseded by revision " + s.target);
        s.progress = null;
    }

    /** Writes the ending into the Rollout record; the caller lets go of the rollout. */
    void end(RolloutPhase phase, String message) {
        // What follows an ending (the revision left behind retired, the stable one resized) is decided on a
        // fresh look right away, not whenever some other event comes.
        s.plan.wakeAt(s.now);
        String now = Timestamps.format(s.now);
        s.record.phase = phase.wire();
        s.record.message = message;
        s.record.finishedAt = now;
        DeploymentRecord.ended(s.record, phase, s.now);
        s.record.currentStep = s.progress.stepIndex;
        for (var step : s.record.steps) {
            if (step.finishedAt == null) {
                step.finishedAt = now;
                step.outcome = phase.wire();
            }
        }
        s.plan.writeRollout(s.progress.name, null, s.record);
    }

    void succeed(RolloutRun.Result result) {
        RolloutProgress p = s.progress;
        s.record.weight = 100;
        end(RolloutPhase.SUCCEEDED, result.message());
        Integer previous = p.fromRevision;
        s.stable = p.toRevision;
        s.status.stableSince = Timestamps.format(s.now);
        s.status.stableRollout = p.name;
        if (previous != null && !previous.equals(s.stable)) {
            if (!s.ledger.blocked(previous)) {
                s.ledger.mark(previous, RevisionOutcome.REPLACED, "replaced by revision " + s.stable);
            } else if (s.ledger.outcome(previous).isEmpty()) {
                s.ledger.mark(previous, RevisionOutcome.REPLACED, null);
            }
        }
        boolean rollback = RolloutReason.ROLLBACK.is(p.reason);
        s.ledger.mark(s.stable, RevisionOutcome.STABLE, !rollback || s.stable.equals(s.target) ? null : "rolled back to");
        s.plan.note(rollback ? EventReason.ROLLED_BACK : EventReason.ROLLOUT_SUCCEEDED, p.name + ": " + result.message());
        if (RolloutReason.UPDATE.is(p.reason) && s.spec.migration != null && s.spec.migration.post != null) {
            String name = MigrationJobs.name(s.releaseName(), s.stable, MigrationJobs.POST);
            s.plan.jobs.add(new Decision.JobRequest(name, MigrationJobs.POST, s.stable, previous, s.stable,
                    s.versionOf(s.stable), p.name));
            s.plan.note(EventReason.MIGRATION_POST_STARTED, "post-migration job " + name + " started for revision " + s.stable);
        }
        s.progress = null;
    }

    /**
     * The rollout failed (or analysis reverted it): the stable revision takes everything back. Returns the
     * rejection to keep on the Release when it was a rollback that failed.
     */
    Optional<String> fail(RolloutRun.Result result) {
        RolloutProgress p = s.progress;
        // The progression's split no longer applies: the stable revision takes everything back.
        s.plan.replicas.clear();
        s.plan.stableRoute = null;
        s.plan.previewRoute = null;
        EventReason reason = result.failure() == null ? EventReason.ROLLOUT_FAILED : result.failure();
        boolean reverted = reason == EventReason.ANALYSIS_FAILED;
        end(reverted ? RolloutPhase.ROLLED_BACK : RolloutPhase.ABORTED, reason.wire() + ": " + result.message());
        if (RolloutReason.UPDATE.is(p.reason)) {
            migrations.downMigrate(p.toRevision, p.name);
        }
        Optional<String> rejection = Optional.empty();
        if (RolloutReason.ROLLBACK.is(p.reason)) {
            s.plan.warn(reason, "rollback to revision " + p.toRevision + " failed: " + result.message()
                    + "; traffic stays on revision " + s.stable);
            s.ledger.mark(p.toRevision, RevisionOutcome.FAILED, reason.wire());
            if (s.target.equals(s.stable)) {
                // The rollback did not happen: the revision still serving is not "rolled back".
                s.ledger.mark(s.target, RevisionOutcome.STABLE, null);
            }
            // Kept as CommandRejected until the next command is accepted, so the failure does not read as Healthy only.
            rejection = Optional.of("spec.rollback: rollback to revision " + p.toRevision + " failed (" + reason.wire() + ": "
                    + result.message() + "); traffic stays on revision " + s.stable);
        } else {
            s.ledger.mark(p.toRevision, RevisionOutcome.FAILED, reason.wire() + ": " + result.message());
            if (RolloutReason.INITIAL.is(p.reason)) {
                s.stable = p.toRevision;
            }
            s.plan.warn(reason, "rollout to revision " + p.toRevision + (reverted ? " reverted: " : " aborted: ") + result.message()
                    + (s.stable != null && !s.stable.equals(p.toRevision) ? "; traffic back on revision " + s.stable : ""));
        }
        s.endedReason = reason;
        s.progress = null;
        return rejection;
    }
}
