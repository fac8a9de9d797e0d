package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.RolloutPhase;
import java.util.Optional;

/**
 * No steps: the first revision of a Release, and rollbacks. The target is scaled up to full size; traffic
 * moves to it once it is fully available (for a first revision there is nothing else to serve from).
 */
final class DirectProgression implements Progression {
    private final boolean pinned;

    DirectProgression(boolean pinned) {
        this.pinned = pinned;
    }

    @Override
    public RolloutRun.Result advance(RolloutRun run) {
        Integer to = run.progress.toRevision;
        Integer from = run.progress.fromRevision;
        boolean initial = from == null;
        run.beginStep(0, initial ? "deploy revision " + to : "scale up revision " + to);
        run.plan.scale(to, run.replicas);
        if (initial) {
            run.plan.stableRoute = route(to, to);
        } else {
            run.plan.scale(from, Math.max(run.specReplicas(from), 0));
            run.plan.stableRoute = route(from, from);
        }
        Optional<RolloutRun.Result> waiting = run.awaitTargetAvailable(0, "waiting for revision " + to);
        if (waiting.isPresent()) {
            return waiting.get();
        }
        run.plan.stableRoute = route(to, to);
        if (!initial) {
            run.beginStep(1, "move traffic to revision " + to);
            run.finishStep(1, RolloutPhase.SUCCEEDED);
        }
        run.weight = 100;
        return run.succeeded(initial ? "revision " + to + " deployed" : "traffic moved to revision " + to);
    }

    private ServiceRoute route(int revision, Integer stable) {
        return pinned ? ServiceRoute.pinned(revision, stable) : ServiceRoute.allRevisions(stable);
    }
}
