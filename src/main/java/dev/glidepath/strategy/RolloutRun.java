package dev.glidepath.strategy;

import dev.glidepath.analysis.AnalysisLedger;
import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.api.v1alpha1.StepRecord;
import dev.glidepath.api.v1alpha1.VerifySpec;
import dev.glidepath.migration.MigrationJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One reconcile's view of the rollout in flight, shared by the gates and the progressions. A progression
 * answers with a {@link Result}: the message says why the rollout stands where it does.
 */
final class RolloutRun {

    enum Kind {
        /** Moving on by itself: waiting for pods, a timer or a measurement. */
        IN_FLIGHT,
        /** Waiting for a person: spec.paused, a pause until promoted, a closed window, an analysis hold. */
        HOLDING,
        SUCCEEDED,
        FAILED
    }

    /** Where a progression (or a gate) leaves the rollout, and why; {@code failure} says why it failed. */
    record Result(Kind kind, String message, EventReason failure) {
        boolean holding() {
            return kind == Kind.HOLDING;
        }
    }

    final ReleaseSpec spec;
    final RolloutProgress progress;
    final RolloutStatus record;
    final ObservedState observed;
    final Plan plan;
    final Instant now;
    final int replicas;
    final Timings timings;
    /** The Release's name, for the names and environment of the Jobs a step runs. */
    final String releaseName;
    /** The Release's analysis while this rollout is an update that runs it; null otherwise. */
    final AnalysisSpec analysis;
    /** A traffic router carries the weight (the route's weight, not replica counts). */
    final boolean routed;
    /**
     * The rollout began behind a router that spec.trafficRouting no longer names: replica counts carry the weight
     * from here, rounded down, so removing the router never raises the new revision's share.
     */
    final boolean unrouted;
    /** Spec.paused, or an analysis that holds on inconclusive measurements: nothing advances. */
    boolean paused;
    String pauseReason;
    /** The deployment window closed: no new step begins (the one in progress finishes). */
    boolean windowClosed;
    String windowMessage;
    /** Canary weight in effect, in percent. */
    Integer weight;
    /** What the analysis still waits for, added to the message of the result. */
    private String analysisWaiting;

    RolloutRun(ReleaseSpec spec, RolloutProgress progress, RolloutStatus record, ObservedState observed, Plan plan, Instant now,
            int replicas, Timings timings, String releaseName, AnalysisSpec analysis) {
        this.spec = spec;
        this.progress = progress;
        this.record = record;
        this.observed = observed;
        this.plan = plan;
        this.now = now;
        this.replicas = replicas;
        this.timings = timings;
        this.releaseName = releaseName;
        this.analysis = analysis;
        this.routed = spec.trafficRouting != null;
        if (routed) {
            progress.routed = true;
        }
        this.unrouted = !routed && Boolean.TRUE.equals(progress.routed);
        this.paused = Boolean.TRUE.equals(spec.paused);
        this.pauseReason = "paused by spec.paused";
    }

    // ---- results ----------------------------------------------------------------------------------

    Result inFlight(String message) {
        return new Result(Kind.IN_FLIGHT, withAnalysis(message), null);
    }

    Result holding(String message) {
        return new Result(Kind.HOLDING, withAnalysis(message), null);
    }

    Result succeeded(String message) {
        return new Result(Kind.SUCCEEDED, message, null);
    }

    Result failed(EventReason why, String message) {
        return new Result(Kind.FAILED, message, why);
    }

    /** Waits for {@code deadline}: empty once it passed, else in flight with the wake-up asked for. */
    Optional<Result> waitFor(Deadline deadline, String message) {
        if (deadline.passed(now)) {
            return Optional.empty();
        }
        plan.wakeAt(deadline.end());
        return Optional.of(inFlight(message));
    }

    private String withAnalysis(String message) {
        if (analysisWaiting == null) {
            return message;
        }
        return message.isEmpty() ? analysisWaiting : message + "; " + analysisWaiting;
    }

    // ---- time -------------------------------------------------------------------------------------

    static Instant at(String timestamp) {
        return Timestamps.parse(timestamp);
    }

    Instant stepStartedAt() {
        return progress.stepStartedAt == null ? now : at(progress.stepStartedAt);
    }

    // ---- analysis ---------------------------------------------------------------------------------

    /** Starts measuring (once): the new revision now takes traffic. */
    void activateAnalysis() {
        if (analysis != null && progress.nextMeasurementAt == null) {
            Instant first = now.plus(timings.analysisInterval());
            progress.nextMeasurementAt = Timestamps.format(first);
            plan.wakeAt(first);
        }
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
        analysisWaiting = j.message();
        return false;
    }

    /** Steps advance in their own time unless a metric failed or holds (spec.analysis.advance: UnlessFailed). */
    boolean advancesUnlessFailed() {
        return analysis != null && "UnlessFailed".equals(analysis.advance);
    }

    /**
     * A step with traffic may end: on a pass measured during it, or (advancing unless failed) as long as no metric
     * failed or holds; a Fail reverts at any moment either way.
     */
    boolean stepAllows(Instant since) {
        if (!advancesUnlessFailed()) {
            return analysisAllows(since);
        }
        activateAnalysis();
        AnalysisLedger.Judgement j = AnalysisLedger.judge(record.analysis, analysis, since);
        if (j.outcome() == AnalysisLedger.Outcome.PASSING || j.outcome() == AnalysisLedger.Outcome.WAITING) {
            return true;
        }
        analysisWaiting = j.message();
        return false;
    }

