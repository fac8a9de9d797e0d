package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Canary without a service mesh: both revisions sit behind the stable Service and the weight is carried
 * by replica counts. At weight w the new revision runs ceil(replicas × w / 100) pods and the stable one the
 * rest. Pods are added on the receiving side first and removed on the giving side only as the added ones
 * become available, so the total of available pods never drops below the Release's replicas.
 */
final class CanaryProgression implements Progression {

    /** Enough to walk through every step once in a single reconcile when nothing has to be waited for. */
    private static final int MAX_STEPS_PER_RECONCILE = 64;

    @Override
    public RolloutRun.Result advance(RolloutRun run) {
        List<CanaryStep> steps = run.spec.strategy.canary.steps;
        int n = steps.size();
        var p = run.progress;
        if (Boolean.TRUE.equals(p.promotedFull) && p.stepIndex < n) {
            run.finishOpenSteps("Promoted");
            p.stepIndex = n;
            p.stepStartedAt = run.now.toString();
            p.promotedFull = null;
            p.promoted = null;
        }
        for (int guard = 0; guard < MAX_STEPS_PER_RECONCILE; guard++) {
            int i = p.stepIndex;
            if (i >= n) {
                return finalShift(run, n);
            }
            CanaryStep step = steps.get(i);
            if (run.windowClosed && !run.begun(i)) {
                run.weight = weightInEffect(steps, Math.max(0, i - 1));
                hold(run);
                run.holding = true;
                run.message = run.windowMessage;
                return RolloutRun.Result.IN_FLIGHT;
            }
            if (step.setWeight != null && Boolean.TRUE.equals(p.promoted)) {
                // A promote releases the pause in progress; one sent while traffic is still shifting is spent here,
                // not saved up to skip a later pause nobody has seen yet.
                p.promoted = null;
                run.plan.note("PromoteIgnored", "step " + i + " (" + step.describe() + ") is not a pause; use promote with full=true to skip every remaining step");
            }
            run.beginStep(i, step.describe());
            run.weight = weightInEffect(steps, i);
            if (run.weight > 0 || (step.setWeight != null && step.setWeight > 0)) {
                run.activateAnalysis();
            }
            if (run.paused) {
                hold(run);
                run.holding = true;
                run.message = run.pauseReason + " at step " + i + " (" + step.describe() + ")";
                return RolloutRun.Result.IN_FLIGHT;
            }
            boolean done;
            if (step.setWeight != null) {
                Boolean ready = shift(run, canaryPods(run.replicas, step.setWeight));
                if (ready == null) {
                    run.finishStep(i, "Failed");
                    return RolloutRun.Result.FAILED;
                }
                done = ready;
                if (!done) {
                    run.message = "step " + i + ": shifting to weight " + step.setWeight + " ("
                            + run.available(p.toRevision) + "/" + canaryPods(run.replicas, step.setWeight)
                            + " new pods available)";
                }
            } else if (step.verify != null) {
                shiftWithoutDeadline(run, canaryPods(run.replicas, run.weight));
                String name = dev.glidepath.workflow.MigrationJobs.name(run.releaseName, p.toRevision,
                        dev.glidepath.workflow.MigrationJobs.VERIFY + "-s" + i);
                var verdict = run.verification(name, step.verify, run.stepStartedAt(), run.spec.service.name);
                if (verdict.isPresent() && !verdict.get()) {
                    run.finishStep(i, "Failed");
                    return RolloutRun.Result.FAILED;
                }
                done = verdict.isPresent();
            } else {
                shiftWithoutDeadline(run, canaryPods(run.replicas, run.weight));
                done = pauseOver(run, step, i);
            }
            // A step with traffic on the new revision advances only on passing measurements taken during it.
            if (done && run.weight > 0) {
                done = run.analysisAllows(run.stepStartedAt());
            }
            if (!done) {
                return RolloutRun.Result.IN_FLIGHT;
            }
            if (step.pause != null) {
                // The promote is spent only when the pause it released is actually over.
                p.promoted = null;
            }
            run.finishStep(i, "Succeeded");
            p.stepIndex = i + 1;
            p.stepStartedAt = run.now.toString();
            p.waitingSince = null;
        }
        return RolloutRun.Result.IN_FLIGHT;
    }

    private RolloutRun.Result finalShift(RolloutRun run, int n) {
        if (run.progress.promotedAt != null) {
            // Traffic is already pinned to the new revision: a pause or a hold keeps it there.
            return promoteAndWatch(run, n);
        }
        if (run.windowClosed && !run.begun(n)) {
            hold(run);
            run.holding = true;
            run.weight = weightInEffect(run.spec.strategy.canary.steps, n - 1);
            run.message = run.windowMessage;
            return RolloutRun.Result.IN_FLIGHT;
        }
        run.beginStep(n, "setWeight 100 (promote)");
        run.weight = 100;
        run.activateAnalysis();
        if (run.paused) {
            hold(run);
            run.holding = true;
            run.message = run.pauseReason + " before the final shift";
            return RolloutRun.Result.IN_FLIGHT;
        }
        if (run.analysis != null && run.analysis.postPromotion != null) {
            return promoteAndWatch(run, n);
        }
        Boolean ready = shift(run, run.replicas);
        if (ready == null) {
            run.finishStep(n, "Failed");
            return RolloutRun.Result.FAILED;
        }
        if (!ready) {
            run.message = "final shift: " + run.available(run.progress.toRevision) + "/" + run.replicas
                    + " new pods available";
            return RolloutRun.Result.IN_FLIGHT;
        }
        run.finishStep(n, "Succeeded");
        run.message = "revision " + run.progress.toRevision + " takes 100% of traffic";
        return RolloutRun.Result.SUCCEEDED;
    }

