package dev.glidepath.strategy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.HandledCommands;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pure decision core: from the Release's spec and status, what exists in the cluster and the time,
 * decides the desired state of every owned object and the next status. No client, no clock, no I/O.
 */
public final class ReleasePlanner {
    public static final String REASON_UPDATE = "Update";
    public static final String REASON_ROLLBACK = "Rollback";
    public static final String REASON_INITIAL = "Initial";

    static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
    static final int DEFAULT_HISTORY_LIMIT = 10;
    /** While a rollout is in flight, look again at least this often even if no event arrives. */
    static final Duration IN_FLIGHT_RESYNC = Duration.ofSeconds(60);
    /** Secrets are not watched: a refused one is looked at again this often (for the label, or a new URL). */
    static final Duration CREDENTIALS_RECHECK = Duration.ofSeconds(60);

    private static final ObjectMapper COPIER = new ObjectMapper();

    private final DecisionInput in;
    private final ReleaseSpec spec;
    private final ObservedState observed;
    private final Instant now;
    private final Plan plan;
    private final ReleaseStatus status;
    private final HandledCommands handled;
    private RolloutProgress progress;
    private RolloutStatus record;
    private RevisionLedger ledger;
    private Integer stable;
    private Integer target;
    private int replicas;
    private String commandRejection;
    private boolean commandAccepted;
    private String endedReason;
    /** A gate holding the next rollout before it starts: AwaitingApproval or WaitingForWindow. */
    private String gatePhase;
    private String gateMessage;

    private ReleasePlanner(DecisionInput in) {
        this.in = in;
        this.spec = in.spec();
        this.observed = in.observed();
        this.now = in.now();
        this.plan = new Plan(now);
        this.status = in.status() == null ? new ReleaseStatus() : COPIER.convertValue(in.status(), ReleaseStatus.class);
        this.handled = status.handledCommands == null ? new HandledCommands() : status.handledCommands;
        this.progress = status.rollout;
    }

    public static Decision decide(DecisionInput in) {
        return new ReleasePlanner(in).run();
    }

    private Decision run() {
        List<String> problems = new ArrayList<>(SpecValidator.validate(in.releaseName(), spec));
        problems.addAll(in.credentialProblems());
        if (!problems.isEmpty()) {
            if (!in.credentialProblems().isEmpty()) {
                plan.wakeWithin(CREDENTIALS_RECHECK);
            }
            return invalid(problems);
        }
        replicas = spec.replicas == null ? 1 : spec.replicas;
        TemplateIdentity template = TemplateIdentity.of(spec.template, spec.version);
        ledger = new RevisionLedger(status.revisions, observed);
        target = ledger.numberFor(template, observed, now);
        stable = observed.stableService().flatMap(ObservedState.ObservedService::stableRevision)
                .orElse(status.stableRevision);
        if (progress != null && progress.fromRevision != null) {
            // While a rollout is in flight it is the base to return to, whatever the Service already serves
            // (a blue-green switch names the new revision stable before the old one is retired).
            stable = progress.fromRevision;
        } else if (progress == null && target.equals(stable)) {
            // The status was lost after such a switch: the unfinished Rollout tells the base, and the update is
            // resumed from there (its scale-down delay and analysis still apply).
            unfinishedRollout(target).map(ObservedState.ObservedRollout::fromRevision)
                    .filter(from -> observed.revision(from).isPresent())
                    .ifPresent(from -> stable = from);
        }
        if (stable != null && observed.revision(stable).isEmpty() && !stable.equals(target)) {
            stable = null;
        }
        if (stable != null && !stable.equals(target) && progress == null && observed.available(stable) == 0
                && RevisionLedger.FAILED.equals(ledger.outcome(stable))) {
            // A first revision that never came up is no base for a canary or blue-green: deploy the new one directly.
            stable = null;
        }
        if (progress != null) {
            record = observedRecord(progress);
            plan.transition(progress.fromRevision, progress.toRevision);
        }

        handleCommands();
        supersedeIfTemplateChanged();
        startRolloutIfNeeded(template);

        RolloutRun run = null;
        if (progress != null) {
            run = new RolloutRun(spec, progress, record, observed, plan, now, replicas, progressDeadline());
            run.releaseName = in.releaseName();
            if (spec.analysis != null && REASON_UPDATE.equals(progress.reason)) {
                run.analysis = spec.analysis;
            }
            windowClosing(run);
            RolloutRun current = run;
            Optional<RolloutRun.Result> verdict = judgeAnalysis(current).or(() -> migrationGate(current));
            RolloutRun.Result result = verdict.isPresent() ? verdict.get() : progressionFor(progress).advance(run);
            plan.wakeWithin(IN_FLIGHT_RESYNC);
            switch (result) {
                case SUCCEEDED -> succeed(run);
                case FAILED -> fail(run);
                case IN_FLIGHT -> {
                    record.phase = run.holding ? "Paused" : "Progressing";
                    record.message = run.message;
                    record.currentStep = progress.stepIndex;
                    record.weight = run.weight;
                    plan.writeRollout(progress.name, null, record);
                }
            }
        }
        if (progress == null) {
            converge();
        }
        if (progress == null && target.equals(stable) && observed.available(stable) >= replicas && replicas > 0) {
            ledger.mark(stable, RevisionLedger.STABLE, null);
        }
        convergeOthers();
        prune();
        if (plan.createRevision == null && observed.revision(target).isEmpty() && plan.replicas.containsKey(target)) {
            plan.createRevision = target;
        }
        report(template, run);
        return plan.build(true, status);
    }