    /**
     * The final promotion of a rollout whose steps advanced unless failed: every metric passes, or a judged metric
     * judged at least its minRequests without failing, measured since {@code since}.
     */
    boolean promotionAllows(Instant since) {
        if (!advancesUnlessFailed()) {
            return true;
        }
        activateAnalysis();
        AnalysisLedger.Judgement j = AnalysisLedger.enoughToPromote(record.analysis, analysis, since);
        if (j.outcome() == AnalysisLedger.Outcome.PASSING) {
            return true;
        }
        analysisWaiting = j.message();
        return false;
    }

    // ---- capacity ---------------------------------------------------------------------------------

    int available(Integer revision) {
        return observed.available(revision);
    }

    int specReplicas(Integer revision) {
        return observed.specReplicas(revision);
    }

    /**
     * The rollout waits for the target revision to become available. Returns the failure once the progress
     * deadline has passed; the clock does not run while the Release is paused.
     */
    Optional<Result> waitingTooLong(String what) {
        if (paused || progress.waitingSince == null) {
            progress.waitingSince = Timestamps.format(now);
        }
        Deadline limit = new Deadline(at(progress.waitingSince), timings.progressDeadline());
        if (limit.passed(now)) {
            return Optional.of(failed(EventReason.PROGRESS_DEADLINE_EXCEEDED, what
                    + " did not become available within the progress deadline of "
                    + Durations.format(timings.progressDeadline())));
        }
        plan.wakeAt(limit.end());
        return Optional.empty();
    }

    /**
     * The step waits until every replica of the target revision is available. Returns empty once they
     * are (the step is then finished), else the result the progression returns now: still in flight, or
     * failed when the progress deadline passed.
     */
    Optional<Result> awaitTargetAvailable(int step, String what) {
        int available = available(progress.toRevision);
        if (available >= replicas) {
            doneWaiting();
            finishStep(step, RolloutPhase.SUCCEEDED);
            return Optional.empty();
        }
        Optional<Result> late = waitingTooLong("revision " + progress.toRevision);
        if (late.isPresent()) {
            finishStep(step, RolloutPhase.FAILED);
            return late;
        }
        return Optional.of(inFlight(what + ": " + available + "/" + replicas + " available"));
    }

    void doneWaiting() {
        progress.waitingSince = null;
    }

    // ---- smoke tests ------------------------------------------------------------------------------

    /**
     * Runs the smoke-test Job {@code name} (once) against the target revision. Empty when it passed; else the
     * result now: in flight while it runs, failed when it failed or ran out of time.
     */
    Optional<Result> verification(String name, VerifySpec verify, Duration timeout, Instant startedAt, String address) {
        ObservedState.ObservedJob job = observed.jobs().get(name);
        if (job != null && job.succeeded()) {
            return Optional.empty();
        }
        if (job != null && job.failed()) {
            return Optional.of(failed(EventReason.VERIFICATION_FAILED, "smoke test " + name + " failed"
                    + (job.failureMessage() == null || job.failureMessage().isBlank() ? "" : ": " + job.failureMessage().strip())));
        }
        // A Job older than the step's recorded start (a status write lost before a restart) started the clock.
        Instant started = job == null ? startedAt : job.created().filter(c -> c.isBefore(startedAt)).orElse(startedAt);
        Deadline deadline = new Deadline(started, timeout);
        if (deadline.passed(now)) {
            return Optional.of(failed(EventReason.VERIFICATION_FAILED, "smoke test " + name + " did not finish within "
                    + Durations.format(timeout)));
        }
        if (job == null) {
            int to = progress.toRevision;
            plan.jobs.add(new Decision.JobRequest(name, MigrationJobs.VERIFY, to, progress.fromRevision, to, null, progress.name,
                    verify.template.podTemplate(), timeout.toSeconds(), Map.of(
                            "GLIDEPATH_TARGET_ADDRESS", address,
                            "GLIDEPATH_TARGET_SELECTOR", "glidepath.dev/release=" + releaseName + ",glidepath.dev/revision=" + to)));
        }
        plan.wakeAt(deadline.end());
        return Optional.of(inFlight("smoke test " + name + " is running against revision " + progress.toRevision));
    }

    // ---- step records -----------------------------------------------------------------------------

    /** Whether step {@code index} has begun (it is in the Rollout's step records). */
    boolean begun(int index) {
        return record.steps.stream().anyMatch(s -> s.index != null && s.index == index);
    }

    /** Records that a step is in progress; a step is recorded once. */
    void beginStep(int index, String what) {
        if (!begun(index)) {
            record.steps.add(new StepRecord(index, what, Timestamps.format(now)));
            record.timeline = DeploymentRecord.append(record.timeline, now, "step " + index + ": " + what, DeploymentRecord.TIMELINE_MAX);
        }
    }

    void finishStep(int index, RolloutPhase outcome) {
        finishStep(index, outcome.wire());
    }

    void finishStep(int index, String outcome) {
        for (StepRecord s : record.steps) {
            if (s.index != null && s.index == index && s.finishedAt == null) {
                s.finishedAt = Timestamps.format(now);
                s.outcome = outcome;
            }
        }
    }

    void finishOpenSteps(String outcome) {
        for (StepRecord s : record.steps) {
            if (s.finishedAt == null) {
                s.finishedAt = Timestamps.format(now);
                s.outcome = outcome;
            }
        }
    }
}
