package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.HeaderMatch;
import dev.glidepath.api.v1alpha1.RolloutReason;
import java.util.List;

/**
 * The split through a traffic router. The stable Service stays pinned to the stable revision, which keeps its
 * full size until the final promotion (an abort never waits for capacity); the canary Service is pinned to the
 * new revision, which runs ceil(replicas × weight / 100) pods, at least one while it takes any traffic; the
 * route carries the exact weight. The route moves to a step's weight only once the pods for it are available,
 * and never back to a weight it already passed while it waits for them.
 */
final class RoutedSplit {
    private RoutedSplit() {
    }

    /** Pods of the new revision at {@code weight}: at least one while it takes any traffic. */
    static int canaryPods(int replicas, int weight, boolean headerRoute) {
        int pods = CanaryProgression.canaryPods(replicas, weight);
        return (weight > 0 || headerRoute) && replicas > 0 ? Math.max(1, pods) : pods;
    }

    /**
     * Moves towards {@code weight} and {@code headers}: true once the route carries them. Until the new
     * revision has the pods for them, the route keeps what it had ({@code weightBefore}, {@code headersBefore}).
     */
    static boolean shift(RolloutRun run, int weight, List<HeaderMatch> headers, int weightBefore, List<HeaderMatch> headersBefore) {
        var p = run.progress;
        int pods = canaryPods(run.replicas, weight, !headers.isEmpty());
        run.plan.scale(p.fromRevision, run.replicas);
        run.plan.scale(p.toRevision, pods);
        boolean ready = run.available(p.toRevision) >= pods;
        if (ready) {
            route(run, weight, headers);
        } else {
            // A restarted operator finds the route where it left it: never back to a weight already passed.
            int held = run.observed.routedWeight().filter(w -> w > weightBefore && w <= weight).orElse(weightBefore);
            route(run, held, headersBefore);
        }
        return ready;
    }

    /** A canary towards step i's weight and header route; true once the route carries them. */
    static boolean shiftToStep(RolloutRun run, int i) {
        List<CanaryStep> steps = run.spec.strategy.canary.steps;
        return shift(run, CanaryProgression.weightInEffect(steps, i), headersInEffect(steps, i),
                CanaryProgression.weightInEffect(steps, i - 1), headersInEffect(steps, i - 1));
    }

    /**
     * A canary before its final promotion: the new revision comes up in full next to the full-size stable one
     * while the route keeps the last step's split; true once it is fully available.
     */
    static boolean fullSize(RolloutRun run, int n) {
        List<CanaryStep> steps = run.spec.strategy.canary.steps;
        route(run, CanaryProgression.weightInEffect(steps, n - 1), headersInEffect(steps, n - 1));
        run.plan.scale(run.progress.toRevision, run.replicas);
        run.plan.scale(run.progress.fromRevision, run.replicas);
        return run.available(run.progress.toRevision) >= run.replicas;
    }

    /** Holds where it stands: pods as they are, the route as it is. */
    static void hold(RolloutRun run, int weightBefore, List<HeaderMatch> headers) {
        var p = run.progress;
        run.plan.scale(p.toRevision, run.specReplicas(p.toRevision));
        run.plan.scale(p.fromRevision, Math.max(run.replicas, run.specReplicas(p.fromRevision)));
        route(run, run.observed.routedWeight().orElse(weightBefore), headers);
    }

    /** The route at {@code weight} with {@code headers}; the stable Service on the stable revision. */
    static void route(RolloutRun run, int weight, List<HeaderMatch> headers) {
        var p = run.progress;
        run.weight = weight;
        run.plan.stableRoute = ServiceRoute.pinned(p.fromRevision, p.fromRevision);
        run.plan.canaryRoute = ServiceRoute.pinned(p.toRevision, null);
        run.plan.traffic = TrafficSplit.weighted(weight, headers);
    }

    /** The header conditions in effect at step {@code i}: those of the latest setHeaderRoute at or before it. */
    static List<HeaderMatch> headersInEffect(List<CanaryStep> steps, int i) {
        for (int k = Math.min(i, steps.size() - 1); k >= 0; k--) {
            CanaryStep step = steps.get(k);
            if (step.setHeaderRoute != null) {
                return step.setHeaderRoute.match == null ? List.of() : step.setHeaderRoute.match;
            }
        }
        return List.of();
    }

    /**
     * Whatever the units left unsaid: the canary Service follows the new revision of an update in flight (the
     * stable one otherwise, so it always has pods behind it), and the routes hold no canary when no update
     * routes through them.
     */
    static void settle(Situation s) {
        if (s.spec.trafficRouting == null) {
            return;
        }
        boolean update = s.inFlight(RolloutReason.UPDATE);
        Integer canary = update ? s.progress.toRevision : s.stable != null ? s.stable : s.target;
        if (!update) {
            // Also when the update ended in this decision: whatever its progression asked for no longer applies.
            s.plan.canaryRoute = canary == null ? null : ServiceRoute.pinned(canary, null);
            s.plan.traffic = TrafficSplit.NONE;
            return;
        }
        if (s.plan.canaryRoute == null) {
            s.plan.canaryRoute = ServiceRoute.pinned(canary, null);
        }
        if (s.plan.traffic == null) {
            // Not decided this time (a migration runs before any traffic): the routes stay as they are.
            s.plan.traffic = TrafficSplit.weighted(s.observed.routedWeight().orElse(0), List.of());
        }
    }
}
