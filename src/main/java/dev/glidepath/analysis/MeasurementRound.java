package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.credentials.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes one round of measurements for a Release whose analysis is due: every metric queried in parallel,
 * each bounded by the query timeout, so one slow Prometheus holds up only its own Release, and only that
 * long. The credentials are those read and checked before (see {@link dev.glidepath.credentials.CredentialCheck}).
 */
public final class MeasurementRound {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Clients are reused across rounds and Releases that share an address, credentials and timeout. */
    private static final Map<ClientKey, PrometheusClient> CLIENTS = new ConcurrentHashMap<>();
    private static final int MAX_CLIENTS = 256;

    private record ClientKey(String address, PrometheusClient.Access access, Duration timeout) {
    }

    private final Clock clock;

    public MeasurementRound(Clock clock) {
        this.clock = clock;
    }

    /** Whether the rollout in flight has a measurement due now. */
    public static boolean due(Release release, ReleaseStatus status, Instant now) {
        RolloutProgress p = status == null ? null : status.rollout;
        return release.getSpec() != null && release.getSpec().analysis != null && p != null
                && p.nextMeasurementAt != null && !Instant.parse(p.nextMeasurementAt).isAfter(now);
    }

    /** No round while a Secret or address is refused: nothing is sent then. */
    public Map<String, Measurement> take(Release release, ReleaseStatus status, Credentials credentials) {
        if (!credentials.usable()) {
            return Map.of();
        }
        AnalysisSpec analysis = release.getSpec().analysis;
        RolloutProgress p = status.rollout;
        Map<String, String> values = Map.of(
                "release", release.getMetadata().getName(),
                "namespace", release.getMetadata().getNamespace(),
                "newRevision", String.valueOf(p.toRevision),
                "stableRevision", String.valueOf(p.fromRevision),
                "version", status.version == null ? "" : status.version);
        Instant at = clock.instant();
        Map<String, Measurement> round = new LinkedHashMap<>();
        PrometheusClient prometheus;
        try {
            Duration timeout = analysis.prometheus.timeout == null ? DEFAULT_TIMEOUT : Durations.parse(analysis.prometheus.timeout);
            ClientKey key = new ClientKey(analysis.prometheus.address, credentials.prometheusAccess(), timeout);
            if (CLIENTS.size() > MAX_CLIENTS) {
                CLIENTS.clear();
            }
            prometheus = CLIENTS.computeIfAbsent(key, k -> new PrometheusClient(k.address(), k.access(), k.timeout()));
        } catch (RuntimeException e) {
            for (MetricSpec m : analysis.metrics) {
                round.put(m.name, Verdicts.judge(m, QueryResult.failed(e.getMessage()), at));
            }
            return round;
        }
        Map<String, CompletableFuture<QueryResult>> pending = new LinkedHashMap<>();
        for (MetricSpec m : analysis.metrics) {
            pending.put(m.name, prometheus.query(QueryTemplate.render(m.query, values)));
        }
        for (MetricSpec m : analysis.metrics) {
            round.put(m.name, Verdicts.judge(m, pending.get(m.name).join(), at));
        }
        return round;
    }
}
