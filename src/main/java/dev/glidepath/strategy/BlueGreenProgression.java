package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.BlueGreenStrategy;
import dev.glidepath.api.v1alpha1.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Blue-green: the new revision comes up at full size behind the preview Service; once fully available
 * (and after promoteAfter, or a promote when autoPromote is off) the stable Service's selector switches to
 * it in one update; the old revision keeps running for scaleDownDelay, then goes to zero.
 *
 * <p>Steps recorded: 0 scale up, 1 wait for promotion, 2 switch, 3 scale down the old revision.
 */
final class BlueGreenProgression implements Progression {
    static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

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
        boolean switched = p.switchedAt != null
                || run.observed.stableService().flatMap(ObservedState.ObservedService::selectedRevision)
                        .map(to::equals).orElse(false);
        if (!switched) {
            run.plan.stableRoute = ServiceRoute.pinned(from, from);
            run.weight = 0;
            run.beginStep(0, "scale up revision " + to + " to " + run.replicas);
            var waiting = run.awaitTargetAvailable(0, "revision " + to + " in preview");
            if (waiting.isPresent()) {
                return waiting.get();
            }
            if (p.availableAt == null) {
                p.availableAt = run.now.toString();
            }
            run.beginStep(1, "wait for promotion");
            if (run.windowClosed) {
                run.holding = true;
                run.message = run.windowMessage + "; revision " + to + " is ready in preview";
                return RolloutRun.Result.IN_FLIGHT;
            }
            if (run.paused) {
                run.holding = true;
                run.message = run.pauseReason + "; revision " + to + " is ready in preview";
                return RolloutRun.Result.IN_FLIGHT;
            }
            if (bg.prePromotionVerify != null) {
                String name = dev.glidepath.workflow.MigrationJobs.name(run.releaseName, to, dev.glidepath.workflow.MigrationJobs.VERIFY);
                var verdict = run.verification(name, bg.prePromotionVerify, Instant.parse(p.availableAt),
                        bg.previewService != null ? bg.previewService : run.spec.service.name);
                if (verdict.isEmpty()) {
                    return RolloutRun.Result.IN_FLIGHT;
                }
                if (!verdict.get()) {
                    run.finishStep(1, "Failed");
                    return RolloutRun.Result.FAILED;
                }
            }
            if (!promotionDue(run, bg)) {
                return RolloutRun.Result.IN_FLIGHT;
            }
            p.promoted = null;
            run.finishStep(1, "Succeeded");
            run.beginStep(2, "switch stable Service to revision " + to);
            run.finishStep(2, "Succeeded");
            run.plan.note("TrafficSwitched", "stable Service now selects revision " + to);
            p.switchedAt = run.now.toString();
        } else if (p.switchedAt == null) {
            // The switch happened before a restart, but its record did not make it into the status.
            p.switchedAt = run.now.toString();
            for (int step = 0; step <= 2; step++) {
                run.finishStep(step, "Succeeded");
            }
        }
        // From the switch on, the revision the stable Service serves is the stable revision (the old one stays
        // running for scaleDownDelay, ready for a switch back): one update carries selector and annotation.
        run.plan.stableRoute = ServiceRoute.pinned(to, to);
        run.weight = 100;
        run.activateAnalysis();
        Duration delay = Optional.ofNullable(bg.scaleDownDelay).map(Durations::parse).orElse(DEFAULT_SCALE_DOWN_DELAY);
        if (run.analysis != null && run.analysis.postPromotion != null) {
            Duration window = Durations.parse(run.analysis.postPromotion.duration);
            delay = window.compareTo(delay) > 0 ? window : delay;
        }
        Instant switchedAt = Instant.parse(p.switchedAt);
        Instant scaleDownAt = switchedAt.plus(delay);
        run.beginStep(3, "scale down revision " + from + " after " + Durations.format(delay));
        if (run.paused) {
            run.holding = true;
            run.message = run.pauseReason + "; traffic on revision " + to + ", revision " + from + " kept running";
            return RolloutRun.Result.IN_FLIGHT;
        }
        if (run.now.isBefore(scaleDownAt)) {
            run.plan.wakeAt(scaleDownAt);
            run.message = "traffic on revision " + to + "; revision " + from + " kept until " + scaleDownAt;
            return RolloutRun.Result.IN_FLIGHT;
        }
        run.message = "revision " + from + " kept";
        if (!run.analysisAllows(switchedAt)) {
            return RolloutRun.Result.IN_FLIGHT;
        }
        run.plan.scale(from, 0);
        run.finishStep(3, "Succeeded");
        run.message = "revision " + to + " takes 100% of traffic";
        return RolloutRun.Result.SUCCEEDED;
    }

    private boolean promotionDue(RolloutRun run, BlueGreenStrategy bg) {
        var p = run.progress;
        if (Boolean.TRUE.equals(p.promoted) || Boolean.TRUE.equals(p.promotedFull)) {
            return true;
        }
        if (Boolean.FALSE.equals(bg.autoPromote)) {
            run.holding = true;
            run.message = "revision " + p.toRevision + " is ready in preview; waiting for promote";
            return false;
        }
        if (bg.promoteAfter != null) {
            Instant due = Instant.parse(p.availableAt).plus(Durations.parse(bg.promoteAfter));
            if (run.now.isBefore(due)) {
                run.plan.wakeAt(due);
                run.message = "revision " + p.toRevision + " is ready in preview; switching at " + due;
                return false;
            }
        }
        return true;
    }
}
