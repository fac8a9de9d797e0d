package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.ReleasePhase;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionOutcome;
import dev.glidepath.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Release's phase, message and conditions, as one pure function of what the decision settled. Every path
 * goes through it: a decision, an invalid spec, and a write the operator must not or cannot make.
 */
public final class StatusReport {

    /** Where the Release stands, for the report. Exactly one of rollout, gate or the steady-state facts applies. */
    record Facts(
            /** The rollout in flight (its Rollout's name and where the progression left it); null when none. */
            String rolloutName, RolloutRun.Result rollout,
            Optional<StartGates.Gate> gate,
            Integer target, Integer stable,
            /** How the spec's revision ended, when it is not the stable one, and why. */
            Optional<RevisionOutcome> targetOutcome, String targetWhy,
            /** The reason of a rollout failed or aborted in this decision. */
            EventReason ended,
            String stableVersion, int serving, int stableAvailable, int replicas,
            Optional<String> downMigrationFailure, Optional<String> commandRejection, boolean commandAccepted) {
    }

    /** The report: what to put in the status, the Events announcing a change of phase, and whether to look again soon. */
    public record Report(ReleasePhase phase, String message, List<Condition> conditions, List<Decision.Note> notes,
            boolean resyncSoon) {

        /** Writes phase, message and conditions into {@code status}. */
        public void applyTo(ReleaseStatus status) {
            status.phase = phase.wire();
            status.message = message;
            status.conditions = conditions;
        }
    }

    private StatusReport() {
    }

    static Report of(Facts f, List<Condition> previous, String previousPhase, Instant now, Long generation) {
        Conditions c = new Conditions(previous, now, generation);
        List<Decision.Note> notes = new ArrayList<>();
        if (c.find(Conditions.INVALID_SPEC).isPresent()) {
            c.set(Conditions.INVALID_SPEC, false, "SpecValid", "the spec is valid");
        }
        boolean available = f.stable() != null && f.serving() >= f.replicas();
        c.set(Conditions.AVAILABLE, available, available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                f.stable() == null ? "no revision serves traffic yet"
                        : f.serving() + "/" + f.replicas() + " pods available to serve (stable revision " + f.stable() + ": "
                        + f.stableAvailable() + ")");
        f.downMigrationFailure().ifPresent(failed ->
                c.set(Conditions.MIGRATION_ROLLBACK_FAILED, true, EventReason.MIGRATION_ROLLBACK_FAILED.wire(), failed));
        if (f.commandRejection().isPresent()) {
            c.set(Conditions.COMMAND_REJECTED, true, "CommandRejected", f.commandRejection().get());
        } else if (f.commandAccepted() && c.find(Conditions.COMMAND_REJECTED).isPresent()) {
            c.set(Conditions.COMMAND_REJECTED, false, "CommandAccepted", "the last command was accepted");
        }

        ReleasePhase phase;
        String message;
        boolean resync = false;
        if (f.rollout() != null) {
            boolean holding = f.rollout().holding();
            phase = holding ? ReleasePhase.PAUSED : ReleasePhase.PROGRESSING;
            message = f.rolloutName() + ": " + f.rollout().message();
            c.set(Conditions.PROGRESSING, true, holding ? "RolloutPaused" : "RolloutInProgress", message);
            c.set(Conditions.DEGRADED, false, "RolloutInProgress", message);
        } else if (f.gate().isPresent()) {
            phase = f.gate().get().phase();
            message = f.gate().get().message();
            c.set(Conditions.PROGRESSING, false, phase.wire(), message);
            c.set(Conditions.DEGRADED, false, phase.wire(), message);
        } else if (!f.target().equals(f.stable()) && f.targetOutcome().filter(RevisionOutcome::blocked).isPresent()) {
            RevisionOutcome outcome = f.targetOutcome().get();
            String why = f.targetWhy() == null ? outcome.wire() : f.targetWhy();
            boolean rolledBack = outcome == RevisionOutcome.ROLLED_BACK;
            phase = rolledBack ? ReleasePhase.ROLLED_BACK : ReleasePhase.DEGRADED;
            String reason = rolledBack ? ReleasePhase.ROLLED_BACK.wire() : f.ended() != null ? f.ended().wire()
                    : reasonOf(why, outcome == RevisionOutcome.ABORTED ? EventReason.ROLLOUT_ABORTED.wire() : outcome.wire());
            message = "revision " + f.target() + " " + switch (outcome) {
                case ROLLED_BACK -> "was rolled back";
                case ABORTED -> "was aborted";
                default -> "failed";
            } + " (" + why + "); traffic on revision " + f.stable() + "; change the template or set spec.retry to try again";
            c.set(Conditions.PROGRESSING, false, reason, message);
            c.set(Conditions.DEGRADED, !rolledBack, reason, message);
        } else if (f.target().equals(f.stable()) && f.targetOutcome().filter(RevisionOutcome.FAILED::equals).isPresent()
                && !available) {
            String why = f.targetWhy() == null ? "failed" : f.targetWhy();
            phase = ReleasePhase.DEGRADED;
            message = "revision " + f.target() + " failed: " + why;
            String reason = reasonOf(why, EventReason.ROLLOUT_FAILED.wire());
            c.set(Conditions.PROGRESSING, false, reason, message);
            c.set(Conditions.DEGRADED, true, reason, message);
        } else if (available) {
            phase = ReleasePhase.HEALTHY;
            message = "revision " + f.stable() + " (" + f.stableVersion() + ") serves all traffic";
            c.set(Conditions.PROGRESSING, false, "RolloutCompleted", message);
            c.set(Conditions.DEGRADED, false, ReleasePhase.HEALTHY.wire(), message);
        } else {
            phase = ReleasePhase.PROGRESSING;
            message = "revision " + f.stable() + ": " + f.stableAvailable() + "/" + f.replicas() + " available";
            resync = true;
            c.set(Conditions.PROGRESSING, true, "ScalingStable", message);
            c.set(Conditions.DEGRADED, false, "ScalingStable", message);
        }
        if (previousPhase != null && !phase.wire().equals(previousPhase)) {
            notes.add(new Decision.Note(phase.stalled(), EventReason.phase(phase), message));
        }
        kstatus(c, phase, phase.wire(), message);
        return new Report(phase, message, c.toList(), notes, resync);
    }

