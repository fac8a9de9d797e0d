package dev.glidepath.strategy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the cluster should look like around the rollout (or without one): the stable revision serving, the
 * revisions nobody sized retired without losing capacity, and old revisions and Rollouts pruned.
 */
final class SteadyState {
    static final int DEFAULT_HISTORY_LIMIT = 10;

    private final Situation s;

    SteadyState(Situation s) {
        this.s = s;
    }

    /** No rollout in flight: the stable revision serves everything. */
    void converge() {
        if (s.stable == null) {
            return;
        }
        s.plan.scale(s.stable, s.replicas);
        boolean pinned = s.spec.strategy.blueGreen != null || s.spec.trafficRouting != null || canaryStaysPinned();
        s.plan.stableRoute = pinned ? ServiceRoute.pinned(s.stable, s.stable)
                : ServiceRoute.allRevisions(s.stable);
    }

    /**
     * Behind a canary Service the stable revision is pinned (the selector names its revision) while a revision
     * judged bad still has pods, so a revert takes it out of traffic in one update instead of waiting for its
     * pods to stop; and, once pinned, until every other revision is gone, so retired pods never take
     * traffic again. Never pinned to a revision without available pods.
     */
    private boolean canaryStaysPinned() {
        if (s.observed.available(s.stable) == 0) {
            return false;
        }
        boolean pinnedNow = s.observed.stableService().flatMap(ObservedState.ObservedService::selectedRevision).isPresent();
        for (ObservedState.ObservedRevision rev : s.observed.revisions().values()) {
            boolean hasPods = rev.specReplicas() > 0 || rev.availableReplicas() > 0;
            if (rev.number() != s.stable && hasPods && (pinnedNow || s.ledger.blocked(rev.number()))) {
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
    void retireOthers() {
        Plan plan = s.plan;
        Integer stable = s.stable;
        boolean pinned = s.spec.strategy.blueGreen != null || s.spec.trafficRouting != null;
        if (s.spec.strategy.blueGreen != null && s.spec.strategy.blueGreen.previewService != null && plan.previewRoute == null && stable != null) {
            plan.previewRoute = ServiceRoute.pinned(stable, stable);
        }
        boolean servingHasPods = stable != null && (s.observed.available(stable) > 0 || s.replicas == 0);
        int serving = stable == null ? 0 : s.observed.available(stable);
        if (s.progress != null && !s.progress.toRevision.equals(stable)) {
            serving += s.observed.available(s.progress.toRevision);
        }
        int shortfall = Math.max(0, s.replicas - serving);
        List<ObservedState.ObservedRevision> others = s.observed.revisions().values().stream()
                .filter(r -> !plan.replicas.containsKey(r.number()))
                .sorted((a, b) -> Integer.compare(b.number(), a.number()))
                .toList();
        for (ObservedState.ObservedRevision rev : others) {
            int keep;
            if (pinned || s.ledger.blocked(rev.number())) {
                keep = servingHasPods ? 0 : rev.specReplicas();
            } else {
                keep = Math.min(rev.specReplicas(), shortfall);
                shortfall -= Math.min(keep, rev.availableReplicas());
            }
            plan.scale(rev.number(), keep);
        }
    }

    /** The revisions in use: the spec's, the stable one and those of the rollout in flight. */
    Set<Integer> inUse() {
        Set<Integer> inUse = new HashSet<>();
        inUse.add(s.target);
        if (s.stable != null) {
            inUse.add(s.stable);
        }
        if (s.progress != null) {
            inUse.add(s.progress.toRevision);
            if (s.progress.fromRevision != null) {
                inUse.add(s.progress.fromRevision);
            }
        }
        return inUse;
    }

    /** Revisions beyond revisionHistoryLimit (at zero replicas) and the Rollouts of revisions gone are deleted. */
    void prune() {
        Plan plan = s.plan;
        int limit = s.spec.revisionHistoryLimit == null ? DEFAULT_HISTORY_LIMIT : s.spec.revisionHistoryLimit;
        Set<Integer> inUse = inUse();
        List<ObservedState.ObservedRevision> old = s.observed.revisions().values().stream()
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
        String active = s.progress == null ? null : s.progress.name;
        for (ObservedState.ObservedRollout r : s.observed.rollouts().values()) {
            boolean revisionGone = r.toRevision() == null || plan.pruneRevisions.contains(r.toRevision())
                    || (s.observed.revision(r.toRevision()).isEmpty() && !inUse.contains(r.toRevision()));
            if (revisionGone && !r.name().equals(active) && !plan.rolloutWrites.containsKey(r.name())) {
                plan.pruneRollouts.add(r.name());
            }
        }
    }
}
