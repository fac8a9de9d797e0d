package dev.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.MetricConventions;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.sandbox.Analyses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardMetricsTest {

    private static AnalysisSpec standard(String... rules) {
        AnalysisSpec a = new AnalysisSpec();
        a.standard = List.of(rules);
        return a;
    }

    private static MetricSpec written(String name) {
        return Analyses.upMetric(name);
    }

    @Test
    void errorRateIsTheStatisticalJudgeOnTheDefaultConvention() {
        MetricSpec m = StandardMetrics.expand(standard("errorRate")).get(0);

        assertThat(m.name).isEqualTo("error-rate");
        assertThat(m.query).isNull();
        assertThat(m.threshold).isNull();
        assertThat(m.judge.errors).isEqualTo("sum(http_requests_total{namespace=\"{{namespace}}\",glidepath_dev_release=\"{{release}}\","
                + "glidepath_dev_revision=\"{{revision}}\",code=~\"5..\"})");
        assertThat(m.judge.requests).isEqualTo("sum(http_requests_total{namespace=\"{{namespace}}\",glidepath_dev_release=\"{{release}}\","
                + "glidepath_dev_revision=\"{{revision}}\"})");
        assertThat(m.judge.maxRatio).isEqualTo(1.5);
        assertThat(m.judge.alpha).isNull();
        assertThat(m.judge.minRequests).isNull();
    }

    @Test
    void latencyIsTheLatencyJudgeOnTheStableRevisionsP99Bucket() {
        MetricSpec m = StandardMetrics.expand(standard("latency")).get(0);

        assertThat(m.name).isEqualTo("latency-p99");
        assertThat(m.query).isNull();
        assertThat(m.threshold).isNull();
        assertThat(m.judge.histogram).isEqualTo("sum by (le) (http_request_duration_seconds_bucket{"
                + "namespace=\"{{namespace}}\",glidepath_dev_release=\"{{release}}\",glidepath_dev_revision=\"{{revision}}\"})");
        assertThat(m.judge.errors).isNull();
        assertThat(m.judge.requests).isNull();
        assertThat(m.judge.quantile).isEqualTo(0.99);
        assertThat(m.judge.maxRatio).isEqualTo(2.0);
        assertThat(m.judge.maxErrorRate).isNull();
        assertThat(AnalysisLedger.minRequests(m.judge)).isEqualTo(1000);
    }

    @Test
    void everyConventionCanBeOverridden() {
        AnalysisSpec a = standard("errorRate", "latency");
        a.conventions = new MetricConventions();
        a.conventions.requestsMetric = "requests_count";
        a.conventions.durationHistogram = "app:latency_seconds";
        a.conventions.namespaceLabel = "kubernetes_namespace";
        a.conventions.releaseLabel = "app";
        a.conventions.revisionLabel = "rev";
        a.conventions.codeLabel = "status";
        a.conventions.errorCodes = "5..|429";

        List<MetricSpec> metrics = StandardMetrics.expand(a);

        assertThat(metrics.get(0).judge.errors).isEqualTo("sum(requests_count{kubernetes_namespace=\"{{namespace}}\",app=\"{{release}}\","
                + "rev=\"{{revision}}\",status=~\"5..|429\"})");
        assertThat(metrics.get(0).judge.requests).isEqualTo("sum(requests_count{kubernetes_namespace=\"{{namespace}}\",app=\"{{release}}\","
                + "rev=\"{{revision}}\"})");
        assertThat(metrics.get(1).judge.histogram).isEqualTo("sum by (le) (app:latency_seconds_bucket{"
                + "kubernetes_namespace=\"{{namespace}}\",app=\"{{release}}\",rev=\"{{revision}}\"})");
    }

    @Test
    void anUnsetOverrideKeepsItsDefault() {
        AnalysisSpec a = standard("errorRate");
        a.conventions = new MetricConventions();
        a.conventions.codeLabel = "status";

        assertThat(StandardMetrics.expand(a).get(0).judge.errors).isEqualTo("sum(http_requests_total{namespace=\"{{namespace}}\","
                + "glidepath_dev_release=\"{{release}}\",glidepath_dev_revision=\"{{revision}}\",status=~\"5..\"})");
    }

    @Test
    void writtenMetricsComeFirstThenTheStandardOnesInTheOrderAsked() {
        AnalysisSpec a = standard("latency", "errorRate", "latency", "restarts");
        a.metrics = new ArrayList<>(List.of(written("up")));

        assertThat(StandardMetrics.expand(a)).extracting(m -> m.name).containsExactly("up", "latency-p99", "error-rate");
    }

    @Test
    void theSpecIsNotChanged() {
        AnalysisSpec a = standard("errorRate");
        List<MetricSpec> written = new ArrayList<>(List.of(written("up")));
        a.metrics = written;

        StandardMetrics.expand(a);

        assertThat(a.metrics).isSameAs(written).extracting(m -> m.name).containsExactly("up");
        assertThat(a.standard).containsExactly("errorRate");
    }

    @Test
    void withoutStandardTheWrittenMetricsAreMeasured() {
        AnalysisSpec a = new AnalysisSpec();
        a.metrics = List.of(written("up"));

        assertThat(StandardMetrics.expand(a)).extracting(m -> m.name).containsExactly("up");
        assertThat(StandardMetrics.expand(null)).isEmpty();
    }

    @Test
    void theStandardQueriesAreSafeTemplates() {
        for (MetricSpec m : StandardMetrics.expand(standard("errorRate", "latency"))) {
            if (m.judge != null && m.judge.histogram != null) {
                assertThat(QueryTemplate.problems(m.judge.histogram, QueryTemplate.COUNT_PLACEHOLDERS)).isEmpty();
            } else if (m.judge != null) {
                assertThat(QueryTemplate.problems(m.judge.errors, QueryTemplate.COUNT_PLACEHOLDERS)).isEmpty();
                assertThat(QueryTemplate.problems(m.judge.requests, QueryTemplate.COUNT_PLACEHOLDERS)).isEmpty();
            } else {
                assertThat(QueryTemplate.problems(m.query)).isEmpty();
            }
        }
    }
}
