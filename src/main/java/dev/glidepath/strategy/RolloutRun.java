package dev.glidepath.strategy;

import dev.glidepath.analysis.AnalysisLedger;
import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.api.v1alpha1.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One reconcile's view of the rollout in flight, shared by the progressions. */
final class RolloutRun {

    enum Result { IN_FLIGHT, SUCCEEDED, FAILED }

    final ReleaseSpec spec;
    final RolloutProgress progress;
    final RolloutStatus record;
    final ObservedState observed;
    final Plan plan;
    final Instant now;
    final int replicas;
    final Duration progressDeadline;
    /** Spec.paused, or an analysis that holds on inconclusive measurements: nothing advances. */
    boolean paused;
    String pauseReason;
    /** The Release's name, for the names and environment of the Jobs a step runs. */
    String releaseName = "";
    /** The deployment window closed: no new step begins (the one in progress finishes). */
    boolean windowClosed;
    String windowMessage;
    /** The Release's analysis while this rollout is an update that runs it; null otherwise. */
    AnalysisSpec analysis;

    /** Set by a progression: why the rollout stands where it does. */
    String message = "";
    /** The rollout waits for a person: spec.paused, or a pause step / manual promotion waiting for promote. */
    boolean holding;
    /** Canary weight in effect, in percent. */
    Integer weight;
    String failureReason;
    String failureMessage;

    RolloutRun(ReleaseSpec spec, RolloutProgress progress, RolloutStatus record, ObservedState observed, Plan plan,
            Instant now, int replicas, Duration progressDeadline) {
        this.spec = spec;
        this.progress = progress;
        this.record = record;
        this.observed = observed;
        this.plan = plan;
        this.now = now;
        this.replicas = replicas;
        this.progressDeadline = progressDeadline;
        this.paused = Boolean.TRUE.equals(spec.paused);
        this.pauseReason = "paused by spec.paused";
    }

    /** Starts measuring (once): the new revision now takes traffic. */
    void activateAnalysis() {
        if (analysis != null && progress.nextMeasurementAt == null) {
            Instant first = now.plus(interval());
            progress.nextMeasurementAt = first.toString();
            plan.wakeAt(first);
        }
    }

    Duration interval() {
        return analysis == null || analysis.interval == null ? Duration.ofSeconds(15) : Durations.parse(analysis.interval);
    }

    /**
     * Whether the analysis lets the rollout advance: every metric's latest measurement taken since
     * {@code since} passed. Always true without analysis.
     */
    boolean analysisAllows(Instant since) {
        if (analysis == null) {
            return true;
        }
        activateAnalysis();
        AnalysisLedger.Judgement j = AnalysisLedger.judge(record.analysis, analysis, since);
        if (j.outcome() == AnalysisLedger.Outcome.PASSING) {
            return true;
        }
        message = message.isEmpty() ? j.message() : message + "; " + j.message();
        return false;
    }

    int available(Integer revision) {
        return observed.available(revision);
    }

    int specReplicas(Integer revision) {
        return observed.specReplicas(revision);
    }

    /**
     * The rollout waits for the target revision to become available. Returns true once the progress
     * deadline has passed; the clock does not run while the Release is paused.
     */
    boolean waitingTooLong(String what) {
        if (paused || progress.waitingSince == null) {
            progress.waitingSince = now.toString();
        }
        Instant limit = Instant.parse(progress.waitingSince).plus(progressDeadline);
        if (!now.isBefore(limit)) {
            failureReason = "ProgressDeadlineExceeded";
            failureMessage = what + " did not become available within the progress deadline of "
                    + Durations.format(progressDeadline);
            return true;
        }
        plan.wakeAt(limit);
        return false;
    }

    /**
     * The step waits until every replica of the target revision is available. Returns empty once they
     * are (the step is then finished), else the result the progression returns now: still in flight, or
     * failed when the progress deadline passed.
     */
    java.util.Optional<Result> awaitTargetAvailable(int step, String what) {
        int available = available(progress.toRevision);
        if (available >= replicas) {
            doneWaiting();
            finishStep(step, "Succeeded");
            return java.util.Optional.empty();
        }
        message = what + ": " + available + "/" + replicas + " available";
        if (waitingTooLong("revision " + progress.toRevision)) {
            finishStep(step, "Failed");
            return java.util.Optional.of(Result.FAILED);
        }
        return java.util.Optional.of(Result.IN_FLIGHT);
    }

    void doneWaiting() {
        progress.waitingSince = null;
    }

    /**
     * Runs the smoke-test Job {@code name} (once) against the target revision. Empty while it runs; true when
     * it passed; false when it failed or ran out of time (the failure reason is then set).
     */
    java.util.Optional<Boolean> verification(String name, dev.glidepath.api.v1alpha1.VerifySpec verify, Instant startedAt,
            String address) {
        ObservedState.ObservedJob job = observed.jobs().get(name);
        if (job != null && job.succeeded()) {
            return java.util.Optional.of(true);
        }
        if (job != null && job.failed()) {
            failureReason = "VerificationFailed";
            failureMessage = "smoke test " + name + " failed" + (job.failureMessage() == null || job.failureMessage().isBlank()
                    ? "" : ": " + job.failureMessage().strip());
            return java.util.Optional.of(false);
        }
        Duration timeout = verify.timeout == null ? Duration.ofMinutes(5) : Durations.parse(verify.timeout);
        // A Job older than the step's recorded start (a status write lost before a restart) started the clock.
        Instant started = job == null ? startedAt : job.created().filter(c -> c.isBefore(startedAt)).orElse(startedAt);
        Instant deadline = started.plus(timeout);
        if (!now.isBefore(deadline)) {
            failureReason = "VerificationFailed";
            failureMessage = "smoke test " + name + " did not finish within " + Durations.format(timeout);
            return java.util.Optional.of(false);
        }
        if (job == null) {
            int to = progress.toRevision;
            plan.jobs.add(new Decision.JobRequest(name, dev.glidepath.workflow.MigrationJobs.VERIFY, to, progress.fromRevision, to,
                    null, progress.name, verify.template.podTemplate(), timeout.toSeconds(), java.util.Map.of(
                            "GLIDEPATH_TARGET_ADDRESS", address,
                            "GLIDEPATH_TARGET_SELECTOR", "glidepath.dev/release=" + releaseName + ",glidepath.dev/revision=" + to)));
        }
        plan.wakeAt(deadline);
        message = "smoke test " + name + " is running against revision " + progress.toRevision;
        return java.util.Optional.empty();
    }

    /** Whether step {@code index} has begun (it is in the Rollout's step records). */
    boolean begun(int index) {
        return record.steps.stream().anyMatch(s -> s.index != null && s.index == index);
    }

    /** Records that a step is in progress; a step is recorded once. */
    void beginStep(int index, String what) {
        if (record.steps.stream().noneMatch(s -> s.index != null && s.index == index)) {
            record.steps.add(new StepRecord(index, what, now.toString()));
        }
    }

    void finishStep(int index, String outcome) {
        for (StepRecord s : record.steps) {
            if (s.index != null && s.index == index && s.finishedAt == null) {
                s.finishedAt = now.toString();
                s.outcome = outcome;
            }
        }
    }

    void finishOpenSteps(String outcome) {
        for (StepRecord s : record.steps) {
            if (s.finishedAt == null) {
                s.finishedAt = now.toString();
                s.outcome = outcome;
            }
        }
    }

    Instant stepStartedAt() {
        return progress.stepStartedAt == null ? now : Instant.parse(progress.stepStartedAt);
    }
}
