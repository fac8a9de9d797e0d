package dev.glidepath.reconciler;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The operator's one source of time, and its metrics; tests construct reconcilers with their own. */
@ApplicationScoped
public class OperatorBeans {
    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    dev.glidepath.metrics.ReleaseMetrics releaseMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        return new dev.glidepath.metrics.ReleaseMetrics(registry);
    }
}
