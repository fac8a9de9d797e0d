package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.credentials.Credentials;
import java.time.Clock;
import java.time.Instant;

/**
 * Takes a due round on the calling thread and waits for its answers (each bounded by the query timeout): for
 * tests that want the measurements in the same call. The operator uses {@link BackgroundMeasurements}.
 */
public final class ImmediateMeasurements implements MeasurementSource {
    private final Clock clock;
    private final PrometheusClients clients = new PrometheusClients();

    public ImmediateMeasurements(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Measurements measure(Release release, ReleaseStatus status, Credentials credentials, Runnable taken) {
        Instant now = clock.instant();
        return MeasurementRound.dueNow(release, status, credentials, now)
                .map(round -> new Measurements(round.judge(round.query(clients).join(), release.getSpec().analysis, now), false))
                .orElse(Measurements.NONE);
    }

    @Override
    public void close() {
        clients.close();
    }
}
