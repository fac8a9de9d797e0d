package dev.glidepath.cli;

import static dev.glidepath.cli.ReleaseCommands.ref;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The on-call commands and when each means something: the CLI refuses one that does not, saying why, and the
 * dashboard offers only those that do. One place decides both, so the page never offers what the command would
 * refuse. Pure.
 */
enum ReleaseAction {
    PROMOTE("promote"),
    PROMOTE_FULL("promote-full"),
    ABORT("abort"),
    ROLLBACK("rollback"),
    RETRY("retry"),
    APPROVE("approve"),
    PAUSE("pause"),
    RESUME("resume");

    private final String wire;

    ReleaseAction(String wire) {
        this.wire = wire;
    }

    /** As the dashboard names it. */
    String wire() {
        return wire;
    }

    static ReleaseAction of(String wire) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(wire)).findFirst()
                .orElseThrow(() -> new CliException(CliException.USAGE, "unknown action " + wire + " (one of "
                        + Arrays.stream(values()).map(ReleaseAction::wire).collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * Why this command means nothing for {@code r} now, or null when it means something. A rollback means something
     * when some retained revision can be rolled back to; an approval when a revision waits for one.
     */
    String refusal(Release r) {
        return switch (this) {
            case PROMOTE, PROMOTE_FULL -> notInFlight(r, "promote");
            case ABORT -> notInFlight(r, "abort");
            case ROLLBACK -> rollbackTargets(r).isEmpty() ? ref(r) + " has no retained revision to roll back to" + retained(revisions(r)) : null;
            case RETRY -> retryRefusal(r);
            case APPROVE -> approvalRefusal(r, null);
            case PAUSE -> paused(r) ? ref(r) + " is already paused" : null;
            case RESUME -> paused(r) ? null : ref(r) + " is already not paused";
        };
    }

    /** The commands that mean something for {@code r} now, in the order the page shows them. */
    static List<ReleaseAction> allowed(Release r) {
        return Arrays.stream(values()).filter(a -> a.refusal(r) == null).toList();
    }

    private static String notInFlight(Release r, String command) {
        ReleaseStatus s = r.getStatus();
        if (s != null && s.rollout != null) {
            return null;
        }
        return "nothing to " + command + ": " + ref(r) + " has no rollout in flight ("
                + (s == null ? "not reconciled yet" : s.phase + " on revision " + s.stableRevision) + ")";
    }

    private static String retryRefusal(Release r) {
        String phase = r.getStatus() == null ? null : r.getStatus().phase;
        if ("Degraded".equals(phase) || "RolledBack".equals(phase)) {
            return null;
        }
        return "nothing to retry: " + ref(r) + " is " + (phase == null ? "not reconciled yet" : phase)
                + " (retry is for a template that failed, was aborted or rolled back)";
    }

    /** Why approving {@code revision} (null: the revision waiting for approval) means nothing, or null. */
    static String approvalRefusal(Release r, Integer revision) {
        if (r.getSpec() == null || r.getSpec().approval == null || !Boolean.TRUE.equals(r.getSpec().approval.required)) {
            return ref(r) + " does not require approval (spec.approval.required is not true)";
        }
        if (revision == null && (r.getStatus() == null || !"AwaitingApproval".equals(r.getStatus().phase))) {
            return "nothing waits for approval: " + ref(r) + " is " + (r.getStatus() == null ? "not reconciled yet" : r.getStatus().phase)
                    + "; name a revision: approve REVISION";
        }
        return null;
    }

    /**
     * The revision a rollback without a number goes to: the newest one replaced by a later one, other than the
     * stable revision. Null when there is none.
     */
    static Integer previousStable(Release r) {
        Integer stable = r.getStatus() == null ? null : r.getStatus().stableRevision;
        return revisions(r).stream().filter(v -> v.number != null && !v.number.equals(stable))
                .filter(v -> "Replaced".equals(v.outcome)).map(v -> v.number).findFirst().orElse(null);
    }

    /** Why a rollback to {@code revision} (null: to {@link #previousStable}) means nothing, or null. */
    static String rollbackRefusal(Release r, Integer revision) {
        List<RevisionRecord> revisions = revisions(r);
        Integer target = revision;
        if (target == null) {
            target = previousStable(r);
            if (target == null) {
                return ref(r) + " has no earlier stable revision to roll back to" + retained(revisions) + "; name one: rollback REVISION";
            }
        } else if (revisions.stream().noneMatch(v -> Objects.equals(v.number, revision))) {
            return "revision " + revision + " of " + ref(r) + " is not retained" + retained(revisions);
        }
        ReleaseStatus s = r.getStatus();
        if (Objects.equals(s.stableRevision, target) && s.rollout == null) {
            return ref(r) + " already runs revision " + target + " with nothing in flight";
        }
        return null;
    }

    /** The retained revisions a rollback may go to now, newest first. */
    static List<Integer> rollbackTargets(Release r) {
        return revisions(r).stream().map(v -> v.number).filter(Objects::nonNull).filter(n -> rollbackRefusal(r, n) == null).toList();
    }

    private static boolean paused(Release r) {
        return r.getSpec() != null && Boolean.TRUE.equals(r.getSpec().paused);
    }

    private static List<RevisionRecord> revisions(Release r) {
        ReleaseStatus s = r.getStatus();
        return s == null || s.revisions == null ? List.of() : s.revisions;
    }

    private static String retained(List<RevisionRecord> revisions) {
        return revisions.isEmpty() ? "" : " (retained: " + revisions.stream().map(v -> v.number + " " + v.outcome)
                .collect(Collectors.joining(", ")) + ")";
    }
}
