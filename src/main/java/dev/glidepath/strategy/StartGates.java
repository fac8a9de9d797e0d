package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.DeploymentType;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.RecordedApproval;
import dev.glidepath.api.v1alpha1.ReleasePhase;
import dev.glidepath.api.v1alpha1.RolloutReason;
import dev.glidepath.workflow.DeploymentWindows;
import dev.glidepath.workflow.FreezeHold;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What may hold an update before it starts (never a rollback or an abort): approval by revision number or by the
 * roles its deployment type needs ({@link ApprovalGate}), then
 * promotion from upstream environments ({@link PromotionGate}), then a
 * standing Freeze (unless it allows the hotfix override and the override names the revision), then the deployment
 * windows unless the hotfix override names the revision. And, for an update running when a freeze comes or its
 * window closes, the hold before its next step.
 */
final class StartGates {

    /** A gate holding the next rollout: the phase it shows (AwaitingApproval, WaitingForWindow) and why. */
    record Gate(ReleasePhase phase, String message) {
    }

    private final Situation s;
    private final PromotionGate promotion;

    StartGates(Situation s) {
        this.s = s;
        this.promotion = new PromotionGate(s);
        s.status.frozenBy = null;
    }

    Optional<Gate> gate() {
        var spec = s.spec;
        Integer target = s.target;
        s.plan.transition(s.stable, target);
        String version = s.template.version();
        Optional<Gate> approval = approval(target, version);
        if (approval.isPresent()) {
            return approval;
        }
        Optional<String> upstream = promotion.holds(target);
        if (upstream.isPresent()) {
            return Optional.of(new Gate(ReleasePhase.AWAITING_PROMOTION, upstream.get()));
        }
        Optional<FreezeHold> freeze = freeze(target);
        if (freeze.isPresent()) {
            s.status.frozenBy = freeze.get().describe();
            return Optional.of(new Gate(ReleasePhase.FROZEN, "revision " + target + " (" + version + ") waits: frozen by "
                    + freeze.get().describe() + (freeze.get().until() == null ? "; it starts once the Freeze is deleted"
                    : "; it starts once the Freeze is deleted or ends")));
        }
        if (!overridden(target) && !DeploymentWindows.open(spec.windows, s.now)) {
            Optional<Instant> next = DeploymentWindows.nextOpening(spec.windows, s.now);
            next.ifPresentOrElse(s.plan::wakeAt, () -> s.plan.wakeWithin(Duration.ofHours(24)));
            Optional<String> blackout = DeploymentWindows.blackout(spec.windows, s.now);
            Duration pauses = s.timings.timedPauses();
            return Optional.of(new Gate(ReleasePhase.WAITING_FOR_WINDOW, "revision " + target + " (" + version
                    + ") waits for a deployment window" + blackout.map(b -> ": " + b).orElse("")
                    + next.map(t -> "; the next opens at " + t + " (in " + DeploymentWindows.describe(Duration.between(s.now, t)) + ")")
                            .orElse("; none opens in the next " + DeploymentWindows.HORIZON_DAYS + " days")
                    + (pauses.isZero() ? "" : "; its steps then take at least " + Durations.format(pauses)
                            + " (their timed pauses)")));
        }
        return Optional.empty();
    }

