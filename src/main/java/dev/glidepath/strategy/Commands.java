package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.RevisionOutcome;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.api.v1alpha1.RolloutReason;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one-shot commands of the spec (rollback, abort, retry, promote), each handled once per id. Says whether
 * one was accepted or rejected, for the CommandRejected condition.
 */
final class Commands {

    /** What the commands of this decision came to: one accepted, or the rejection to show. */
    record Outcome(boolean accepted, Optional<String> rejection) {
    }

    private final Situation s;
    private final RolloutLifecycle lifecycle;
    private final MigrationGate migrations;
    private boolean accepted;
    private String rejection;

    Commands(Situation s, RolloutLifecycle lifecycle, MigrationGate migrations) {
        this.s = s;
        this.lifecycle = lifecycle;
        this.migrations = migrations;
    }

    Outcome handle() {
        var spec = s.spec;
        var handled = s.handled;
        if (spec.rollback != null && !Objects.equals(spec.rollback.id, handled.rollback)) {
            handled.rollback = spec.rollback.id;
            rollback(spec.rollback.revision);
        }
        if (spec.abort != null && !Objects.equals(spec.abort.id, handled.abort)) {
            handled.abort = spec.abort.id;
            abort();
        }
        if (spec.retry != null && !Objects.equals(spec.retry.id, handled.retry)) {
            handled.retry = spec.retry.id;
            if (s.ledger.blocked(s.target) && s.progress == null) {
                accepted = true;
                s.ledger.mark(s.target, null, null);
                s.plan.note(EventReason.RETRY_REQUESTED, "retrying revision " + s.target + " (spec.retry id " + spec.retry.id + ")");
            } else {
                s.plan.note(EventReason.COMMAND_IGNORED, "spec.retry (id " + spec.retry.id + "): revision " + s.target
                        + " has not failed");
            }
        }
        if (spec.promote != null && !Objects.equals(spec.promote.id, handled.promote)) {
            handled.promote = spec.promote.id;
            promote();
        }
        return new Outcome(accepted, Optional.ofNullable(rejection));
    }

    private void abort() {
        var spec = s.spec;
        if (!s.inFlight(RolloutReason.UPDATE)) {
            s.plan.note(EventReason.COMMAND_IGNORED, "spec.abort (id " + spec.abort.id + "): no update rollout is in progress");
            return;
        }
        accepted = true;
        int aborted = s.progress.toRevision;
        migrations.downMigrate(aborted, s.progress.name);
        lifecycle.end(RolloutPhase.ABORTED, "aborted by spec.abort (id " + spec.abort.id + "); traffic back on revision "
                + s.progress.fromRevision);
        s.ledger.mark(aborted, RevisionOutcome.ABORTED, "aborted by spec.abort");
        s.plan.warn(EventReason.ROLLOUT_ABORTED, "rollout to revision " + aborted + " aborted by spec.abort; traffic back on revision "
                + s.stable);
        s.endedReason = EventReason.ROLLOUT_ABORTED;
        s.progress = null;
    }

    private void promote() {
        var spec = s.spec;
        if (!s.inFlight(RolloutReason.UPDATE)) {
            s.plan.note(EventReason.COMMAND_IGNORED, "spec.promote (id " + spec.promote.id + "): no update rollout is in progress");
            return;
        }
        accepted = true;
        s.progress.promoted = true;
        boolean full = Boolean.TRUE.equals(spec.promote.full);
        if (full) {
            s.progress.promotedFull = true;
        }
        s.plan.note(EventReason.PROMOTE_REQUESTED, (full ? "full promote" : "promote") + " of the rollout to revision "
                + s.progress.toRevision);
    }

    private void rollback(int to) {
        if (s.observed.revision(to).isEmpty()) {
            rejection = "spec.rollback.revision: revision " + to + " is not retained (retained: "
                    + s.observed.revisions().keySet().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
            s.plan.warn(EventReason.ROLLBACK_REJECTED, rejection);
            return;
        }
        accepted = true;
        if (s.inFlight(RolloutReason.UPDATE) && s.progress.toRevision != to) {
            migrations.downMigrate(s.progress.toRevision, s.progress.name);
        } else if (s.progress == null && s.stable != null && s.stable != to) {
            migrations.downMigrate(s.stable, s.status.rolloutCount == null ? null : s.releaseName() + "-" + s.status.rolloutCount);
        }
        if (s.progress != null) {
            lifecycle.end(RolloutPhase.ROLLED_BACK, "rolled back to revision " + to + " by spec.rollback");
            if (s.inFlight(RolloutReason.UPDATE) && s.progress.toRevision != to) {
                s.ledger.mark(s.progress.toRevision, RevisionOutcome.ROLLED_BACK, "rolled back to revision " + to);
            }
            s.progress = null;
        }
        if (!s.target.equals(to)) {
            s.ledger.mark(s.target, RevisionOutcome.ROLLED_BACK, "rolled back to revision " + to + " by spec.rollback");
        } else {
            s.ledger.mark(s.target, null, null);
        }
        s.plan.warn(EventReason.ROLLBACK_STARTED, "rolling back to revision " + to + " (spec.rollback id " + s.spec.rollback.id + ")");
        if (s.stable != null && s.stable == to) {
            return;
        }
        lifecycle.start(RolloutReason.ROLLBACK, s.stable, to, "Direct");
    }
}