    /** A spec that cannot be acted on: nothing is changed; a Warning when the problems are new. */
    static Report invalid(String problems, List<Condition> previous, Instant now, Long generation) {
        Conditions c = new Conditions(previous, now, generation);
        boolean known = c.isTrue(Conditions.INVALID_SPEC)
                && problems.equals(c.find(Conditions.INVALID_SPEC).map(Condition::getMessage).orElse(null));
        String reason = EventReason.INVALID_SPEC.wire();
        c.set(Conditions.INVALID_SPEC, true, reason, problems);
        c.set(Conditions.DEGRADED, true, reason, problems);
        c.set(Conditions.READY, false, reason, problems);
        c.set(Conditions.RECONCILING, false, reason, problems);
        c.set(Conditions.STALLED, true, reason, problems);
        List<Decision.Note> notes = known ? List.of() : List.of(new Decision.Note(true, EventReason.INVALID_SPEC, problems));
        return new Report(ReleasePhase.DEGRADED, "invalid spec, nothing was changed: " + problems, c.toList(), notes, false);
    }

    /**
     * A write the operator must not make (someone else's object: {@code invalidSpec}) or the API server refused:
     * Degraded and stalled with that reason until it changes.
     */
    public static Report blocked(EventReason reason, String message, boolean invalidSpec, List<Condition> previous,
            Instant now, Long generation) {
        Conditions c = new Conditions(previous, now, generation);
        if (invalidSpec) {
            c.set(Conditions.INVALID_SPEC, true, reason.wire(), message);
        }
        c.set(Conditions.DEGRADED, true, reason.wire(), message);
        c.set(Conditions.READY, false, reason.wire(), message);
        c.set(Conditions.STALLED, true, reason.wire(), message);
        return new Report(ReleasePhase.DEGRADED, message, c.toList(), List.of(new Decision.Note(true, reason, message)), false);
    }

    // kstatus conventions (Flux, kubectl wait --for=condition=Ready): ready when healthy, reconciling while a
    // rollout is in flight, stalled when it cannot get where the spec asks without a person.
    private static void kstatus(Conditions c, ReleasePhase phase, String reason, String message) {
        c.set(Conditions.READY, phase.ready(), reason, message);
        c.set(Conditions.RECONCILING, phase.reconciling(), reason, message);
        c.set(Conditions.STALLED, phase.stalled(), reason, message);
    }

    /** The reason a failure message starts with ("AnalysisFailed: ..."), else the fallback. */
    static String reasonOf(String why, String fallback) {
        if (why != null) {
            int colon = why.indexOf(':');
            String head = colon > 0 ? why.substring(0, colon) : why;
            if (head.matches("[A-Z][A-Za-z]+")) {
                return head;
            }
        }
        return fallback;
    }
}
