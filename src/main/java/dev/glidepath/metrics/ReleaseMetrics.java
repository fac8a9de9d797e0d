package dev.glidepath.metrics;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleasePhase;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.strategy.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's own metrics (served at /q/metrics): rollouts started, succeeded, reverted and failed by
 * namespace and strategy; the time from a breaching measurement to the revert; each Release's phase and
 * canary weight; the latest analysis values.
 */
public final class ReleaseMetrics {
    public static final List<String> PHASES = Arrays.stream(ReleasePhase.values()).map(ReleasePhase::wire).toList();

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<ReleaseStatus>> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> analysisValues = new ConcurrentHashMap<>();
    private final Timer.Builder breachToRevert = Timer.builder("glidepath.breach.to.revert")
            .description("Time from the measurement that breached a threshold to the revert being applied")
            .publishPercentileHistogram()
            .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5));

    public ReleaseMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts what the decision did, from its notes. */
    public void decided(Release release, Decision decision) {
        String ns = release.getMetadata().getNamespace();
        String strategy = release.getSpec() == null || release.getSpec().strategy == null ? "None" : release.getSpec().strategy.name();
        for (Decision.Note note : decision.events()) {
            note.kind().counted().ifPresent(outcome -> Counter.builder("glidepath.rollouts." + outcome)
                    .description("Rollouts " + outcome + ", by namespace and strategy")
                    .tags("namespace", ns, "strategy", strategy)
                    .register(registry).increment());
        }
    }

    /** Records how long a revert took after the breaching measurement was taken. */
    public void reverted(Release release, Duration sinceBreach) {
        breachToRevert.tags("namespace", release.getMetadata().getNamespace()).register(registry).record(sinceBreach);
    }

    /** Publishes the Release's phase, weight and latest analysis values. */
    public void reported(Release release, ReleaseStatus status, Map<String, Measurement> measurements) {
        String ns = release.getMetadata().getNamespace();
        String name = release.getMetadata().getName();
        String key = ns + "/" + name;
        statuses.computeIfAbsent(key, k -> {
            AtomicReference<ReleaseStatus> ref = new AtomicReference<>();
            Tags tags = Tags.of("namespace", ns, "release", name);
            for (String phase : PHASES) {
                Gauge.builder("glidepath.release.phase", ref, r -> r.get() != null && phase.equals(r.get().phase) ? 1 : 0)
                        .description("1 for the Release's current phase").tags(tags.and("phase", phase)).register(registry);
            }
            Gauge.builder("glidepath.release.canary.weight", ref,
                            r -> r.get() == null || r.get().canaryWeight == null ? 0 : r.get().canaryWeight)
                    .description("Canary weight of the new revision in percent").tags(tags).register(registry);
            return ref;
        }).set(status);
        measurements.forEach((metric, m) -> {
            if (m.value != null) {
                analysisValues.computeIfAbsent(key + "/" + metric, k -> {
                    AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
                    Gauge.builder("glidepath.analysis.value", ref, AtomicReference::get)
                            .description("Latest measured value of each analysis metric")
                            .tags("namespace", ns, "release", name, "metric", metric).register(registry);
                    return ref;
                }).set(m.value);
            }
        });
    }
}
