package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionOutcome;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.api.v1alpha1.RolloutReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pure decision core: from the Release's spec and status, what exists in the cluster and the time,
 * decides the desired state of every owned object and the next status. No client, no clock, no I/O.
 *
 * <p>One decision runs the units in order: commands, the rollout's lifecycle (supersede, start behind the
 * start gates), the rollout's gates (analysis, migration) and its progression, the steady state around it,
 * and the report.
 */
public final class ReleasePlanner {
    public static final String REASON_UPDATE = RolloutReason.UPDATE.wire();
    public static final String REASON_ROLLBACK = RolloutReason.ROLLBACK.wire();
    public static final String REASON_INITIAL = RolloutReason.INITIAL.wire();

    /** While a rollout is in flight, look again at least this often even if no event arrives. */
    static final Duration IN_FLIGHT_RESYNC = Duration.ofSeconds(60);
    /** Secrets and routes are not watched: a refused one is looked at again this often (for a fix, or a new URL). */
    static final Duration CLUSTER_RECHECK = Duration.ofSeconds(15);

    private ReleasePlanner() {
    }

    public static Decision decide(DecisionInput in) {
        Plan plan = new Plan(in.now());
        List<String> problems = new ArrayList<>(SpecValidator.validate(in.releaseName(), in.spec()));
        problems.addAll(in.clusterProblems());
        if (!problems.isEmpty()) {
            if (!in.clusterProblems().isEmpty()) {
                plan.wakeWithin(CLUSTER_RECHECK);
            }
            return invalid(in, plan, String.join("; ", problems));
        }
        Situation s = new Situation(in, plan);
        MigrationGate migrations = new MigrationGate(s);
        RolloutLifecycle lifecycle = new RolloutLifecycle(s, migrations);
        StartGates gates = new StartGates(s);
        SteadyState steady = new SteadyState(s);

        s.settleStable(lifecycle.unfinishedRollout(s.target));
        if (s.progress != null) {
            lifecycle.observeRecord();
        }
        Commands.Outcome commands = new Commands(s, lifecycle, migrations).handle();
        Optional<String> rejection = commands.rejection();
        lifecycle.supersedeIfTemplateChanged();
        Optional<StartGates.Gate> gate = startIfNeeded(s, lifecycle, gates);

        RolloutRun.Result inFlight = null;
        RolloutRun run = null;
        if (s.progress != null) {
            run = new RolloutRun(s.spec, s.progress, s.record, s.observed, plan, s.now, s.replicas, s.timings, s.releaseName(),
                    s.spec.analysis != null && s.inFlight(RolloutReason.UPDATE) ? s.spec.analysis : null);
            gates.windowClosing(run);
            RolloutRun current = run;
            RolloutRun.Result result = new AnalysisGate(s).judge(run).or(() -> migrations.check(current))
                    .orElseGet(() -> progressionFor(s).advance(current));
            plan.wakeWithin(IN_FLIGHT_RESYNC);
            switch (result.kind()) {
                case SUCCEEDED -> lifecycle.succeed(result);
                case FAILED -> rejection = lifecycle.fail(result).or(() -> commands.rejection());
                case IN_FLIGHT, HOLDING -> {
                    s.record.phase = (result.holding() ? RolloutPhase.PAUSED : RolloutPhase.PROGRESSING).wire();
                    s.record.message = result.message();
                    s.record.currentStep = s.progress.stepIndex;
                    s.record.weight = run.weight;
                    plan.writeRollout(s.progress.name, null, s.record);
                    inFlight = result;
                }
            }
        }
        if (s.progress == null) {
            steady.converge();
        }
        if (s.progress == null && s.target.equals(s.stable) && s.observed.available(s.stable) >= s.replicas && s.replicas > 0) {
            s.ledger.mark(s.stable, RevisionOutcome.STABLE, null);
            if (s.status.stableSince == null) {
                // Recorded since this field exists: from now on, a downstream soak counts from here.
                s.status.stableSince = Timestamps.format(s.now);
            }
        }
        steady.retireOthers();
        steady.prune();
        Adoption.settle(s);
        RoutedSplit.settle(s);
        if (plan.createRevision == null && s.observed.revision(s.target).isEmpty() && plan.replicas.containsKey(s.target)) {
            plan.createRevision = s.target;
        }
        DeploymentRecord.noteMoments(s.record, plan.events, s.now);
        report(s, migrations, inFlight, run, gate, rejection, commands.accepted());
        return plan.build(true, s.status);
    }

