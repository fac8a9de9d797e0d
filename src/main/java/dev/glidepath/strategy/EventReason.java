package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.ReleasePhase;
import java.util.List;
import java.util.Optional;

/**
 * Why an Event is emitted on a Release. Each reason says which webhook notification it stands for and which
 * rollout counter it moves, so notifications and metrics look it up instead of matching text.
 */
public enum EventReason {
    ROLLOUT_STARTED("RolloutStarted", "started", "started"),
    ROLLOUT_SUCCEEDED("RolloutSucceeded", "succeeded", "succeeded"),
    ROLLED_BACK("RolledBack", null, "rolledback"),
    ROLLOUT_SUPERSEDED("RolloutSuperseded", null, null),
    ROLLOUT_ABORTED("RolloutAborted", "failed", "failed"),
    ROLLOUT_FAILED("RolloutFailed", "failed", "failed"),
    PROGRESS_DEADLINE_EXCEEDED("ProgressDeadlineExceeded", "failed", "failed"),
    ANALYSIS_FAILED("AnalysisFailed", "reverted", "reverted"),
    MIGRATION_FAILED("MigrationFailed", "failed", null),
    VERIFICATION_FAILED("VerificationFailed", "failed", null),
    ROLLBACK_STARTED("RollbackStarted", "reverted", null),
    ROLLBACK_REJECTED("RollbackRejected", null, null),
    TRAFFIC_SWITCHED("TrafficSwitched", "promoted", null),
    PROMOTE_REQUESTED("PromoteRequested", null, null),
    PROMOTE_IGNORED("PromoteIgnored", null, null),
    RETRY_REQUESTED("RetryRequested", null, null),
    COMMAND_IGNORED("CommandIgnored", null, null),
    WINDOW_OVERRIDE("WindowOverride", null, null),
    FREEZE_OVERRIDE("FreezeOverride", null, null),
    SOAK_SKIPPED("SoakSkipped", null, null),
    MIGRATION_STARTED("MigrationStarted", null, null),
    MIGRATION_SUCCEEDED("MigrationSucceeded", null, null),
    MIGRATION_ROLLBACK_STARTED("MigrationRollbackStarted", null, null),
    MIGRATION_ROLLED_BACK("MigrationRolledBack", null, null),
    MIGRATION_ROLLBACK_FAILED("MigrationRollbackFailed", null, null),
    MIGRATION_POST_STARTED("MigrationPostStarted", null, null),
    INVALID_SPEC("InvalidSpec", null, null),
    RESOURCE_CONFLICT("ResourceConflict", null, null),
    WRITE_REJECTED("WriteRejected", null, null),
    STATUS_UNREADABLE("StatusUnreadable", null, null),
    /** On a Freeze: it cannot be read, or its selector is one the API server would refuse. */
    FREEZE_INVALID("FreezeInvalid", null, null),
    /** An Approval that does not count: its approver is not verified, or RBAC does not let them approve for the role. */
    APPROVAL_REFUSED("ApprovalRefused", null, null),
    NOTIFICATION_FAILED("NotificationFailed", null, null),
    ADOPTION_STARTED("AdoptionStarted", null, null),
    SERVICE_TAKEN_OVER("ServiceTakenOver", null, null),
    ADOPTED("Adopted", null, null),
    ADOPTED_DEPLOYMENT_SCALED_UP("AdoptedDeploymentScaledUp", null, null),
    PHASE_HEALTHY("PhaseHealthy", null, null),
    PHASE_PROGRESSING("PhaseProgressing", null, null),
    PHASE_PAUSED("PhasePaused", null, null),
    PHASE_AWAITING_APPROVAL("PhaseAwaitingApproval", "awaitingApproval", null),
    PHASE_WAITING_FOR_WINDOW("PhaseWaitingForWindow", null, null),
    PHASE_FROZEN("PhaseFrozen", null, null),
    PHASE_AWAITING_PROMOTION("PhaseAwaitingPromotion", null, null),
    PHASE_DEGRADED("PhaseDegraded", null, null),
    PHASE_ROLLED_BACK("PhaseRolledBack", null, null);

    /** The notification events a webhook may ask for ({@code spec.notifications[].events}). */
    /**
     * The notifications a webhook may ask for; {@code scheduled}, {@code completed} and {@code rolledBack} are the
     * deployment record's notices (see Webhooks: waiting for a window, a rollout that succeeded, one that went back).
     */
    public static final List<String> NOTIFICATIONS = List.of("started", "awaitingApproval", "promoted", "reverted", "failed",
            "succeeded", "scheduled", "completed", "rolledBack");

    private final String wire;
    private final String notification;
    private final String counted;

    EventReason(String wire, String notification, String counted) {
        this.wire = wire;
        this.notification = notification;
        this.counted = counted;
    }

    /** The Event's reason as Kubernetes shows it. */
    public String wire() {
        return wire;
    }

    /** The webhook notification it stands for, if any. */
    public Optional<String> notification() {
        return Optional.ofNullable(notification);
    }

    /** The rollouts counter it moves ({@code glidepath_rollouts_<counted>_total}), if any. */
    public Optional<String> counted() {
        return Optional.ofNullable(counted);
    }

    /** The Event announcing that a Release entered {@code phase}. */
    public static EventReason phase(ReleasePhase phase) {
        return switch (phase) {
            case HEALTHY -> PHASE_HEALTHY;
            case PROGRESSING -> PHASE_PROGRESSING;
            case PAUSED -> PHASE_PAUSED;
            case AWAITING_APPROVAL -> PHASE_AWAITING_APPROVAL;
            case WAITING_FOR_WINDOW -> PHASE_WAITING_FOR_WINDOW;
            case FROZEN -> PHASE_FROZEN;
            case AWAITING_PROMOTION -> PHASE_AWAITING_PROMOTION;
            case DEGRADED -> PHASE_DEGRADED;
            case ROLLED_BACK -> PHASE_ROLLED_BACK;
        };
    }
}
