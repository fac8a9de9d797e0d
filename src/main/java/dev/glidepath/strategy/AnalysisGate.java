package dev.glidepath.strategy;

import dev.glidepath.analysis.AnalysisLedger;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import java.time.Instant;
import java.util.Optional;

/**
 * Adds this reconcile's measurements to the evidence, keeps the schedule (each measurement one interval after
 * the previous due time, skipping rounds missed while the operator was down) and reacts to the verdicts in the
 * same reconcile: a revert ends the rollout now; a hold pauses it.
 */
final class AnalysisGate {
    private final Situation s;

    AnalysisGate(Situation s) {
        this.s = s;
    }

    Optional<RolloutRun.Result> judge(RolloutRun run) {
        var p = s.progress;
        if (run.analysis == null || p.nextMeasurementAt == null) {
            return Optional.empty();
        }
        Instant next = Timestamps.parse(p.nextMeasurementAt);
        if (!s.in.measurements().isEmpty()) {
            s.record.analysis = AnalysisLedger.record(s.record.analysis, s.in.measurements(), run.analysis);
            while (!next.isAfter(s.now)) {
                next = next.plus(s.timings.analysisInterval());
            }
            p.nextMeasurementAt = Timestamps.format(next);
        }
        s.plan.wakeAt(next);
        AnalysisLedger.Judgement judgement = AnalysisLedger.judge(s.record.analysis, run.analysis, Instant.EPOCH);
        switch (judgement.outcome()) {
            case REVERT -> {
                run.finishOpenSteps(RolloutPhase.FAILED.wire());
                return Optional.of(run.failed(EventReason.ANALYSIS_FAILED, judgement.message()));
            }
            case HOLD -> {
                run.paused = true;
                run.pauseReason = "held: " + judgement.message();
            }
            default -> {
            }
        }
        return Optional.empty();
    }
}
