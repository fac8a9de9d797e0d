package dev.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisLedgerTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static AnalysisSpec spec(int failureLimit) {
        AnalysisSpec a = new AnalysisSpec();
        var errors = VerdictsTest.metric(null, 0.05);
        errors.name = "errors";
        errors.failureLimit = failureLimit;
        var latency = VerdictsTest.metric(null, 0.5);
        latency.name = "latency";
        a.metrics = List.of(errors, latency);
        return a;
    }

    static Measurement m(int second, String verdict) {
        return new Measurement(T0.plusSeconds(second).toString(), 0.1, verdict, verdict.equals("Fail") ? "0.1 is above max 0.05" : null);
    }

    static List<MetricRecord> rounds(AnalysisSpec spec, String... errorsVerdicts) {
        List<MetricRecord> records = null;
        for (int i = 0; i < errorsVerdicts.length; i++) {
            records = AnalysisLedger.record(records, Map.of("errors", m(i, errorsVerdicts[i]), "latency", m(i, "Pass")), spec);
        }
        return records;
    }

    @Test
    void advancesOnlyWhenEveryMetricsLatestMeasurementSinceTheStepPassed() {
        AnalysisSpec spec = spec(0);
        assertThat(AnalysisLedger.judge(null, spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.WAITING);
        var records = rounds(spec, "Inconclusive", "Pass");
        assertThat(AnalysisLedger.judge(records, spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.PASSING);
        var j = AnalysisLedger.judge(records, spec, T0.plusSeconds(5));
        assertThat(j.outcome()).isEqualTo(AnalysisLedger.Outcome.WAITING);
        assertThat(j.message()).contains("not measured yet at this step");
    }

    @Test
    void aFailureBeyondTheLimitRevertsNamingMetricValueAndThreshold() {
        AnalysisSpec spec = spec(1);
        assertThat(AnalysisLedger.judge(rounds(spec, "Pass", "Fail"), spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.WAITING);
        var j = AnalysisLedger.judge(rounds(spec, "Pass", "Fail", "Pass", "Fail"), spec, T0);
        assertThat(j.outcome()).isEqualTo(AnalysisLedger.Outcome.REVERT);
        assertThat(j.metric()).isEqualTo("errors");
        assertThat(j.message()).contains("errors").contains("0.1 is above max 0.05").contains("2 failure(s), failureLimit 1");
    }

    @Test
    void inconclusiveInARowRevertsByDefaultOrHoldsAndAPassResetsTheStreak() {
        AnalysisSpec spec = spec(0);
        assertThat(AnalysisLedger.judge(rounds(spec, "Inconclusive", "Inconclusive", "Inconclusive", "Pass", "Inconclusive"), spec, T0)
                .outcome()).isEqualTo(AnalysisLedger.Outcome.WAITING);
        var four = rounds(spec, "Inconclusive", "Inconclusive", "Inconclusive", "Inconclusive");
        assertThat(AnalysisLedger.judge(four, spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.REVERT);
        spec.onInconclusive = "Hold";
        assertThat(AnalysisLedger.judge(four, spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.HOLD);
        spec.inconclusiveLimit = 5;
        assertThat(AnalysisLedger.judge(four, spec, T0).outcome()).isEqualTo(AnalysisLedger.Outcome.WAITING);
    }

    @Test
    void theEvidenceIsBoundedAndTheInputIsNotChanged() {
        AnalysisSpec spec = spec(100);
        List<MetricRecord> records = null;
        for (int i = 0; i < 25; i++) {
            List<MetricRecord> before = records;
            int size = before == null ? 0 : before.get(0).measurements.size();
            records = AnalysisLedger.record(records, Map.of("errors", m(i, "Fail")), spec);
            if (before != null) {
                assertThat(before.get(0).measurements).hasSize(size);
            }
        }
        assertThat(records.get(0).measurements).hasSize(AnalysisLedger.KEPT);
        assertThat(records.get(0).failures).isEqualTo(25);
        assertThat(records.get(0).measurements.get(AnalysisLedger.KEPT - 1).time).isEqualTo(T0.plusSeconds(24).toString());
        assertThat(records.get(1).measurements).isEmpty();
    }

    @Test
    void theLatencyBoundaryWaitsForTheStableRevisionToHaveServedEnoughToPlaceItsQuantile() {
        AnalysisSpec spec = new AnalysisSpec();
        spec.standard = List.of("latency");
        // Fifty stable requests, one of them slower than 0.25 s: its p99 bucket would be 0.5 s by chance.
        var few = new HistogramMeasurement(T0.toString(), buckets(0, 0, 0), buckets(49, 49, 50));
        List<MetricRecord> records = AnalysisLedger.record(null, Map.of("latency-p99", few), spec);
        Measurement waiting = records.get(0).measurements.get(0);
        assertThat(waiting.verdict).isEqualTo("Pending");
        assertThat(waiting.reason).isEqualTo("the boundary waits for the stable revision's histogram to hold 1000 requests (it holds 50):"
                + " its 0.99 quantile bucket cannot be placed before");
        assertThat(records.get(0).judge == null || records.get(0).judge.boundary == null).isTrue();

        var enough = new HistogramMeasurement(T0.plusSeconds(1).toString(), buckets(0, 0, 0), buckets(9, 992, 1000));
        records = AnalysisLedger.record(records, Map.of("latency-p99", enough), spec);
        assertThat(records.get(0).judge.boundary).isEqualTo(0.25);
    }

    /** Cumulative buckets le 0.1, 0.25 and +Inf. */
    private static java.util.SortedMap<Double, Double> buckets(double upTo100ms, double upTo250ms, double all) {
        return new java.util.TreeMap<>(Map.of(0.1, upTo100ms, 0.25, upTo250ms, Double.POSITIVE_INFINITY, all));
    }
}