    /**
     * Adds this reconcile's measurements to the evidence, keeps the schedule (each measurement one interval
     * after the previous due time, skipping rounds missed while the operator was down) and reacts to the
     * verdicts in the same reconcile: a revert ends the rollout now; a hold pauses it.
     */
    private Optional<RolloutRun.Result> judgeAnalysis(RolloutRun run) {
        if (run.analysis == null || progress.nextMeasurementAt == null) {
            return Optional.empty();
        }
        Instant next = Instant.parse(progress.nextMeasurementAt);
        if (!in.measurements().isEmpty()) {
            record.analysis = dev.glidepath.analysis.AnalysisLedger.record(record.analysis, in.measurements(), run.analysis);
            while (!next.isAfter(now)) {
                next = next.plus(run.interval());
            }
            progress.nextMeasurementAt = next.toString();
        }
        plan.wakeAt(next);
        var judgement = dev.glidepath.analysis.AnalysisLedger.judge(record.analysis, run.analysis, Instant.EPOCH);
        switch (judgement.outcome()) {
            case REVERT -> {
                run.failureReason = "AnalysisFailed";
                run.failureMessage = judgement.message();
                run.finishOpenSteps("Failed");
                return Optional.of(RolloutRun.Result.FAILED);
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

    /**
     * Before an update's new revision starts: its migration Job, once per revision. While it runs nothing else
     * moves; a failure or a timeout fails the rollout (MigrationFailed) with the tail of the Job's log.
     */
    private Optional<RolloutRun.Result> migrationGate(RolloutRun run) {
        if (spec.migration == null || !REASON_UPDATE.equals(progress.reason) || Boolean.TRUE.equals(progress.migrated)) {
            return Optional.empty();
        }
        int to = progress.toRevision;
        String name = dev.glidepath.workflow.MigrationJobs.name(in.releaseName(), to, dev.glidepath.workflow.MigrationJobs.UP);
        if ("Succeeded".equals(ledger.migration(to))) {
            progress.migrated = true;
            return Optional.empty();
        }
        run.beginStep(-1, "migration job " + name);
        plan.scale(progress.fromRevision, Math.max(observed.specReplicas(progress.fromRevision), replicas));
        plan.stableRoute = spec.strategy.blueGreen != null ? ServiceRoute.pinned(progress.fromRevision, progress.fromRevision)
                : ServiceRoute.allRevisions(progress.fromRevision);
        ObservedState.ObservedJob job = observed.jobs().get(name);
        if (job != null && job.succeeded()) {
            progress.migrated = true;
            ledger.migration(to, "Succeeded");
            run.finishStep(-1, "Succeeded");
            plan.note("MigrationSucceeded", "migration job " + name + " succeeded");
            return Optional.empty();
        }
        Duration timeout = spec.migration.timeout == null ? Duration.ofMinutes(10) : Durations.parse(spec.migration.timeout);
        if (job != null && progress.migrationStartedAt == null) {
            // Created by a reconcile whose status write was lost (the operator restarted in between): adopt the Job
            // running; its timeout runs from its creation.
            progress.migrationStartedAt = job.created().orElse(now).toString();
        }
        if (job == null && progress.migrationStartedAt == null) {
            progress.migrationStartedAt = now.toString();
            plan.jobs.add(new Decision.JobRequest(name, dev.glidepath.workflow.MigrationJobs.UP, to, progress.fromRevision, to,
                    versionOf(to), progress.name));
            plan.note("MigrationStarted", "migration job " + name + " started for revision " + to);
        } else if (job == null) {
            // Created, not seen yet: ask again (creating it twice is refused by the API server, never run twice).
            plan.jobs.add(new Decision.JobRequest(name, dev.glidepath.workflow.MigrationJobs.UP, to, progress.fromRevision, to,
                    versionOf(to), progress.name));
        }
        if (job != null && job.failed()) {
            ledger.migration(to, "Failed");
            run.failureReason = "MigrationFailed";
            run.failureMessage = "migration job " + name + " failed" + (job.failureMessage() == null || job.failureMessage().isBlank()
                    ? "" : ": " + job.failureMessage().strip());
            run.finishStep(-1, "Failed");
            return Optional.of(RolloutRun.Result.FAILED);
        }
        Instant deadline = Instant.parse(progress.migrationStartedAt).plus(timeout);
        if (!now.isBefore(deadline)) {
            ledger.migration(to, "Failed");
            run.failureReason = "MigrationFailed";
            run.failureMessage = "migration job " + name + " did not finish within " + Durations.format(timeout);
            run.finishStep(-1, "Failed");
            return Optional.of(RolloutRun.Result.FAILED);
        }
        plan.wakeAt(deadline);
        run.message = "migration job " + name + " is running; revision " + to + " starts when it succeeds";
        return Optional.of(RolloutRun.Result.IN_FLIGHT);
    }

    private String versionOf(int revision) {
        return ledger.find(revision).map(r -> r.version).orElse("");
    }

    /** A migrated revision taken out of traffic gets its down-migration, after traffic is back on stable. */
    private void downMigrate(int revision, String rollout) {
        if (spec.migration == null || spec.migration.rollback == null || !"Succeeded".equals(ledger.migration(revision))) {
            return;
        }
        String name = dev.glidepath.workflow.MigrationJobs.name(in.releaseName(), revision, dev.glidepath.workflow.MigrationJobs.DOWN);
        plan.jobs.add(new Decision.JobRequest(name, dev.glidepath.workflow.MigrationJobs.DOWN, revision, revision,
                stable == null ? revision : stable, versionOf(revision), rollout));
        ledger.migration(revision, "RollingBack");
        plan.note("MigrationRollbackStarted", "down-migration job " + name + " started for revision " + revision);
    }

    /** Records how down-migrations ended; a failure is reported, never blocks anything. */
    private void observeDownMigrations(Conditions c) {
        String failed = null;
        for (var r : status.revisions == null ? List.<dev.glidepath.api.v1alpha1.RevisionRecord>of() : status.revisions) {
            String name = r.number == null ? null
                    : dev.glidepath.workflow.MigrationJobs.name(in.releaseName(), r.number, dev.glidepath.workflow.MigrationJobs.DOWN);
            ObservedState.ObservedJob job = name == null ? null : observed.jobs().get(name);
            // A down-migration whose start was not recorded (the status write was lost) is followed all the same.
            boolean running = "RollingBack".equals(r.migration)
                    || ("Succeeded".equals(r.migration) && job != null && ledger.blocked(r.number));
            if (!running) {
                continue;
            }
            if (job != null && job.succeeded()) {
                ledger.migration(r.number, "RolledBack");
                plan.note("MigrationRolledBack", "down-migration job " + name + " succeeded");
            } else if (job != null && job.failed()) {
                ledger.migration(r.number, "RollbackFailed");
                failed = "down-migration job " + name + " failed" + (job.failureMessage() == null ? "" : ": " + job.failureMessage().strip());
                plan.warn("MigrationRollbackFailed", failed);
            }
        }
        if (failed != null) {
            c.set(Conditions.MIGRATION_ROLLBACK_FAILED, true, "MigrationRollbackFailed", failed);
        }
    }

    // ---- commands -------------------------------------------------------------------------------

    private void handleCommands() {
        if (spec.rollback != null && !Objects.equals(spec.rollback.id, handled.rollback)) {
            handled.rollback = spec.rollback.id;
            rollback(spec.rollback.revision);
        }
        if (spec.abort != null && !Objects.equals(spec.abort.id, handled.abort)) {
            handled.abort = spec.abort.id;
            if (progress != null && REASON_UPDATE.equals(progress.reason)) {
                commandAccepted = true;
                int aborted = progress.toRevision;
                downMigrate(aborted, progress.name);
                endRollout("Aborted", "aborted by spec.abort (id " + spec.abort.id + "); traffic back on revision "
                        + progress.fromRevision);
                ledger.mark(aborted, RevisionLedger.ABORTED, "aborted by spec.abort");
                plan.warn("RolloutAborted", "rollout to revision " + aborted + " aborted by spec.abort; traffic back on revision " + stable);
                endedReason = "RolloutAborted";
                progress = null;
            } else {
                plan.note("CommandIgnored", "spec.abort (id " + spec.abort.id + "): no update rollout is in progress");
            }
        }
        if (spec.retry != null && !Objects.equals(spec.retry.id, handled.retry)) {
            handled.retry = spec.retry.id;
            if (ledger.blocked(target) && progress == null) {
                commandAccepted = true;
                ledger.mark(target, null, null);
                plan.note("RetryRequested", "retrying revision " + target + " (spec.retry id " + spec.retry.id + ")");
            } else {
                plan.note("CommandIgnored", "spec.retry (id " + spec.retry.id + "): revision " + target + " has not failed");
            }
        }
        if (spec.promote != null && !Objects.equals(spec.promote.id, handled.promote)) {
            handled.promote = spec.promote.id;
            if (progress != null && REASON_UPDATE.equals(progress.reason)) {
                commandAccepted = true;
                progress.promoted = true;
                if (Boolean.TRUE.equals(spec.promote.full)) {
                    progress.promotedFull = true;
                }
                plan.note("PromoteRequested", (Boolean.TRUE.equals(spec.promote.full) ? "full promote" : "promote")
                        + " of the rollout to revision " + progress.toRevision);
            } else {
                plan.note("CommandIgnored", "spec.promote (id " + spec.promote.id + "): no update rollout is in progress");
            }
        }
    }

    private void rollback(int to) {
        if (observed.revision(to).isEmpty()) {
            commandRejection = "spec.rollback.revision: revision " + to + " is not retained (retained: "
                    + observed.revisions().keySet().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
            plan.warn("RollbackRejected", commandRejection);
            return;
        }
        commandAccepted = true;
        if (progress != null && REASON_UPDATE.equals(progress.reason) && progress.toRevision != to) {
            downMigrate(progress.toRevision, progress.name);
        } else if (progress == null && stable != null && stable != to) {
            downMigrate(stable, status.rolloutCount == null ? null : in.releaseName() + "-" + status.rolloutCount);
        }
        if (progress != null) {
            endRollout("RolledBack", "rolled back to revision " + to + " by spec.rollback");
            if (REASON_UPDATE.equals(progress.reason) && progress.toRevision != to) {
                ledger.mark(progress.toRevision, RevisionLedger.ROLLED_BACK, "rolled back to revision " + to);
            }
            progress = null;
        }
        if (!target.equals(to)) {
            ledger.mark(target, RevisionLedger.ROLLED_BACK, "rolled back to revision " + to + " by spec.rollback");
        } else {
            ledger.mark(target, null, null);
        }
        plan.warn("RollbackStarted", "rolling back to revision " + to + " (spec.rollback id " + spec.rollback.id + ")");
        if (stable != null && stable == to) {
            return;
        }
        start(REASON_ROLLBACK, stable, to, "Direct");
    }

    // ---- rollout lifecycle ----------------------------------------------------------------------

    private void supersedeIfTemplateChanged() {
        if (progress == null || REASON_ROLLBACK.equals(progress.reason) || target.equals(progress.toRevision)) {
            return;
        }
        int old = progress.toRevision;
        if (REASON_INITIAL.equals(progress.reason)) {
            // A first revision that never came up is no base to roll out from: deploy the new one directly.
            stable = null;
        }
        endRollout("Superseded", "superseded by revision " + target + " before it completed");
        ledger.mark(old, RevisionLedger.SUPERSEDED, "superseded by revision " + target);
        plan.note("RolloutSuperseded", "rollout to revision " + old + " superseded by revision " + target);
        progress = null;
    }

    private void startRolloutIfNeeded(TemplateIdentity template) {
        if (progress != null) {
            return;
        }
        if (stable == null) {
            start(REASON_INITIAL, null, target, "Direct");
        } else if (!target.equals(stable) && !ledger.blocked(target) && !gated(template)) {
            ledger.mark(target, RevisionLedger.PROGRESSING, null);
            start(REASON_UPDATE, stable, target, spec.strategy.name());
            if (windowOverridden(target) && !dev.glidepath.workflow.DeploymentWindows.open(spec.windows, now)) {
                plan.warn("WindowOverride", "revision " + target + " starts outside the deployment windows (spec.windowOverride"
                        + (spec.windowOverride.reason == null ? "" : ": " + spec.windowOverride.reason) + ")");
            }
        }
    }

    /**
     * Gates before an update starts (never before a rollback or an abort): approval by revision number, then
     * the deployment windows, unless the hotfix override names this revision.
     */
    private boolean gated(TemplateIdentity template) {
        plan.transition(stable, target);
        if (spec.approval != null && Boolean.TRUE.equals(spec.approval.required) && !target.equals(spec.approval.approvedRevision)) {
            gatePhase = "AwaitingApproval";
            gateMessage = "revision " + target + " (" + template.version() + ") awaits approval: kubectl patch release "
                    + in.releaseName() + " --type merge -p '{\"spec\":{\"approval\":{\"approvedRevision\":" + target + "}}}'"
                    + (spec.approval.approvedRevision == null ? "" : " (revision " + spec.approval.approvedRevision
                    + " was approved, not this one)");
            return true;
        }
        if (!windowOverridden(target) && !dev.glidepath.workflow.DeploymentWindows.open(spec.windows, now)) {
            gatePhase = "WaitingForWindow";
            Optional<Instant> next = dev.glidepath.workflow.DeploymentWindows.nextOpening(spec.windows, now);
            next.ifPresent(plan::wakeAt);
            gateMessage = "revision " + target + " (" + template.version() + ") waits for a deployment window"
                    + next.map(t -> "; the next opens at " + t + " (in "
                            + dev.glidepath.workflow.DeploymentWindows.describe(java.time.Duration.between(now, t)) + ")")
                            .orElse("; no window opens in the next two weeks");
            return true;
        }
        return false;
    }

    private boolean windowOverridden(Integer revision) {
        return spec.windowOverride != null && revision != null && revision.equals(spec.windowOverride.revision);
    }

    /** An update running when its window closed holds before its next step (unless onWindowClose: Continue). */
    private void windowClosing(RolloutRun run) {
        if (!REASON_UPDATE.equals(progress.reason) || spec.windows == null || spec.windows.isEmpty()
                || "Continue".equals(spec.onWindowClose) || windowOverridden(progress.toRevision)
                || dev.glidepath.workflow.DeploymentWindows.open(spec.windows, now)) {
            return;
        }
        run.windowClosed = true;
        Optional<Instant> next = dev.glidepath.workflow.DeploymentWindows.nextOpening(spec.windows, now);
        next.ifPresent(plan::wakeAt);
        run.windowMessage = "the deployment window closed; holding before the next step"
                + next.map(t -> " until the next opens at " + t).orElse("");
    }

    private void start(String reason, Integer from, int to, String strategy) {
        // Adopt a Rollout created for this very transition by a reconcile whose status write was lost.
        Optional<ObservedState.ObservedRollout> orphan = unfinishedRollout(to);
        int sequence = orphan.map(ObservedState.ObservedRollout::sequence).orElseGet(() -> 1 + Math.max(
                status.rolloutCount == null ? 0 : status.rolloutCount,
                observed.rollouts().values().stream().mapToInt(ObservedState.ObservedRollout::sequence).max().orElse(0)));
        status.rolloutCount = sequence;
        plan.transition(from, to);
        progress = new RolloutProgress();
        progress.name = in.releaseName() + "-" + sequence;
        progress.reason = reason;
        progress.fromRevision = from;
        progress.toRevision = to;
        progress.strategy = strategy;
        progress.startedAt = now.toString();
        progress.stepIndex = 0;
        progress.stepStartedAt = now.toString();
        progress.waitingSince = now.toString();
        record = orphan.filter(o -> o.status() != null && o.status().phase != null)
                .map(o -> COPIER.convertValue(o.status(), RolloutStatus.class)).orElseGet(() -> {
            RolloutStatus s = new RolloutStatus();
            s.phase = "Progressing";
            s.startedAt = now.toString();
            s.currentStep = 0;
            return s;
        });
        RolloutSpec rs = new RolloutSpec();
        rs.release = in.releaseName();
        rs.fromRevision = from;
        rs.toRevision = to;
        rs.reason = reason;
        rs.version = ledger.find(to).map(r -> r.version).orElse(null);
        rs.strategy = REASON_UPDATE.equals(reason) ? spec.strategy : null;
        plan.writeRollout(progress.name, rs, record);
        plan.note("RolloutStarted", switch (reason) {
            case REASON_INITIAL -> "deploying revision " + to + " (" + rs.version + ")";
            case REASON_ROLLBACK -> "rolling back from revision " + from + " to revision " + to + " (" + rs.version + ")";
            default -> "rolling out revision " + to + " (" + rs.version + ") from revision " + from + " with " + strategy;
        });
    }

    /** A Rollout to {@code to} that has not ended and that the status does not know of (its write was lost). */
    private Optional<ObservedState.ObservedRollout> unfinishedRollout(int to) {
        return observed.rollouts().values().stream()
                .filter(r -> r.toRevision() != null && r.toRevision() == to && r.unfinished())
                .filter(r -> status.rolloutCount == null || r.sequence() > status.rolloutCount)
                .findFirst();
    }

    private RolloutStatus observedRecord(RolloutProgress p) {
        return Optional.ofNullable(observed.rollouts().get(p.name))
                .map(o -> o.status() == null ? null : COPIER.convertValue(o.status(), RolloutStatus.class))
                .orElseGet(() -> {
                    RolloutStatus s = new RolloutStatus();
                    s.phase = "Progressing";
                    s.startedAt = p.startedAt;
                    return s;
                });
    }

    private void endRollout(String phase, String message) {
        // What follows an ending (the revision left behind retired, the stable one resized) is decided on a
        // fresh look right away, not whenever some other event comes.
        plan.wakeAt(now);
        record.phase = phase;
        record.message = message;
        record.finishedAt = now.toString();
        record.currentStep = progress.stepIndex;
        for (var s : record.steps) {
            if (s.finishedAt == null) {
                s.finishedAt = now.toString();
                s.outcome = phase;
            }
        }
        plan.writeRollout(progress.name, null, record);
    }

    private void succeed(RolloutRun run) {
        record.weight = 100;
        endRollout("Succeeded", run.message);
        Integer previous = progress.fromRevision;
        stable = progress.toRevision;
        if (previous != null && !previous.equals(stable)) {
            String o = ledger.outcome(previous);
            if (!ledger.blocked(previous)) {
                ledger.mark(previous, RevisionLedger.REPLACED, "replaced by revision " + stable);
            } else if (o == null) {
                ledger.mark(previous, RevisionLedger.REPLACED, null);
            }
        }
        if (!REASON_ROLLBACK.equals(progress.reason) || stable.equals(target)) {
            ledger.mark(stable, RevisionLedger.STABLE, null);
        } else {
            ledger.mark(stable, RevisionLedger.STABLE, "rolled back to");
        }
        plan.note(REASON_ROLLBACK.equals(progress.reason) ? "RolledBack" : "RolloutSucceeded",
                progress.name + ": " + run.message);
        if (REASON_UPDATE.equals(progress.reason) && spec.migration != null && spec.migration.post != null) {
            String name = dev.glidepath.workflow.MigrationJobs.name(in.releaseName(), stable, dev.glidepath.workflow.MigrationJobs.POST);
            plan.jobs.add(new Decision.JobRequest(name, dev.glidepath.workflow.MigrationJobs.POST, stable, previous, stable,
                    versionOf(stable), progress.name));
            plan.note("MigrationPostStarted", "post-migration job " + name + " started for revision " + stable);
        }
        progress = null;
    }

    private void fail(RolloutRun run) {
        // The progression's split no longer applies: the stable revision takes everything back.
        plan.replicas.clear();
        plan.stableRoute = null;
        plan.previewRoute = null;
        String reason = run.failureReason == null ? "RolloutFailed" : run.failureReason;
        endRollout("AnalysisFailed".equals(reason) ? "RolledBack" : "Aborted", reason + ": " + run.failureMessage);
        if (REASON_UPDATE.equals(progress.reason)) {
            downMigrate(progress.toRevision, progress.name);
        }
        if (REASON_ROLLBACK.equals(progress.reason)) {
            plan.warn(reason, "rollback to revision " + progress.toRevision + " failed: " + run.failureMessage
                    + "; traffic stays on revision " + stable);
            ledger.mark(progress.toRevision, RevisionLedger.FAILED, reason);
            if (target.equals(stable)) {
                // The rollback did not happen: the revision still serving is not "rolled back".
                ledger.mark(target, RevisionLedger.STABLE, null);
            }
            // Kept as CommandRejected until the next command is accepted, so the failure does not read as Healthy only.
            commandRejection = "spec.rollback: rollback to revision " + progress.toRevision + " failed (" + reason + ": "
                    + run.failureMessage + "); traffic stays on revision " + stable;
        } else {
            ledger.mark(progress.toRevision, RevisionLedger.FAILED, reason + ": " + run.failureMessage);
            if (REASON_INITIAL.equals(progress.reason)) {
                stable = progress.toRevision;
            }
            plan.warn(reason, "rollout to revision " + progress.toRevision + ("AnalysisFailed".equals(reason) ? " reverted: "
                    : " aborted: ") + run.failureMessage
                    + (stable != null && !stable.equals(progress.toRevision) ? "; traffic back on revision " + stable : ""));
        }
        endedReason = reason;
        progress = null;
    }

    private Progression progressionFor(RolloutProgress p) {
        boolean blueGreen = spec.strategy.blueGreen != null;
        if (REASON_UPDATE.equals(p.reason)) {
            return blueGreen ? new BlueGreenProgression() : new CanaryProgression();
        }
        return new DirectProgression(blueGreen);
    }

    // ---- desired state without a rollout --------------------------------------------------------

    /** No rollout in flight: the stable revision serves everything. */
    private void converge() {
        if (stable == null) {
            return;
        }
        plan.scale(stable, replicas);
        plan.stableRoute = spec.strategy.blueGreen != null || canaryStaysPinned() ? ServiceRoute.pinned(stable, stable)
                : ServiceRoute.allRevisions(stable);
    }

    /**
     * Behind a canary Service the stable revision is pinned (the selector names its revision) while a revision
     * judged bad still has pods, so a revert takes it out of traffic in one update instead of waiting for its
     * pods to stop; and, once pinned, until every other revision is gone, so retired pods never take
     * traffic again. Never pinned to a revision without available pods.
     */
    private boolean canaryStaysPinned() {
        if (observed.available(stable) == 0) {
            return false;
        }
        boolean pinnedNow = observed.stableService().flatMap(ObservedState.ObservedService::selectedRevision).isPresent();
        for (ObservedState.ObservedRevision rev : observed.revisions().values()) {
            boolean hasPods = rev.specReplicas() > 0 || rev.availableReplicas() > 0;
            if (rev.number() != stable && hasPods && (pinnedNow || ledger.blocked(rev.number()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every revision the decision has not sized is retired. Behind a pinned (blue-green) Service, or when it
     * was judged bad (failed, aborted, rolled back), it goes to zero as soon as the serving revision has an
     * available pod. Behind a canary Service it still serves traffic, so it gives up pods only as the
     * serving revisions have them available: the total never drops below the Release's replicas.
     */
    private void convergeOthers() {
        boolean pinned = spec.strategy.blueGreen != null;
        if (pinned && spec.strategy.blueGreen.previewService != null && plan.previewRoute == null && stable != null) {
            plan.previewRoute = ServiceRoute.pinned(stable, stable);
        }
        boolean servingHasPods = stable != null && (observed.available(stable) > 0 || replicas == 0);
        int serving = stable == null ? 0 : observed.available(stable);
        if (progress != null && !progress.toRevision.equals(stable)) {
            serving += observed.available(progress.toRevision);
        }
        int shortfall = Math.max(0, replicas - serving);
        List<ObservedState.ObservedRevision> others = observed.revisions().values().stream()
                .filter(r -> !plan.replicas.containsKey(r.number()))
                .sorted((a, b) -> Integer.compare(b.number(), a.number()))
                .toList();
        for (ObservedState.ObservedRevision rev : others) {
            int keep;
            if (pinned || ledger.blocked(rev.number())) {
                keep = servingHasPods ? 0 : rev.specReplicas();
            } else {
                keep = Math.min(rev.specReplicas(), shortfall);
                shortfall -= Math.min(keep, rev.availableReplicas());
            }
            plan.scale(rev.number(), keep);
        }
    }

    private void prune() {
        int limit = spec.revisionHistoryLimit == null ? DEFAULT_HISTORY_LIMIT : spec.revisionHistoryLimit;
        Set<Integer> inUse = new HashSet<>();
        inUse.add(target);
        if (stable != null) {
            inUse.add(stable);
        }
        if (progress != null) {
            inUse.add(progress.toRevision);
            if (progress.fromRevision != null) {
                inUse.add(progress.fromRevision);
            }
        }
        List<ObservedState.ObservedRevision> old = observed.revisions().values().stream()
                .filter(r -> !inUse.contains(r.number()))
                .sorted((a, b) -> Integer.compare(b.number(), a.number()))
                .toList();
        for (int i = limit; i < old.size(); i++) {
            ObservedState.ObservedRevision r = old.get(i);
            if (r.specReplicas() == 0 && r.availableReplicas() == 0) {
                plan.pruneRevisions.add(r.number());
                plan.replicas.remove(r.number());
            }
        }
        String active = progress == null ? null : progress.name;
        for (ObservedState.ObservedRollout r : observed.rollouts().values()) {
            boolean revisionGone = r.toRevision() == null || plan.pruneRevisions.contains(r.toRevision())
                    || (observed.revision(r.toRevision()).isEmpty() && !inUse.contains(r.toRevision()));
            if (revisionGone && !r.name().equals(active) && !plan.rolloutWrites.containsKey(r.name())) {
                plan.pruneRollouts.add(r.name());
            }
        }
    }

    // ---- report ---------------------------------------------------------------------------------

    private void report(TemplateIdentity template, RolloutRun run) {
        status.observedGeneration = in.generation();
        status.strategy = spec.strategy.name();
        status.version = template.version();
        status.stableRevision = progress != null && progress.switchedAt != null ? progress.toRevision : stable;
        status.currentRevision = progress != null ? progress.toRevision : target;
        status.rollout = progress;
        status.handledCommands = handled;
        boolean canary = spec.strategy.canary != null;
        status.canaryWeight = progress != null && run != null && run.weight != null
                && REASON_UPDATE.equals(progress.reason) ? run.weight : 0;
        status.currentStep = progress != null && canary && REASON_UPDATE.equals(progress.reason) ? progress.stepIndex : null;
        Set<Integer> existing = new HashSet<>(observed.revisions().keySet());
        existing.removeAll(plan.pruneRevisions);
        Set<Integer> inUse = new HashSet<>(Set.of(target));
        if (stable != null) {
            inUse.add(stable);
        }
        status.revisions = ledger.retained(existing, inUse);

        int stableAvailable = stable == null ? 0 : observed.available(stable);
        // Behind a canary Service the new revision's pods serve too while it rolls out.
        int serving = stableAvailable + (progress != null && canary && REASON_UPDATE.equals(progress.reason)
                && !progress.toRevision.equals(stable) ? observed.available(progress.toRevision) : 0);
        boolean available = stable != null && serving >= replicas;
        Conditions c = new Conditions(status.conditions, now, in.generation());
        if (c.find(Conditions.INVALID_SPEC).isPresent()) {
            c.set(Conditions.INVALID_SPEC, false, "SpecValid", "the spec is valid");
        }
        c.set(Conditions.AVAILABLE, available, available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                stable == null ? "no revision serves traffic yet"
                        : serving + "/" + replicas + " pods available to serve (stable revision " + stable + ": " + stableAvailable + ")");
        observeDownMigrations(c);
        if (commandRejection != null) {
            c.set(Conditions.COMMAND_REJECTED, true, "CommandRejected", commandRejection);
        } else if (commandAccepted && c.find(Conditions.COMMAND_REJECTED).isPresent()) {
            c.set(Conditions.COMMAND_REJECTED, false, "CommandAccepted", "the last command was accepted");
        }

        String phase;
        String message;
        if (progress != null) {
            phase = run != null && run.holding ? "Paused" : "Progressing";
            message = progress.name + ": " + (run == null ? "" : run.message);
            c.set(Conditions.PROGRESSING, true, run != null && run.holding ? "RolloutPaused" : "RolloutInProgress", message);
            c.set(Conditions.DEGRADED, false, "RolloutInProgress", message);
        } else if (gatePhase != null) {
            phase = gatePhase;
            message = gateMessage;
            c.set(Conditions.PROGRESSING, false, gatePhase, message);
            c.set(Conditions.DEGRADED, false, gatePhase, message);
        } else if (!target.equals(stable) && ledger.blocked(target)) {
            String outcome = ledger.outcome(target);
            String why = ledger.find(target).map(r -> r.reason).orElse(outcome);
            phase = RevisionLedger.ROLLED_BACK.equals(outcome) ? "RolledBack" : "Degraded";
            String reason = RevisionLedger.ROLLED_BACK.equals(outcome) ? "RolledBack"
                    : endedReason != null ? endedReason
                    : reasonOf(why, RevisionLedger.ABORTED.equals(outcome) ? "RolloutAborted" : outcome);
            message = "revision " + target + " " + switch (outcome) {
                case RevisionLedger.ROLLED_BACK -> "was rolled back";
                case RevisionLedger.ABORTED -> "was aborted";
                default -> "failed";
            } + " (" + why + "); traffic on revision " + stable
                    + "; change the template or set spec.retry to try again";
            c.set(Conditions.PROGRESSING, false, reason, message);
            c.set(Conditions.DEGRADED, !RevisionLedger.ROLLED_BACK.equals(outcome), reason, message);
        } else if (target.equals(stable) && RevisionLedger.FAILED.equals(ledger.outcome(target)) && !available) {
            String why = ledger.find(target).map(r -> r.reason).orElse("failed");
            phase = "Degraded";
            message = "revision " + target + " failed: " + why;
            c.set(Conditions.PROGRESSING, false, reasonOf(why, "RolloutFailed"), message);
            c.set(Conditions.DEGRADED, true, reasonOf(why, "RolloutFailed"), message);
        } else if (available) {
            phase = "Healthy";
            message = "revision " + stable + " (" + ledger.find(stable).map(r -> r.version).orElse("?")
                    + ") serves all traffic";
            c.set(Conditions.PROGRESSING, false, "RolloutCompleted", message);
            c.set(Conditions.DEGRADED, false, "Healthy", message);
        } else {
            phase = "Progressing";
            message = "revision " + stable + ": " + stableAvailable + "/" + replicas + " available";
            plan.wakeWithin(IN_FLIGHT_RESYNC);
            c.set(Conditions.PROGRESSING, true, "ScalingStable", message);
            c.set(Conditions.DEGRADED, false, "ScalingStable", message);
        }
        if (status.phase != null && !phase.equals(status.phase)) {
            boolean bad = phase.equals("Degraded") || phase.equals("RolledBack");
            if (bad) {
                plan.warn("Phase" + phase, message);
            } else {
                plan.note("Phase" + phase, message);
            }
        }
        status.phase = phase;
        status.message = message;
        // kstatus conventions (Flux, kubectl wait --for=condition=Ready): ready when healthy, reconciling while a
        // rollout is in flight, stalled when it cannot get where the spec asks without a person.
        c.set(Conditions.READY, "Healthy".equals(phase), phase, message);
        c.set(Conditions.RECONCILING, List.of("Progressing", "Paused", "AwaitingApproval", "WaitingForWindow").contains(phase),
                phase, message);
        c.set(Conditions.STALLED, "Degraded".equals(phase) || "RolledBack".equals(phase), phase, message);
        status.conditions = c.toList();
    }

    private static String reasonOf(String why, String fallback) {
        if (why != null) {
            int colon = why.indexOf(':');
            String head = colon > 0 ? why.substring(0, colon) : why;
            if (head.matches("[A-Z][A-Za-z]+")) {
                return head;
            }
        }
        return fallback;
    }

    private Decision invalid(List<String> problems) {
        String message = String.join("; ", problems);
        Conditions c = new Conditions(status.conditions, now, in.generation());
        boolean wasInvalid = c.isTrue(Conditions.INVALID_SPEC)
                && message.equals(c.find(Conditions.INVALID_SPEC).map(x -> x.getMessage()).orElse(null));
        c.set(Conditions.INVALID_SPEC, true, "InvalidSpec", message);
        c.set(Conditions.DEGRADED, true, "InvalidSpec", message);
        c.set(Conditions.READY, false, "InvalidSpec", message);
        c.set(Conditions.RECONCILING, false, "InvalidSpec", message);
        c.set(Conditions.STALLED, true, "InvalidSpec", message);
        if (!wasInvalid) {
            plan.warn("InvalidSpec", message);
        }
        status.observedGeneration = in.generation();
        status.conditions = c.toList();
        status.phase = "Degraded";
        status.message = "invalid spec, nothing was changed: " + message;
        return plan.build(false, status);
    }

    private Duration progressDeadline() {
        return spec.progressDeadline == null ? DEFAULT_PROGRESS_DEADLINE : Durations.parse(spec.progressDeadline);
    }
}