    /**
     * With a post-promotion window: the new revision comes up in full while the previous one is kept at
     * full size, then the stable Service is pinned to the new revision (100% of traffic). The previous
     * revision keeps running through the window, so a revert is one selector switch.
     */
    private RolloutRun.Result promoteAndWatch(RolloutRun run, int n) {
        var p = run.progress;
        Integer from = p.fromRevision;
        Integer to = p.toRevision;
        run.plan.scale(to, run.replicas);
        run.plan.scale(from, run.replicas);
        if (p.promotedAt == null) {
            run.plan.stableRoute = ServiceRoute.allRevisions(from);
            if (run.available(to) < run.replicas || run.available(from) < run.replicas) {
                run.message = "final shift: " + run.available(to) + "/" + run.replicas + " new pods available, previous revision kept at "
                        + run.available(from) + "/" + run.replicas;
                if (run.available(to) < run.replicas && run.waitingTooLong("revision " + to)) {
                    run.finishStep(n, "Failed");
                    return RolloutRun.Result.FAILED;
                }
                return RolloutRun.Result.IN_FLIGHT;
            }
            run.doneWaiting();
            run.finishStep(n, "Succeeded");
            p.promotedAt = run.now.toString();
            run.plan.note("TrafficSwitched", "stable Service pinned to revision " + to + " (100%); revision " + from
                    + " kept running for the post-promotion window");
        }
        run.plan.stableRoute = ServiceRoute.pinned(to, from);
        if (run.analysis == null || run.analysis.postPromotion == null) {
            // The window was removed from the spec while it ran: it is over.
            run.finishOpenSteps("Succeeded");
            run.plan.scale(from, 0);
            run.message = "revision " + to + " takes 100% of traffic";
            return RolloutRun.Result.SUCCEEDED;
        }
        if (run.paused) {
            run.holding = true;
            run.message = run.pauseReason + "; revision " + to + " keeps 100% of traffic, revision " + from + " stays ready";
            return RolloutRun.Result.IN_FLIGHT;
        }
        Duration window = Durations.parse(run.analysis.postPromotion.duration);
        Instant end = Instant.parse(p.promotedAt).plus(window);
        run.beginStep(n + 1, "post-promotion analysis for " + run.analysis.postPromotion.duration);
        if (run.now.isBefore(end)) {
            run.plan.wakeAt(end);
            run.message = "revision " + to + " takes 100%; watching until " + end + ", revision " + from + " ready for a revert";
            return RolloutRun.Result.IN_FLIGHT;
        }
        run.message = "post-promotion window passed";
        if (!run.analysisAllows(Instant.parse(p.promotedAt))) {
            return RolloutRun.Result.IN_FLIGHT;
        }
        run.finishStep(n + 1, "Succeeded");
        run.plan.scale(from, 0);
        run.message = "revision " + to + " takes 100% of traffic; the post-promotion window passed cleanly";
        return RolloutRun.Result.SUCCEEDED;
    }

    private boolean pauseOver(RolloutRun run, CanaryStep step, int i) {
        var p = run.progress;
        if (step.pause.duration == null) {
            if (Boolean.TRUE.equals(p.promoted)) {
                return true;
            }
            run.holding = true;
            run.message = "step " + i + ": paused at weight " + run.weight + " until promoted";
            return false;
        }
        Instant end = run.stepStartedAt().plus(Durations.parse(step.pause.duration));
        if (Boolean.TRUE.equals(p.promoted)) {
            return true;
        }
        if (run.now.isBefore(end)) {
            run.plan.wakeAt(end);
            run.message = "step " + i + ": paused at weight " + run.weight + " until " + end;
            return false;
        }
        return true;
    }

    /**
     * Moves towards {@code canaryTarget} new pods and the rest stable. Returns true when the split is in
     * place, false while it is still moving, and null when the progress deadline passed.
     */
    private Boolean shift(RolloutRun run, int canaryTarget) {
        boolean ready = shiftWithoutDeadline(run, canaryTarget);
        if (ready) {
            run.doneWaiting();
            return true;
        }
        return run.waitingTooLong("revision " + run.progress.toRevision) ? null : false;
    }

    private boolean shiftWithoutDeadline(RolloutRun run, int canaryTarget) {
        Integer from = run.progress.fromRevision;
        Integer to = run.progress.toRevision;
        int r = run.replicas;
        int stableTarget = r - canaryTarget;
        // Never take pods away from one side before the other side has them available.
        int newPods = Math.max(canaryTarget, Math.min(run.specReplicas(to), r - run.available(from)));
        int oldPods = Math.max(stableTarget, Math.min(run.specReplicas(from), r - run.available(to)));
        run.plan.scale(to, newPods);
        run.plan.scale(from, oldPods);
        run.plan.stableRoute = ServiceRoute.allRevisions(from);
        return run.available(to) >= canaryTarget && newPods == canaryTarget && oldPods == stableTarget;
    }

    private void hold(RolloutRun run) {
        var p = run.progress;
        run.plan.scale(p.toRevision, run.specReplicas(p.toRevision));
        run.plan.scale(p.fromRevision, run.specReplicas(p.fromRevision));
        run.plan.stableRoute = ServiceRoute.allRevisions(p.fromRevision);
        p.waitingSince = null;
    }

    static int canaryPods(int replicas, int weight) {
        return (int) Math.ceil(replicas * weight / 100.0);
    }

    /** The weight of the latest setWeight step at or before index i; 0 before the first. */
    static int weightInEffect(List<CanaryStep> steps, int i) {
        for (int k = Math.min(i, steps.size() - 1); k >= 0; k--) {
            if (steps.get(k).setWeight != null) {
                return steps.get(k).setWeight;
            }
        }
        return 0;
    }
}
