package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.ReleasePhase;
import dev.glidepath.api.v1alpha1.RevisionOutcome;
import dev.glidepath.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The report as a pure function: facts in, phase, message and conditions out. */
class StatusReportTest {
    private static final Instant NOW = SimulatedCluster.T0;

    private static StatusReport.Facts steady(int target, Integer stable, RevisionOutcome outcome, String why, int serving,
            int replicas) {
        return new StatusReport.Facts(null, null, Optional.empty(), target, stable, Optional.ofNullable(outcome), why, null, "1.0",
                serving, serving, replicas, Optional.empty(), Optional.empty(), false);
    }

    private static StatusReport.Facts rolling(RolloutRun.Kind kind, String message) {
        return new StatusReport.Facts("shop-2", new RolloutRun.Result(kind, message, null), Optional.empty(), 2, 1,
                Optional.of(RevisionOutcome.PROGRESSING), null, null, "1.0", 3, 3, 3, Optional.empty(), Optional.empty(), false);
    }

    static Stream<Arguments> phases() {
        return Stream.of(
                Arguments.of("serving all it asks for", steady(1, 1, RevisionOutcome.STABLE, null, 3, 3), ReleasePhase.HEALTHY,
                        "Healthy", "revision 1 (1.0) serves all traffic"),
                Arguments.of("scaling the stable revision", steady(1, 1, RevisionOutcome.STABLE, null, 1, 3),
                        ReleasePhase.PROGRESSING, "ScalingStable", "revision 1: 1/3 available"),
                Arguments.of("a rollout moving", rolling(RolloutRun.Kind.IN_FLIGHT, "step 0: shifting"), ReleasePhase.PROGRESSING,
                        "RolloutInProgress", "shop-2: step 0: shifting"),
                Arguments.of("a rollout waiting for a person", rolling(RolloutRun.Kind.HOLDING, "paused"), ReleasePhase.PAUSED,
                        "RolloutInProgress", "shop-2: paused"),
                Arguments.of("reverted by analysis", steady(2, 1, RevisionOutcome.FAILED, "AnalysisFailed: 0.5 is above max 0.05",
                        3, 3), ReleasePhase.DEGRADED, "AnalysisFailed",
                        "revision 2 failed (AnalysisFailed: 0.5 is above max 0.05); traffic on revision 1"),
                Arguments.of("aborted", steady(2, 1, RevisionOutcome.ABORTED, "aborted by spec.abort", 3, 3), ReleasePhase.DEGRADED,
                        "RolloutAborted", "revision 2 was aborted (aborted by spec.abort)"),
                Arguments.of("rolled back", steady(2, 1, RevisionOutcome.ROLLED_BACK, "rolled back to revision 1", 3, 3),
                        ReleasePhase.ROLLED_BACK, "RolledBack", "revision 2 was rolled back"),
                Arguments.of("a first revision that failed", steady(1, 1, RevisionOutcome.FAILED,
                        "ProgressDeadlineExceeded: revision 1 did not become available", 0, 3), ReleasePhase.DEGRADED,
                        "ProgressDeadlineExceeded", "revision 1 failed: ProgressDeadlineExceeded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("phases")
    void thePhaseFollowsFromTheFacts(String what, StatusReport.Facts facts, ReleasePhase phase, String degradedReason,
            String message) {
        StatusReport.Report r = StatusReport.of(facts, List.of(), null, NOW, 3L);
        assertThat(r.phase()).isEqualTo(phase);
        assertThat(r.message()).contains(message);
        assertThat(condition(r, Conditions.DEGRADED).getReason()).isEqualTo(degradedReason);
        assertThat(condition(r, Conditions.READY).getStatus()).isEqualTo(phase.ready() ? "True" : "False");
        assertThat(condition(r, Conditions.RECONCILING).getStatus()).isEqualTo(phase.reconciling() ? "True" : "False");
        assertThat(condition(r, Conditions.STALLED).getStatus()).isEqualTo(phase.stalled() ? "True" : "False");
        assertThat(r.conditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
        assertThat(r.notes()).as("no previous phase: nothing to announce").isEmpty();
    }

    @Test
    void aGateShowsItsPhase() {
        var facts = new StatusReport.Facts(null, null, Optional.of(new StartGates.Gate(ReleasePhase.AWAITING_APPROVAL, "approve 2")),
                2, 1, Optional.empty(), null, null, "1.0", 3, 3, 3, Optional.empty(), Optional.empty(), false);
        StatusReport.Report r = StatusReport.of(facts, List.of(), "Healthy", NOW, 1L);
        assertThat(r.phase()).isEqualTo(ReleasePhase.AWAITING_APPROVAL);
        assertThat(condition(r, Conditions.PROGRESSING).getReason()).isEqualTo("AwaitingApproval");
        assertThat(r.notes()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(EventReason.PHASE_AWAITING_APPROVAL);
            assertThat(n.warning()).isFalse();
            assertThat(n.kind().notification()).contains("awaitingApproval");
        });
    }

    @Test
    void aChangeToABadPhaseIsAWarningAndTransitionTimesStayWhileTheStatusDoesNot() {
        StatusReport.Report healthy = StatusReport.of(steady(1, 1, RevisionOutcome.STABLE, null, 3, 3), List.of(), null, NOW, 1L);
        StatusReport.Report again = StatusReport.of(steady(1, 1, RevisionOutcome.STABLE, null, 3, 3), healthy.conditions(),
                "Healthy", NOW.plusSeconds(60), 1L);
        assertThat(condition(again, Conditions.READY).getLastTransitionTime())
                .isEqualTo(condition(healthy, Conditions.READY).getLastTransitionTime());
        assertThat(again.notes()).isEmpty();

        StatusReport.Report degraded = StatusReport.of(steady(2, 1, RevisionOutcome.FAILED, "MigrationFailed: boom", 3, 3),
                again.conditions(), "Healthy", NOW.plusSeconds(120), 2L);
        assertThat(degraded.notes()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(EventReason.PHASE_DEGRADED);
            assertThat(n.warning()).isTrue();
        });
        assertThat(condition(degraded, Conditions.READY).getLastTransitionTime()).isEqualTo(NOW.plusSeconds(120).toString());
    }

    @Test
    void anInvalidSpecWarnsOncePerProblem() {
        StatusReport.Report first = StatusReport.invalid("spec.replicas: must be 0 or more", List.of(), NOW, 1L);
        assertThat(first.phase()).isEqualTo(ReleasePhase.DEGRADED);
        assertThat(first.message()).isEqualTo("invalid spec, nothing was changed: spec.replicas: must be 0 or more");
        assertThat(first.notes()).extracting(Decision.Note::kind).containsExactly(EventReason.INVALID_SPEC);
        StatusReport.Report same = StatusReport.invalid("spec.replicas: must be 0 or more", first.conditions(), NOW, 1L);
        assertThat(same.notes()).isEmpty();
    }

    @Test
    void aBlockedWriteIsStalledWithItsReason() {
        StatusReport.Report r = StatusReport.blocked(EventReason.WRITE_REJECTED, "the API server refused a write (422): x", false,
                List.of(), NOW, 1L);
        assertThat(r.phase()).isEqualTo(ReleasePhase.DEGRADED);
        assertThat(condition(r, Conditions.STALLED).getReason()).isEqualTo("WriteRejected");
        assertThat(r.conditions()).noneMatch(c -> c.getType().equals(Conditions.INVALID_SPEC));
        StatusReport.Report foreign = StatusReport.blocked(EventReason.RESOURCE_CONFLICT, "spec.service.name: taken", true,
                List.of(), NOW, 1L);
        assertThat(condition(foreign, Conditions.INVALID_SPEC).getStatus()).isEqualTo("True");
    }

    private static Condition condition(StatusReport.Report r, String type) {
        return r.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
