package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.BlueGreenStrategy;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.migration.MigrationJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Blue-green: the new revision comes up at full size behind the preview Service; once fully available
 * (and after promoteAfter, or a promote when autoPromote is off) the stable Service's selector switches to
 * it in one update; the old revision keeps running for scaleDownDelay, then goes to zero.
 *
 * <p>With a traffic router the canary Service is the preview, the switch is one route update moving all
 * weight to it, and the stable Service stays on the old revision until the rollout succeeds, so a revert is
 * one route update too.
 *
 * <p>Steps recorded: 0 scale up, 1 wait for promotion, 2 switch, 3 scale down the old revision.
 */
final class BlueGreenProgression implements Progression {
    static final Duration DEFAULT_SCALE_DOWN_DELAY = Timings.DEFAULT_SCALE_DOWN_DELAY;

    @Override
    public RolloutRun.Result advance(RolloutRun run) {
        BlueGreenStrategy bg = run.spec.strategy.blueGreen;
        var p = run.progress;
        Integer from = p.fromRevision;
        Integer to = p.toRevision;
        run.plan.scale(to, run.replicas);
        run.plan.scale(from, Math.max(run.specReplicas(from), run.replicas));
        if (bg.previewService != null) {
            run.plan.previewRoute = ServiceRoute.pinned(to, from);
        }
        boolean switched = p.switchedAt != null || (run.routed ? run.observed.routedWeight().orElse(0) == 100
                : run.observed.stableService().flatMap(ObservedState.ObservedService::selectedRevision).map(to::equals).orElse(false));
        if (!switched) {
            Optional<RolloutRun.Result> beforeSwitch = beforeSwitch(run, bg);
            if (beforeSwitch.isPresent()) {
                return beforeSwitch.get();
            }
        } else if (p.switchedAt == null) {
            // The switch happened before a restart, but its record did not make it into the status.
            p.switchedAt = Timestamps.format(run.now);
            for (int step = 0; step <= 2; step++) {
                run.finishStep(step, RolloutPhase.SUCCEEDED);
            }
        }
        // From the switch on, the revision the stable Service serves is the stable revision (the old one stays
        // running for scaleDownDelay, ready for a switch back): one update carries selector and annotation.
        if (run.routed) {
            RoutedSplit.route(run, 100, List.of());
        } else {
            run.plan.stableRoute = ServiceRoute.pinned(to, to);
        }
        run.weight = 100;
        run.activateAnalysis();
        Duration delay = run.timings.scaleDownDelay();
        if (run.analysis != null && run.timings.postPromotion().isPresent()
                && run.timings.postPromotion().get().compareTo(delay) > 0) {
            delay = run.timings.postPromotion().get();
        }
        Instant switchedAt = RolloutRun.at(p.switchedAt);
        Deadline scaleDown = new Deadline(switchedAt, delay);
        run.beginStep(3, "scale down revision " + from + " after " + Durations.format(delay));
        if (run.paused) {
            return run.holding(run.pauseReason + "; traffic on revision " + to + ", revision " + from + " kept running");
        }
        Optional<RolloutRun.Result> kept = run.waitFor(scaleDown, "traffic on revision " + to + "; revision " + from
                + " kept until " + scaleDown.end());
        if (kept.isPresent()) {
            return kept.get();
        }
        if (!run.analysisAllows(switchedAt)) {
            return run.inFlight("revision " + from + " kept");
        }
        run.plan.scale(from, 0);
        run.finishStep(3, RolloutPhase.SUCCEEDED);
        return run.succeeded("revision " + to + " takes 100% of traffic");
    }

    /** Up to the switch: the new revision in preview, its smoke test, the promotion; empty once switched now. */
    private Optional<RolloutRun.Result> beforeSwitch(RolloutRun run, BlueGreenStrategy bg) {
        var p = run.progress;
        Integer from = p.fromRevision;
        Integer to = p.toRevision;
        if (run.routed) {
            RoutedSplit.route(run, 0, List.of());
        } else {
            run.plan.stableRoute = ServiceRoute.pinned(from, from);
        }
        run.weight = 0;
        run.beginStep(0, "scale up revision " + to + " to " + run.replicas);
        Optional<RolloutRun.Result> waiting = run.awaitTargetAvailable(0, "revision " + to + " in preview");
        if (waiting.isPresent()) {
            return waiting;
        }
        if (p.availableAt == null) {
            p.availableAt = Timestamps.format(run.now);
        }
        run.beginStep(1, "wait for promotion");
        if (run.windowClosed) {
            return Optional.of(run.holding(run.windowMessage + "; revision " + to + " is ready in preview"));
        }
        if (run.paused) {
            return Optional.of(run.holding(run.pauseReason + "; revision " + to + " is ready in preview"));
        }
        if (bg.prePromotionVerify != null) {
            String name = MigrationJobs.name(run.releaseName, to, MigrationJobs.VERIFY);
            Optional<RolloutRun.Result> verdict = run.verification(name, bg.prePromotionVerify,
                    run.timings.prePromotionVerifyTimeout(), RolloutRun.at(p.availableAt),
                    bg.previewService != null ? bg.previewService
                            : run.routed ? run.spec.trafficRouting.canaryServiceName(run.spec.service.name) : run.spec.service.name);
            if (verdict.isPresent()) {
                if (verdict.get().kind() == RolloutRun.Kind.FAILED) {
                    run.finishStep(1, RolloutPhase.FAILED);
                }
                return verdict;
            }
        }
        Optional<RolloutRun.Result> notYet = promotionDue(run, bg);
        if (notYet.isPresent()) {
            return notYet;
        }
        p.promoted = null;
        run.finishStep(1, RolloutPhase.SUCCEEDED);
        run.beginStep(2, "switch stable Service to revision " + to);
        run.finishStep(2, RolloutPhase.SUCCEEDED);
        run.plan.note(EventReason.TRAFFIC_SWITCHED, run.routed ? "routes send 100% to the canary Service (revision " + to + ")"
                : "stable Service now selects revision " + to);
        p.switchedAt = Timestamps.format(run.now);
        return Optional.empty();
    }

    /** Empty when the switch is due now; else why it waits. */
    private Optional<RolloutRun.Result> promotionDue(RolloutRun run, BlueGreenStrategy bg) {
        var p = run.progress;
        if (Boolean.TRUE.equals(p.promoted) || Boolean.TRUE.equals(p.promotedFull)) {
            return Optional.empty();
        }
        if (Boolean.FALSE.equals(bg.autoPromote)) {
            return Optional.of(run.holding("revision " + p.toRevision + " is ready in preview; waiting for promote"));
        }
        if (run.timings.promoteAfter().isPresent()) {
            Deadline due = new Deadline(RolloutRun.at(p.availableAt), run.timings.promoteAfter().get());
            return run.waitFor(due, "revision " + p.toRevision + " is ready in preview; switching at " + due.end());
        }
        return Optional.empty();
    }
}