    /**
     * Approval of {@code target}: by revision number (spec.approval.required), or by the roles its deployment type
     * needs (the Approvals used are kept for its record). Empty when nothing more is needed.
     */
    Optional<Gate> approval(Integer target, String version) {
        var spec = s.spec;
        if (spec.approval != null && Boolean.TRUE.equals(spec.approval.required) && !target.equals(spec.approval.approvedRevision)) {
            return Optional.of(new Gate(ReleasePhase.AWAITING_APPROVAL, "revision " + target + " (" + version
                    + ") awaits approval: kubectl patch release " + s.releaseName()
                    + " --type merge -p '{\"spec\":{\"approval\":{\"approvedRevision\":" + target + "}}}'"
                    + (spec.approval.approvedRevision == null ? "" : " (revision " + spec.approval.approvedRevision
                    + " was approved, not this one)")));
        }
        DeploymentType type = DeploymentRecord.typeOf(spec, RolloutReason.UPDATE, target);
        List<String> roles = ApprovalGate.rolesFor(spec.approval, type);
        s.approvalsUsed = null;
        if (!roles.isEmpty()) {
            Optional<List<RecordedApproval>> approved = ApprovalGate.assign(roles, target, s.in.approvals());
            if (approved.isEmpty()) {
                return Optional.of(new Gate(ReleasePhase.AWAITING_APPROVAL, "revision " + target + " (" + version + ", "
                        + type.wire() + ") awaits approval: " + ApprovalGate.missing(roles, target, s.in.approvals())
                        + "; approve with: kubectl glidepath approve " + s.releaseName() + " --revision " + target + " --role ROLE"));
            }
            s.approvalsUsed = approved.get();
        }
        return Optional.empty();
    }

    /**
     * The first standing freeze that holds an update to {@code revision}: any, unless it allows the hotfix
     * override and the override names the revision. Each freeze with an end wakes the Release then.
     */
    private Optional<FreezeHold> freeze(Integer revision) {
        List<FreezeHold> standing = s.in.freezes().stream().filter(f -> f.standsAt(s.now)).toList();
        standing.stream().map(FreezeHold::until).filter(Objects::nonNull).forEach(s.plan::wakeAt);
        return standing.stream().filter(f -> !(f.allowOverride() && overridden(revision))).findFirst();
    }

    /** An update starting now outside the windows by the hotfix override is announced. */
    void announceOverride(int revision) {
        promotion.announceSkippedSoak(revision);
        s.in.freezes().stream().filter(f -> f.standsAt(s.now) && f.allowOverride() && overridden(revision)).forEach(f ->
                s.plan.warn(EventReason.FREEZE_OVERRIDE, "revision " + revision + " starts during " + f.describe()
                        + " by " + overrideReason()));
        if (overridden(revision) && !DeploymentWindows.open(s.spec.windows, s.now)) {
            s.plan.warn(EventReason.WINDOW_OVERRIDE, "revision " + revision
                    + " starts outside the deployment windows (" + overrideReason() + ")");
        }
    }

    /** An update running when its window closed holds before its next step (unless onWindowClose: Continue). */
    void windowClosing(RolloutRun run) {
        var spec = s.spec;
        if (s.inFlight(RolloutReason.UPDATE)) {
            Optional<FreezeHold> freeze = freeze(s.progress.toRevision);
            if (freeze.isPresent()) {
                s.status.frozenBy = freeze.get().describe();
                run.windowClosed = true;
                run.windowMessage = "frozen by " + freeze.get().describe() + "; holding before the next step";
                return;
            }
        }
        if (!s.inFlight(RolloutReason.UPDATE) || spec.windows == null || spec.windows.isEmpty()
                || "Continue".equals(spec.onWindowClose) || overridden(s.progress.toRevision)
                || DeploymentWindows.open(spec.windows, s.now)) {
            return;
        }
        run.windowClosed = true;
        Optional<Instant> next = DeploymentWindows.nextOpening(spec.windows, s.now);
        next.ifPresent(s.plan::wakeAt);
        run.windowMessage = DeploymentWindows.blackout(spec.windows, s.now).map(b -> b + ": holding before the next step")
                .orElse("the deployment window closed; holding before the next step")
                + next.map(t -> " until the next opens at " + t).orElse("");
    }


    /** The hotfix override: spec.hotfix (or the older spec.windowOverride) names the revision. */
    private boolean overridden(Integer revision) {
        return DeploymentRecord.hotfix(s.spec, revision)
                || s.spec.windowOverride != null && revision != null && revision.equals(s.spec.windowOverride.revision);
    }

    /** Why the override was used, for the Events. */
    private String overrideReason() {
        if (DeploymentRecord.hotfix(s.spec, s.target)) {
            return "spec.hotfix: " + s.spec.hotfix.reason;
        }
        return "spec.windowOverride" + (s.spec.windowOverride.reason == null ? "" : ": " + s.spec.windowOverride.reason);
    }
}
