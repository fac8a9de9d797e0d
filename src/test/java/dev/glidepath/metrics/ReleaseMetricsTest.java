package dev.glidepath.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.sandbox.Releases;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReleaseMetrics metrics = new ReleaseMetrics(registry);
    private final Release web = Releases.canary("apps", "web", "web:1", 2);

    private static ReleaseStatus status(String phase, Integer weight) {
        ReleaseStatus s = new ReleaseStatus();
        s.phase = phase;
        s.canaryWeight = weight;
        return s;
    }

    private long series(String name) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().equals(name)).count();
    }

    @Test
    void aReleaseHasOnePhaseSeriesItsCurrentPhaseOneWeightAndOnePerMeasuredMetric() {
        metrics.reported(web, status("Progressing", 25), Map.of("errors", new Measurement("2026-01-01T00:00:00Z", 0.01, "Pass", null)));
        metrics.reported(web, status("Paused", 25), Map.of("errors", new Measurement("2026-01-01T00:00:01Z", 0.02, "Pass", null)));

        assertThat(registry.getMeters()).hasSize(3);
        Meter phase = registry.find("glidepath.release.phase").meter();
        assertThat(phase.getId().getTag("phase")).isEqualTo("Paused");
        assertThat(registry.get("glidepath.release.phase").gauge().value()).isEqualTo(1);
        assertThat(registry.get("glidepath.release.canary.weight").gauge().value()).isEqualTo(25);
        assertThat(registry.get("glidepath.analysis.value").tag("metric", "errors").gauge().value()).isEqualTo(0.02);
    }

    @Test
    void aDeletedOrMovedReleaseLeavesNoSeries() {
        metrics.reported(web, status("Healthy", null), Map.of("errors", new Measurement("2026-01-01T00:00:00Z", 0.01, "Pass", null)));
        Release other = Releases.canary("apps", "api", "api:1", 2);
        metrics.reported(other, status("Healthy", null), Map.of());

        metrics.forget(web);

        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("release")).isEqualTo("api"));
        assertThat(series("glidepath.release.phase")).isEqualTo(1);
        metrics.forget(web);
        metrics.reported(web, status("Progressing", 50), Map.of());
        assertThat(series("glidepath.release.phase")).isEqualTo(2);
    }
}