    /** No rollout in flight: one starts when the spec's revision is not the stable one, unless a gate holds it. */
    private static Optional<StartGates.Gate> startIfNeeded(Situation s, RolloutLifecycle lifecycle, StartGates gates) {
        if (s.progress != null) {
            return Optional.empty();
        }
        if (s.stable == null) {
            // Nothing to roll out from (the first deployment, or the stable revision's Deployment is gone): the target is
            // deployed directly, but a revision other than the one that was stable still needs its approval.
            Integer wasStable = s.in.status() == null ? null : s.in.status().stableRevision;
            if (wasStable != null && !wasStable.equals(s.target)) {
                s.plan.transition(null, s.target);
                Optional<StartGates.Gate> approval = gates.approval(s.target, s.template.version());
                if (approval.isPresent()) {
                    return approval;
                }
            }
            lifecycle.start(RolloutReason.INITIAL, null, s.target, "Direct");
            return Optional.empty();
        }
        if (s.target.equals(s.stable) || s.ledger.blocked(s.target)) {
            return Optional.empty();
        }
        Optional<StartGates.Gate> gate = gates.gate();
        gate.ifPresent(g -> {
            s.status.waitedFor = DeploymentRecord.waiting(s.status.waitedFor, s.target, g.phase(), s.now);
            s.status.deploymentType = DeploymentRecord.typeOf(s.spec, RolloutReason.UPDATE, s.target).wire();
        });
        if (gate.isEmpty()) {
            s.ledger.mark(s.target, RevisionOutcome.PROGRESSING, null);
            lifecycle.start(RolloutReason.UPDATE, s.stable, s.target, s.spec.strategy.name());
            gates.announceOverride(s.target);
        }
        return gate;
    }

    private static Progression progressionFor(Situation s) {
        boolean blueGreen = s.spec.strategy.blueGreen != null;
        if (s.inFlight(RolloutReason.UPDATE)) {
            return blueGreen ? new BlueGreenProgression() : new CanaryProgression();
        }
        return new DirectProgression(blueGreen || s.spec.trafficRouting != null);
    }

    private static void report(Situation s, MigrationGate migrations, RolloutRun.Result inFlight, RolloutRun run,
            Optional<StartGates.Gate> gate, Optional<String> rejection, boolean commandAccepted) {
        ReleaseStatus status = s.status;
        var p = s.progress;
        boolean update = s.inFlight(RolloutReason.UPDATE);
        boolean canary = s.spec.strategy.canary != null;
        String previousPhase = status.phase;
        status.observedGeneration = s.in.generation();
        status.strategy = s.spec.strategy.name();
        status.version = s.template.version();
        status.stableRevision = p != null && p.switchedAt != null ? p.toRevision : s.stable;
        status.currentRevision = p != null ? p.toRevision : s.target;
        status.rollout = p;
        status.handledCommands = s.handled;
        status.canaryWeight = update && run != null && run.weight != null ? run.weight : 0;
        status.canaryService = s.spec.trafficRouting == null ? null : s.spec.trafficRouting.canaryServiceName(s.spec.service.name);
        // The scale subresource: what an autoscaler counts and averages over (available pods of every revision).
        // Pods this decision scales away are not counted: they are leaving.
        status.replicas = s.observed.revisions().values().stream().filter(r -> !s.plan.pruneRevisions.contains(r.number()))
                .mapToInt(r -> Math.min(r.availableReplicas(), s.plan.replicas.getOrDefault(r.number(), r.specReplicas()))).sum();
        status.selector = Release.LABEL + "=" + s.releaseName();
        status.currentStep = update && canary ? p.stepIndex : null;
        Set<Integer> existing = new HashSet<>(s.observed.revisions().keySet());
        existing.removeAll(s.plan.pruneRevisions);
        Set<Integer> inUse = new HashSet<>(Set.of(s.target));
        if (s.stable != null) {
            inUse.add(s.stable);
        }
        List<RevisionRecord> retained = s.ledger.retained(existing, inUse);
        status.revisions = retained;
        Optional<String> downMigrationFailure = migrations.observeDownMigrations(retained);

        int stableAvailable = s.stable == null ? 0 : s.observed.available(s.stable);
        // Behind a canary Service the new revision's pods serve too while it rolls out.
        int serving = stableAvailable + (update && canary && !p.toRevision.equals(s.stable) ? s.observed.available(p.toRevision) : 0);
        Optional<RevisionRecord> target = s.ledger.find(s.target);
        StatusReport.Report report = StatusReport.of(new StatusReport.Facts(
                p == null ? null : p.name, p == null ? null : inFlight, gate, s.target, s.stable,
                s.ledger.outcome(s.target), target.map(r -> r.reason).orElse(null), s.endedReason,
                s.ledger.find(s.stable).map(r -> r.version).orElse("?"), serving, stableAvailable, s.replicas,
                downMigrationFailure, rejection, commandAccepted), status.conditions, previousPhase, s.now, s.in.generation());
        report.applyTo(status);
        Adoption.report(s);
        report.notes().forEach(n -> s.plan.add(n));
        if (report.resyncSoon()) {
            s.plan.wakeWithin(IN_FLIGHT_RESYNC);
        }
    }

    private static Decision invalid(DecisionInput in, Plan plan, String problems) {
        ReleaseStatus status = in.status() == null ? new ReleaseStatus() : Situation.copy(in.status());
        StatusReport.Report report = StatusReport.invalid(problems, status.conditions, in.now(), in.generation());
        report.notes().forEach(plan::add);
        status.observedGeneration = in.generation();
        // Nothing is decided on an invalid spec, so nothing is held by a freeze either.
        status.frozenBy = null;
        report.applyTo(status);
        return plan.build(false, status);
    }
}
