package dev.glidepath.metrics;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.strategy.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's own metrics (served at /q/metrics): rollouts started, succeeded, reverted and failed by
 * namespace and strategy; the time from a breaching measurement to the revert; each Release's phase and
 * canary weight; the latest analysis values.
 */
public final class ReleaseMetrics {

    private final MeterRegistry registry;
    private final Map<String, Published> published = new ConcurrentHashMap<>();
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

    /**
     * Publishes the Release's phase, weight and latest analysis values: one phase series (its current phase, 1), one
     * weight series and one series per analysis metric measured, so a Release costs 2 + its metrics in series.
     */
    public void reported(Release release, ReleaseStatus status, Map<String, Measurement> measurements) {
        String ns = release.getMetadata().getNamespace();
        String name = release.getMetadata().getName();
        String key = ns + "/" + name;
        Published p = published.computeIfAbsent(key, k -> {
            AtomicReference<ReleaseStatus> ref = new AtomicReference<>();
            Meter weight = Gauge.builder("glidepath.release.canary.weight", ref,
                            r -> r.get() == null || r.get().canaryWeight == null ? 0 : r.get().canaryWeight)
                    .description("Canary weight of the new revision in percent").tags("namespace", ns, "release", name).register(registry);
            return new Published(ref, weight);
        });
        p.status.set(status);
        String phase = status == null || status.phase == null ? null : status.phase;
        synchronized (p) {
            if (!Objects.equals(phase, p.phase)) {
                if (p.phaseMeter != null) {
                    registry.remove(p.phaseMeter);
                    p.phaseMeter = null;
                }
                if (phase != null) {
                    p.phaseMeter = Gauge.builder("glidepath.release.phase", () -> 1).description("1 for the Release's current phase")
                            .tags("namespace", ns, "release", name, "phase", phase).register(registry);
                }
                p.phase = phase;
            }
        }
        measurements.forEach((metric, m) -> {
            if (m.value != null) {
                p.analysis.computeIfAbsent(metric, k -> {
                    AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
                    Meter meter = Gauge.builder("glidepath.analysis.value", ref, AtomicReference::get)
                            .description("Latest measured value of each analysis metric")
                            .tags("namespace", ns, "release", name, "metric", metric).register(registry);
                    return new Value(ref, meter);
                }).latest().set(m.value);
            }
        });
    }

    /** Removes a Release's series: it was deleted, or moved to another operator instance's shard. */
    public void forget(Release release) {
        Published p = published.remove(release.getMetadata().getNamespace() + "/" + release.getMetadata().getName());
        if (p == null) {
            return;
        }
        synchronized (p) {
            registry.remove(p.weight);
            if (p.phaseMeter != null) {
                registry.remove(p.phaseMeter);
            }
            p.analysis.values().forEach(v -> registry.remove(v.meter()));
        }
    }

    /** Series published for one analysis metric of a Release. */
    private record Value(AtomicReference<Double> latest, Meter meter) {
    }

    /** What is published for one Release; the phase series follows its phase. */
    private static final class Published {
        final AtomicReference<ReleaseStatus> status;
        final Meter weight;
        final Map<String, Value> analysis = new ConcurrentHashMap<>();
        String phase;
        Meter phaseMeter;

        Published(AtomicReference<ReleaseStatus> status, Meter weight) {
            this.status = status;
            this.weight = weight;
        }
    }
}
