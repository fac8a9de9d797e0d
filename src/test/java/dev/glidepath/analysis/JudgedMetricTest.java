package dev.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.PrometheusSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RequestCounts;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.Threshold;
import dev.glidepath.credentials.Credentials;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A judged metric from the queries a round sends to the verdict the evidence gives; and value metrics bounded by the stable revision. */
class JudgedMetricTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String ERRORS = "sum(http_requests_total{glidepath_dev_release=\"{{release}}\",glidepath_dev_revision=\"{{revision}}\",code=~\"5..\"})";
    static final String REQUESTS = "sum(http_requests_total{glidepath_dev_release=\"{{release}}\",glidepath_dev_revision=\"{{revision}}\"})";

    static AnalysisSpec judged() {
        MetricSpec m = new MetricSpec();
        m.name = "errors-vs-stable";
        m.judge = new JudgeSpec();
        m.judge.errors = ERRORS;
        m.judge.requests = REQUESTS;
        AnalysisSpec a = new AnalysisSpec();
        a.prometheus = new PrometheusSpec();
        a.prometheus.address = "http://prometheus:9090";
        a.metrics = List.of(m);
        return a;
    }

    static Release release(AnalysisSpec analysis) {
        Release r = new Release();
        r.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace("apps").build());
        r.setSpec(new ReleaseSpec());
        r.getSpec().analysis = analysis;
        return r;
    }

    static ReleaseStatus measuring() {
        ReleaseStatus s = new ReleaseStatus();
        s.rollout = new RolloutProgress();
        s.rollout.fromRevision = 1;
        s.rollout.toRevision = 2;
        s.rollout.nextMeasurementAt = T0.toString();
        return s;
    }

    static Measurement counts(int second, double ne, double nr, double se, double sr) {
        Measurement m = new Measurement(T0.plusSeconds(second).toString(), null, Verdicts.PENDING, null);
        m.counts = new RequestCounts(ne, nr, se, sr);
        return m;
    }

    @Test
    void aJudgedMetricSendsTheCountQueriesOfBothRevisions() {
        MeasurementRound round = MeasurementRound.dueNow(release(judged()), measuring(), Credentials.NONE, T0).orElseThrow();
        assertThat(round.queries()).hasSize(4);
        assertThat(round.queries().values()).anySatisfy(q -> assertThat(q).contains("glidepath_dev_revision=\"2\"").contains("5.."))
                .anySatisfy(q -> assertThat(q).contains("glidepath_dev_revision=\"1\"").contains("5.."))
                .anySatisfy(q -> assertThat(q).contains("glidepath_dev_revision=\"2\"").doesNotContain("5.."))
                .anySatisfy(q -> assertThat(q).contains("glidepath_dev_revision=\"1\"").doesNotContain("5.."))
                .allSatisfy(q -> assertThat(q).contains("glidepath_dev_release=\"shop\""));
    }

    @Test
    void theLedgerCarriesTheEvidenceFromRoundToRoundAndRevertsABadCanary() {
        AnalysisSpec spec = judged();
        List<MetricRecord> records = AnalysisLedger.record(null, Map.of("errors-vs-stable", counts(0, 0, 0, 100, 10_000)), spec);
        assertThat(records.get(0).measurements).last().satisfies(m -> assertThat(m.verdict).isEqualTo("Pending"));
        assertThat(AnalysisLedger.judge(records, spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.WAITING);
        // 50 requests a second each; the new revision fails 30% of them, the stable one 1%.
        for (int s = 1; s <= 5; s++) {
            records = AnalysisLedger.record(records, Map.of("errors-vs-stable", counts(s, 15 * s, 50 * s, 100 + 0.5 * s, 10_000 + 50 * s)),
                    spec);
        }
        Measurement last = records.get(0).measurements.get(records.get(0).measurements.size() - 1);
        assertThat(last.verdict).isEqualTo("Fail");
        assertThat(last.counts.newErrors).isEqualTo(75);
        assertThat(last.evidenceWorse).isGreaterThanOrEqualTo(100);
        assertThat(last.value).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(records.get(0).judge.judged.newRequests).isEqualTo(250);
        AnalysisLedger.Judgement j = AnalysisLedger.judge(records, spec, T0);
        assertThat(j.outcome()).isEqualTo(AnalysisLedger.Outcome.REVERT);
        assertThat(j.message()).contains("errors-vs-stable").contains("worse than 1.5");
    }

    static final String HISTOGRAM = "sum by (le) (d_bucket{glidepath_dev_release=\"{{release}}\",glidepath_dev_revision=\"{{revision}}\"})";
    static final double INF = Double.POSITIVE_INFINITY;

    static AnalysisSpec latencyJudged() {
        AnalysisSpec a = judged();
        a.metrics.get(0).name = "latency";
        a.metrics.get(0).judge = new JudgeSpec();
        a.metrics.get(0).judge.histogram = HISTOGRAM;
        a.metrics.get(0).judge.maxRatio = 2.0;
        return a;
    }

    static QueryResult buckets(double... leThenCount) {
        java.util.SortedMap<Double, Double> b = new java.util.TreeMap<>();
        for (int i = 0; i < leThenCount.length; i += 2) {
            b.put(leThenCount[i], leThenCount[i + 1]);
        }
        return QueryResult.failed("the query returned " + b.size() + " series").withBuckets(b);
    }

    /** One round of a latency judge through the round's verdicts and the ledger. */
    static List<MetricRecord> latencyRound(List<MetricRecord> records, AnalysisSpec spec, int second, QueryResult newRevision,
            QueryResult stable) {
        MeasurementRound round = MeasurementRound.dueNow(release(spec), measuring(), Credentials.NONE, T0).orElseThrow();
        Map<String, QueryResult> answers = new java.util.LinkedHashMap<>();
        round.queries().forEach((key, query) -> answers.put(key, query.contains("glidepath_dev_revision=\"2\"") ? newRevision : stable));
        return AnalysisLedger.record(records, round.judge(answers, spec, T0.plusSeconds(second)), spec);
    }

    static Measurement last(List<MetricRecord> records) {
        return records.get(0).measurements.get(records.get(0).measurements.size() - 1);
    }

    @Test
    void aLatencyJudgeSendsTheHistogramQueryOfBothRevisions() {
        MeasurementRound round = MeasurementRound.dueNow(release(latencyJudged()), measuring(), Credentials.NONE, T0).orElseThrow();
        assertThat(round.queries().values()).containsExactly(
                "sum by (le) (d_bucket{glidepath_dev_release=\"shop\",glidepath_dev_revision=\"2\"})",
                "sum by (le) (d_bucket{glidepath_dev_release=\"shop\",glidepath_dev_revision=\"1\"})");
    }

    @Test
    void aLatencyJudgeKeepsTheBoundaryOfTheFirstRoundAndRevertsACanarySlowerThanTwiceTheStableRevision() {
        AnalysisSpec spec = latencyJudged();
        // The stable revision's p99 bucket is 0.5 s (99% of its requests up to it); the new revision served nothing yet.
        List<MetricRecord> records = latencyRound(null, spec, 0, QueryResult.noSample(),
                buckets(0.1, 90_000, 0.5, 99_000, 1, 99_900, INF, 100_000));
        assertThat(records.get(0).judge.boundary).isEqualTo(0.5);
        assertThat(last(records).verdict).isEqualTo("Pending");
        // 100 requests a second each; 10% of the new revision's are slower than 0.5 s, 1% of the stable one's. The
        // stable revision's own p99 bucket moves to 1 s after a while: the boundary stays.
        for (int s = 1; s <= 10; s++) {
            records = latencyRound(records, spec, s, buckets(0.1, 80 * s, 0.5, 90 * s, 1, 99 * s, INF, 100 * s),
                    buckets(0.1, 90_000 + 50 * s, 0.5, 99_000 + 99 * s, 1, 99_900 + 100 * s, INF, 100_000 + 100 * s));
        }
        assertThat(records.get(0).judge.boundary).isEqualTo(0.5);
        Measurement last = last(records);
        assertThat(last.verdict).isEqualTo("Fail");
        assertThat(last.counts.newErrors).isEqualTo(100);
        assertThat(last.counts.newRequests).isEqualTo(1000);
        assertThat(last.counts.stableErrors).isEqualTo(1000 + 10);
        assertThat(last.value).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(last.reason).contains("slower than le=\"0.5\"").contains("0.99 quantile");
        assertThat(AnalysisLedger.judge(records, spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.REVERT);
    }

    @Test
    void aLatencyJudgeWithoutABoundaryOrWithoutItsBucketIsInconclusive() {
        AnalysisSpec spec = latencyJudged();
        List<MetricRecord> records = latencyRound(null, spec, 0, QueryResult.noSample(), QueryResult.noSample());
        assertThat(last(records).verdict).isEqualTo("Inconclusive");
        assertThat(last(records).reason).contains("no boundary").contains("+Inf");
        assertThat(records.get(0).judge).isNull();

        records = latencyRound(records, spec, 1, QueryResult.noSample(), buckets(0.5, 990, INF, 1000));
        assertThat(records.get(0).judge.boundary).isEqualTo(0.5);
        records = latencyRound(records, spec, 2, buckets(0.25, 10, 1, 10, INF, 10), buckets(0.5, 1980, INF, 2000));
        assertThat(last(records).verdict).isEqualTo("Inconclusive");
        assertThat(last(records).reason).contains("new revision").contains("no bucket le=\"0.5\"");
        records = latencyRound(records, spec, 3, buckets(0.5, 10, INF, 10), QueryResult.of(200));
        assertThat(last(records).reason).contains("one series per le");
        records = latencyRound(records, spec, 4, buckets(0.5, 10, INF, 10), QueryResult.failed("connection refused"));
        assertThat(last(records).reason).isEqualTo("connection refused");
        assertThat(records.get(0).judge.boundary).isEqualTo(0.5);
        assertThat(records.get(0).consecutiveInconclusive).isEqualTo(3);
    }

    @Test
    void pendingMeasurementsNeitherPassNorCountAsInconclusive() {
        AnalysisSpec spec = judged();
        spec.inconclusiveLimit = 2;
        List<MetricRecord> records = null;
        for (int s = 0; s < 6; s++) {
            // Too few requests to tell either way.
            records = AnalysisLedger.record(records, Map.of("errors-vs-stable", counts(s, 0, s, 0, s)), spec);
        }
        assertThat(records.get(0).consecutiveInconclusive).isZero();
        assertThat(AnalysisLedger.judge(records, spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.WAITING);
        assertThat(AnalysisLedger.judge(records, spec, T0).message()).contains("pending").contains("at least 100 new requests");
    }

    @Test
    void editedEvidenceStartsTheComparisonAgainInsteadOfFailing() {
        AnalysisSpec spec = judged();
        List<MetricRecord> records = AnalysisLedger.record(null, Map.of("errors-vs-stable", counts(0, 0, 0, 0, 0)), spec);
        records.get(0).judge.worse = List.of(1.0);
        records = AnalysisLedger.record(records, Map.of("errors-vs-stable", counts(1, 0, 10, 0, 10)), spec);
        assertThat(records.get(0).measurements).last().satisfies(m -> assertThat(m.reason).contains("first counts read"));
    }

    @Test
    void aValueMetricBoundedByTheStableRevisionFailsAboveItsMultipleAndIsInconclusiveWithoutItsData() {
        MetricSpec latency = new MetricSpec();
        latency.name = "p99";
        latency.query = "q{r=\"{{newRevision}}\"}";
        latency.threshold = new Threshold();
        latency.threshold.maxStableRatio = 2.0;
        AnalysisSpec spec = judged();
        spec.metrics = List.of(latency);
        MeasurementRound round = MeasurementRound.dueNow(release(spec), measuring(), Credentials.NONE, T0).orElseThrow();
        assertThat(round.queries().values()).containsExactly("q{r=\"2\"}", "q{r=\"1\"}");

        Measurement worse = Verdicts.judge(latency, QueryResult.of(0.9), QueryResult.of(0.4), T0);
        assertThat(worse.verdict).isEqualTo("Fail");
        assertThat(worse.reason).isEqualTo("0.9 is above 2x the stable revision's 0.4");
        assertThat(worse.stableValue).isEqualTo(0.4);
        assertThat(Verdicts.judge(latency, QueryResult.of(0.7), QueryResult.of(0.4), T0).verdict).isEqualTo("Pass");
        Measurement alone = Verdicts.judge(latency, QueryResult.of(0.7), QueryResult.noSample(), T0);
        assertThat(alone.verdict).isEqualTo("Inconclusive");
        assertThat(alone.reason).contains("the stable revision has no data");
    }

    @Test
    void aCountSeriesNotThereYetCountsZeroAndAnErrorIsInconclusive() {
        Measurement m = Verdicts.counts(QueryResult.noSample(), QueryResult.noSample(), QueryResult.of(3), QueryResult.of(300), T0);
        assertThat(m.verdict).isEqualTo("Pending");
        assertThat(m.counts.newRequests).isZero();
        assertThat(m.counts.stableRequests).isEqualTo(300);
        assertThat(Verdicts.counts(QueryResult.failed("timeout"), QueryResult.of(1), QueryResult.of(1), QueryResult.of(1), T0).verdict)
                .isEqualTo("Inconclusive");
    }
}
