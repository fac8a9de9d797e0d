package dev.glidepath.analysis;

import dev.glidepath.credentials.PrometheusAccess;
import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.credentials.CredentialCheck;
import dev.glidepath.credentials.Credentials;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One round of measurements due for a Release: every metric of its analysis, the query rendered for the rollout
 * in flight, for the Prometheus and credentials read and checked before (see {@link CredentialCheck}). All
 * queries go out in parallel, each bounded by the query timeout. Two rounds are equal when they ask the same of
 * the same Prometheus for the same due time: a round taken off the reconcile thread goes only to a decision
 * that asks for that round.
 *
 * @param unusable why no query can be sent (the credentials could not be read, a bad timeout): each metric is
 *        then inconclusive with this reason
 * @param queries metric name to rendered query, in the order of the spec
 */
public record MeasurementRound(Instant dueAt, String address, PrometheusAccess access, Duration timeout,
        String unusable, Map<String, String> queries) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final String NEW = "new";
    private static final String STABLE = "stable";
    private static final String ERRORS = "errors";
    private static final String REQUESTS = "requests";
    private static final String HISTOGRAM = "histogram";

    public MeasurementRound {
        queries = Collections.unmodifiableMap(new LinkedHashMap<>(queries));
    }

    /** Whether the rollout in flight has a measurement due now. */
    public static boolean due(Release release, ReleaseStatus status, Instant now) {
        return due(release.getSpec(), status, now);
    }

    /** Whether the rollout in flight of a Release with this spec and status has a measurement due now. */
    public static boolean due(ReleaseSpec spec, ReleaseStatus status, Instant now) {
        RolloutProgress p = status == null ? null : status.rollout;
        return spec != null && spec.analysis != null && p != null
                && p.nextMeasurementAt != null && !Instant.parse(p.nextMeasurementAt).isAfter(now);
    }

    /** The round due now, if any; none while a Secret or address is refused (nothing is sent then). */
    public static Optional<MeasurementRound> dueNow(Release release, ReleaseStatus status, Credentials credentials, Instant now) {
        if (!credentials.usable() || !due(release, status, now)) {
            return Optional.empty();
        }
        AnalysisSpec analysis = release.getSpec().analysis;
        RolloutProgress p = status.rollout;
        Map<String, String> values = Map.of(
                "release", release.getMetadata().getName(),
                "namespace", release.getMetadata().getNamespace(),
                "newRevision", String.valueOf(p.toRevision),
                "stableRevision", String.valueOf(p.fromRevision),
                "version", status.version == null ? "" : status.version);
        Map<String, String> queries = new LinkedHashMap<>();
        for (MetricSpec m : StandardMetrics.expand(analysis)) {
            if (m.judge != null) {
                // The counts (or the histogram) of each revision: {{revision}} is the new one, then the stable one.
                for (String side : List.of(NEW, STABLE)) {
                    Map<String, String> revision = new LinkedHashMap<>(values);
                    revision.put("revision", values.get(side.equals(NEW) ? "newRevision" : "stableRevision"));
                    if (m.judge.histogram != null) {
                        queries.put(key(m.name, HISTOGRAM, side), QueryTemplate.render(m.judge.histogram, revision));
                    } else {
                        queries.put(key(m.name, ERRORS, side), QueryTemplate.render(m.judge.errors, revision));
                        queries.put(key(m.name, REQUESTS, side), QueryTemplate.render(m.judge.requests, revision));
                    }
                }
                continue;
            }
            queries.put(m.name, QueryTemplate.render(m.query, values));
            if (m.threshold != null && m.threshold.maxStableRatio != null) {
                Map<String, String> stable = new LinkedHashMap<>(values);
                stable.put("newRevision", values.get("stableRevision"));
                queries.put(key(m.name, STABLE), QueryTemplate.render(m.query, stable));
            }
        }
        Duration timeout = DEFAULT_TIMEOUT;
        PrometheusAccess access = PrometheusAccess.NONE;
        String unusable = null;
        try {
            timeout = analysis.prometheus.timeout == null ? DEFAULT_TIMEOUT : Durations.parse(analysis.prometheus.timeout);
            access = credentials.prometheusAccess();
        } catch (RuntimeException e) {
            unusable = e.getMessage();
        }
        return Optional.of(new MeasurementRound(Instant.parse(p.nextMeasurementAt), analysis.prometheus.address, access,
                timeout, unusable, queries));
    }

    /** Sends every query at once; completes when all have answered or timed out (never exceptionally). */
    CompletableFuture<Map<String, QueryResult>> query(PrometheusClients clients) {
        if (unusable != null) {
            return CompletableFuture.completedFuture(failed(unusable));
        }
        PrometheusClient prometheus;
        try {
            prometheus = clients.client(address, access, timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(e.getMessage()));
        }
        Map<String, CompletableFuture<QueryResult>> pending = new LinkedHashMap<>();
        queries.forEach((name, query) -> pending.put(name, prometheus.query(query)));
        return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    Map<String, QueryResult> answers = new LinkedHashMap<>();
                    pending.forEach((name, answer) -> answers.put(name, answer.join()));
                    return answers;
                })
                .exceptionally(e -> failed(String.valueOf(e.getMessage())));
    }

    /**
     * The verdicts on the answers, by the thresholds the analysis has now, as measured at {@code at}. A judged
     * metric's measurement carries its counts; its verdict comes with the evidence so far ({@link AnalysisLedger}).
     */
    Map<String, Measurement> judge(Map<String, QueryResult> answers, AnalysisSpec analysis, Instant at) {
        Map<String, Measurement> round = new LinkedHashMap<>();
        for (MetricSpec m : StandardMetrics.expand(analysis)) {
            if (m.judge != null && m.judge.histogram != null) {
                round.put(m.name, Verdicts.histograms(answer(answers, key(m.name, HISTOGRAM, NEW)), answer(answers, key(m.name, HISTOGRAM, STABLE)), at));
            } else if (m.judge != null) {
                round.put(m.name, Verdicts.counts(answer(answers, key(m.name, ERRORS, NEW)), answer(answers, key(m.name, REQUESTS, NEW)),
                        answer(answers, key(m.name, ERRORS, STABLE)), answer(answers, key(m.name, REQUESTS, STABLE)), at));
            } else if (m.threshold != null && m.threshold.maxStableRatio != null) {
                round.put(m.name, Verdicts.judge(m, answer(answers, m.name), answer(answers, key(m.name, STABLE)), at));
            } else {
                round.put(m.name, Verdicts.judge(m, answer(answers, m.name), at));
            }
        }
        return round;
    }

    private static QueryResult answer(Map<String, QueryResult> answers, String key) {
        QueryResult answer = answers.get(key);
        return answer == null ? QueryResult.failed("not queried") : answer;
    }

    private static String key(String... parts) {
        return String.join("/", parts);
    }

    private Map<String, QueryResult> failed(String why) {
        Map<String, QueryResult> answers = new LinkedHashMap<>();
        queries.keySet().forEach(name -> answers.put(name, QueryResult.failed(why)));
        return answers;
    }

    /** Without the credentials. */
    @Override
    public String toString() {
        return "MeasurementRound[dueAt=" + dueAt + ", address=" + address + ", timeout=" + timeout + ", metrics="
                + queries.keySet() + "]";
    }
}
