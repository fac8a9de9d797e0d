package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.migration.MigrationJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Canary. Without a traffic router both revisions sit behind the stable Service and the weight is carried
 * by replica counts: at weight w the new revision runs ceil(replicas × w / 100) pods and the stable one the
 * rest. Pods are added on the receiving side first and removed on the giving side only as the added ones
 * become available, so the total of available pods never drops below the Release's replicas. With a router
 * the route carries the exact weight (see {@link RoutedSplit}).
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
            p.stepStartedAt = Timestamps.format(run.now);
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
                return hold(run, run.windowMessage, i);
            }
            if (step.setWeight != null && Boolean.TRUE.equals(p.promoted)) {
                // A promote releases the pause in progress; one sent while traffic is still shifting is spent here,
                // not saved up to skip a later pause nobody has seen yet.
                p.promoted = null;
                run.plan.note(EventReason.PROMOTE_IGNORED, "step " + i + " (" + step.describe()
                        + ") is not a pause; use promote with full=true to skip every remaining step");
            }
            run.beginStep(i, step.describe());
            run.weight = weightInEffect(steps, i);
            if (run.weight > 0 || (step.setWeight != null && step.setWeight > 0)
                    || !RoutedSplit.headersInEffect(steps, i).isEmpty()) {
                run.activateAnalysis();
            }
            if (run.paused) {
                return hold(run, run.pauseReason + " at step " + i + " (" + step.describe() + ")", i);
            }
            Optional<RolloutRun.Result> waiting = step(run, step, i);
            if (waiting.isEmpty() && run.weight > 0 && !run.stepAllows(run.stepStartedAt())) {
                // A step with traffic on the new revision advances only on passing measurements taken during it (or,
                // advancing unless failed, while no metric failed or holds).
                waiting = Optional.of(run.inFlight(""));
            }
            if (waiting.isPresent()) {
                if (waiting.get().kind() == RolloutRun.Kind.FAILED) {
                    run.finishStep(i, RolloutPhase.FAILED);
                }
                return waiting.get();
            }
            if (step.pause != null) {
                // The promote is spent only when the pause it released is actually over.
                p.promoted = null;
            }
            run.finishStep(i, RolloutPhase.SUCCEEDED);
            p.stepIndex = i + 1;
            p.stepStartedAt = Timestamps.format(run.now);
            p.waitingSince = null;
        }
        return run.inFlight("");
    }

    /** Runs step {@code i}: empty when it is done, else why it is not (in flight, holding or failed). */
    private Optional<RolloutRun.Result> step(RolloutRun run, CanaryStep step, int i) {
        var p = run.progress;
        List<CanaryStep> steps = run.spec.strategy.canary.steps;
        if (step.setWeight != null || step.setHeaderRoute != null) {
            int target = run.routed ? RoutedSplit.canaryPods(run.replicas, run.weight, !RoutedSplit.headersInEffect(steps, i).isEmpty())
                    : canaryPods(run, step.setWeight);
            Optional<RolloutRun.Result> shifting = run.routed ? settled(run, RoutedSplit.shiftToStep(run, i)) : shift(run, target);
            String what = step.setWeight != null ? "shifting to weight " + step.setWeight : "routing " + step.describe();
            return shifting.map(r -> r.kind() == RolloutRun.Kind.FAILED ? r : run.inFlight("step " + i + ": " + what
                    + " (" + run.available(p.toRevision) + "/" + target + " new pods available)"));
        }
        if (run.routed) {
            RoutedSplit.shiftToStep(run, i);
        } else {
            shiftWithoutDeadline(run, canaryPods(run, run.weight));
        }
        if (step.verify != null) {
            String name = MigrationJobs.name(run.releaseName, p.toRevision, MigrationJobs.VERIFY + "-s" + i);
            // Behind a router the stable Service keeps the stable revision: the test goes to the canary Service.
            return run.verification(name, step.verify, run.timings.verifyTimeout(i), run.stepStartedAt(),
                    run.routed ? run.spec.trafficRouting.canaryServiceName(run.spec.service.name) : run.spec.service.name);
        }
        return pauseOver(run, i);
    }

    private RolloutRun.Result finalShift(RolloutRun run, int n) {
        if (run.progress.promotedAt != null) {
            // Traffic is already pinned to the new revision: a pause or a hold keeps it there.
            return promoteAndWatch(run, n);
        }
        if (run.windowClosed && !run.begun(n)) {
            run.weight = weightInEffect(run.spec.strategy.canary.steps, n - 1);
            return hold(run, run.windowMessage, n);
        }
        run.beginStep(n, "setWeight 100 (promote)");
        run.weight = 100;
        run.activateAnalysis();
        if (run.paused) {
            return hold(run, run.pauseReason + " before the final shift", n);
        }
        if (!run.promotionAllows(run.stepStartedAt())) {
            // Steps advanced in their own time; all traffic moves only on enough evidence, at the last step's weight.
            run.weight = weightInEffect(run.spec.strategy.canary.steps, n - 1);
            if (run.routed) {
                RoutedSplit.hold(run, run.weight, RoutedSplit.headersInEffect(run.spec.strategy.canary.steps, n - 1));
            } else {
                shiftWithoutDeadline(run, canaryPods(run, run.weight));
            }
            return run.inFlight("final shift");
        }
        if (run.analysis != null && run.analysis.postPromotion != null) {
            return promoteAndWatch(run, n);
        }
        Optional<RolloutRun.Result> shifting = run.routed ? settled(run, RoutedSplit.fullSize(run, n)) : shift(run, run.replicas);
        if (shifting.isPresent()) {
            if (shifting.get().kind() == RolloutRun.Kind.FAILED) {
                run.finishStep(n, RolloutPhase.FAILED);
                return shifting.get();
            }
            return run.inFlight("final shift: " + run.available(run.progress.toRevision) + "/" + run.replicas
                    + " new pods available");
        }
        run.finishStep(n, RolloutPhase.SUCCEEDED);
        if (run.routed) {
            // After the stable Service switched to the new revision and the routes let go of the canary.
            run.plan.scale(run.progress.fromRevision, 0);
        }
        return run.succeeded("revision " + run.progress.toRevision + " takes 100% of traffic");
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
            if (run.routed) {
                RoutedSplit.fullSize(run, n);
            } else {
                run.plan.stableRoute = ServiceRoute.allRevisions(from);
            }
            if (run.available(to) < run.replicas || run.available(from) < run.replicas) {
                if (run.available(to) < run.replicas) {
                    Optional<RolloutRun.Result> late = run.waitingTooLong("revision " + to);
                    if (late.isPresent()) {
                        run.finishStep(n, RolloutPhase.FAILED);
                        return late.get();
                    }
                }
                return run.inFlight("final shift: " + run.available(to) + "/" + run.replicas
                        + " new pods available, previous revision kept at " + run.available(from) + "/" + run.replicas);
            }
            run.doneWaiting();
            run.finishStep(n, RolloutPhase.SUCCEEDED);
            p.promotedAt = Timestamps.format(run.now);
            run.plan.note(EventReason.TRAFFIC_SWITCHED, (run.routed ? "routes send 100% to the canary Service (revision " + to + ")"
                    : "stable Service pinned to revision " + to + " (100%)") + "; revision " + from
                    + " kept running for the post-promotion window");
        }
        if (run.routed) {
            RoutedSplit.route(run, 100, List.of());
        } else {
            run.plan.stableRoute = ServiceRoute.pinned(to, from);
        }
        if (run.analysis == null || run.analysis.postPromotion == null) {
            // The window was removed from the spec while it ran: it is over.
            run.finishOpenSteps(RolloutPhase.SUCCEEDED.wire());
            run.plan.scale(from, 0);
            return run.succeeded("revision " + to + " takes 100% of traffic");
        }
        if (run.paused) {
            return run.holding(run.pauseReason + "; revision " + to + " keeps 100% of traffic, revision " + from + " stays ready");
        }
        Duration window = run.timings.postPromotion().orElseThrow();
        Instant promotedAt = RolloutRun.at(p.promotedAt);
        Deadline watch = new Deadline(promotedAt, window);
        run.beginStep(n + 1, "post-promotion analysis for " + run.analysis.postPromotion.duration);
        Optional<RolloutRun.Result> watching = run.waitFor(watch, "revision " + to + " takes 100%; watching until "
                + watch.end() + ", revision " + from + " ready for a revert");
        if (watching.isPresent()) {
            return watching.get();
        }
        if (!run.analysisAllows(promotedAt)) {
            return run.inFlight("post-promotion window passed");
        }
        run.finishStep(n + 1, RolloutPhase.SUCCEEDED);
        run.plan.scale(from, 0);
        return run.succeeded("revision " + to + " takes 100% of traffic; the post-promotion window passed cleanly");
    }

    /** A pause step: empty once it is over (its time passed, or a promote released it). */
    private Optional<RolloutRun.Result> pauseOver(RolloutRun run, int i) {
        if (Boolean.TRUE.equals(run.progress.promoted)) {
            return Optional.empty();
        }
        Optional<Duration> length = run.timings.pause(i);
        if (length.isEmpty()) {
            return Optional.of(run.holding("step " + i + ": paused at weight " + run.weight + " until promoted"));
        }
        Deadline pause = new Deadline(run.stepStartedAt(), length.get());
        return run.waitFor(pause, "step " + i + ": paused at weight " + run.weight + " until " + pause.end());
    }

    /**
     * Moves towards {@code canaryTarget} new pods and the rest stable. Empty when the split is in place, in
     * flight while it is still moving, failed when the progress deadline passed.
     */
    private Optional<RolloutRun.Result> shift(RolloutRun run, int canaryTarget) {
        return settled(run, shiftWithoutDeadline(run, canaryTarget));
    }

    /** Empty when the split is in place; else in flight, or failed once the progress deadline passed. */
    private static Optional<RolloutRun.Result> settled(RolloutRun run, boolean inPlace) {
        if (inPlace) {
            run.doneWaiting();
            return Optional.empty();
        }
        return run.waitingTooLong("revision " + run.progress.toRevision).or(() -> Optional.of(run.inFlight("")));
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
        run.plan.stableRoute = stableRoute(run, canaryTarget);
        return run.available(to) >= canaryTarget && newPods == canaryTarget && oldPods == stableTarget;
    }

    /**
     * Both revisions behind the stable Service, except for a rollout that lost its router while the new revision
     * still has more pods than its share allows: the Service then stays on the stable revision until they are gone.
     */
    private static ServiceRoute stableRoute(RolloutRun run, int canaryTarget) {
        Integer to = run.progress.toRevision;
        if (run.unrouted && Math.max(run.available(to), run.specReplicas(to)) > canaryTarget) {
            return ServiceRoute.pinned(run.progress.fromRevision, run.progress.fromRevision);
        }
        return ServiceRoute.allRevisions(run.progress.fromRevision);
    }

    /** Holds where it stands at step i: the split as it is, no deadline running. */
    private RolloutRun.Result hold(RolloutRun run, String message, int i) {
        var p = run.progress;
        if (run.routed) {
            List<CanaryStep> steps = run.spec.strategy.canary.steps;
            RoutedSplit.hold(run, weightInEffect(steps, i - 1), RoutedSplit.headersInEffect(steps, i - 1));
            p.waitingSince = null;
            return run.holding(message);
        }
        run.plan.scale(p.toRevision, run.specReplicas(p.toRevision));
        run.plan.scale(p.fromRevision, run.specReplicas(p.fromRevision));
        run.plan.stableRoute = stableRoute(run, canaryPods(run, run.weight));
        p.waitingSince = null;
        return run.holding(message);
    }

    static int canaryPods(int replicas, int weight) {
        return (int) Math.ceil(replicas * weight / 100.0);
    }

    /** Pods of the new revision at {@code weight}: rounded up, or down once the rollout lost its router. */
    private static int canaryPods(RolloutRun run, int weight) {
        return run.unrouted ? run.replicas * weight / 100 : canaryPods(run.replicas, weight);
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
