package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.VerifySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every duration of a Release's spec, parsed once after validation, with the defaults in one place.
 * {@code stepPauses} holds a canary step's pause (empty: until promoted, or not a pause); {@code stepVerifyTimeouts}
 * a canary step's smoke-test timeout (null when the step runs none).
 */
record Timings(Duration progressDeadline, Duration analysisInterval, Duration scaleDownDelay, Optional<Duration> promoteAfter,
        Duration prePromotionVerifyTimeout, Duration migrationTimeout, Optional<Duration> postPromotion,
        List<Optional<Duration>> stepPauses, List<Duration> stepVerifyTimeouts) {

    static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
    static final Duration DEFAULT_ANALYSIS_INTERVAL = Duration.ofSeconds(15);
    static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);
    static final Duration DEFAULT_MIGRATION_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofMinutes(5);

    /** From a spec that passed {@link SpecValidator}: every duration in it parses. */
    static Timings of(ReleaseSpec spec) {
        var strategy = spec.strategy;
        var blueGreen = strategy == null ? null : strategy.blueGreen;
        List<Optional<Duration>> pauses = new ArrayList<>();
        List<Duration> verifies = new ArrayList<>();
        if (strategy != null && strategy.canary != null && strategy.canary.steps != null) {
            for (CanaryStep step : strategy.canary.steps) {
                pauses.add(step.pause == null ? Optional.empty() : optional(step.pause.duration));
                verifies.add(step.verify == null ? null : verifyTimeout(step.verify));
            }
        }
        return new Timings(
                or(spec.progressDeadline, DEFAULT_PROGRESS_DEADLINE),
                or(spec.analysis == null ? null : spec.analysis.interval, DEFAULT_ANALYSIS_INTERVAL),
                or(blueGreen == null ? null : blueGreen.scaleDownDelay, DEFAULT_SCALE_DOWN_DELAY),
                optional(blueGreen == null ? null : blueGreen.promoteAfter),
                blueGreen == null || blueGreen.prePromotionVerify == null ? DEFAULT_VERIFY_TIMEOUT
                        : verifyTimeout(blueGreen.prePromotionVerify),
                or(spec.migration == null ? null : spec.migration.timeout, DEFAULT_MIGRATION_TIMEOUT),
                optional(spec.analysis == null || spec.analysis.postPromotion == null ? null
                        : spec.analysis.postPromotion.duration),
                List.copyOf(pauses),
                Collections.unmodifiableList(verifies));
    }

    /** How long the steps wait by themselves: the canary's timed pauses, or blue-green's promoteAfter. */
    Duration timedPauses() {
        return promoteAfter.orElseGet(() -> stepPauses.stream().flatMap(Optional::stream).reduce(Duration.ZERO, Duration::plus));
    }

    Optional<Duration> pause(int step) {
        return step < stepPauses.size() ? stepPauses.get(step) : Optional.empty();
    }

    Duration verifyTimeout(int step) {
        Duration d = step < stepVerifyTimeouts.size() ? stepVerifyTimeouts.get(step) : null;
        return d == null ? DEFAULT_VERIFY_TIMEOUT : d;
    }

    private static Duration verifyTimeout(VerifySpec verify) {
        return or(verify.timeout, DEFAULT_VERIFY_TIMEOUT);
    }

    private static Duration or(String text, Duration fallback) {
        return text == null ? fallback : Durations.parse(text);
    }

    private static Optional<Duration> optional(String text) {
        return text == null ? Optional.empty() : Optional.of(Durations.parse(text));
    }
}
