package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.PrometheusSpec;
import dev.glidepath.api.v1alpha1.Threshold;
import java.util.List;

/** Analysis specs for tests, the demo and the benchmarks, with the README's error-rate and p99 queries. */
public final class Analyses {
    private static final String NEW_REVISION = "namespace=\"{{namespace}}\",glidepath_dev_release=\"{{release}}\","
            + "glidepath_dev_revision=\"{{newRevision}}\"";

    private Analyses() {
    }

    public static AnalysisSpec of(String address, String interval, MetricSpec... metrics) {
        AnalysisSpec a = new AnalysisSpec();
        a.prometheus = new PrometheusSpec();
        a.prometheus.address = address;
        a.prometheus.timeout = "2s";
        a.interval = interval;
        a.metrics = List.of(metrics);
        return a;
    }

    /** Share of 5xx responses of the new revision over the window. */
    public static MetricSpec errorRate(String window, double max) {
        return metric("error-rate", "sum(rate(http_requests_total{" + NEW_REVISION + ",code=~\"5..\"}[" + window + "]))"
                + " / sum(rate(http_requests_total{" + NEW_REVISION + "}[" + window + "]))", max);
    }

    /** 99th percentile latency of the new revision, in seconds. */
    public static MetricSpec p99Latency(String window, double max) {
        return metric("p99-latency", "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{"
                + NEW_REVISION + "}[" + window + "])))", max);
    }

    public static MetricSpec metric(String name, String query, double max) {
        MetricSpec m = new MetricSpec();
        m.name = name;
        m.query = query;
        m.threshold = new Threshold();
        m.threshold.max = max;
        return m;
    }

    /** A hand-written metric: the Release's target is up ({@code up} at least 1). */
    public static MetricSpec upMetric(String name) {
        MetricSpec m = new MetricSpec();
        m.name = name;
        m.query = "up{job=\"{{release}}\"}";
        m.threshold = new Threshold();
        m.threshold.min = 1.0;
        return m;
    }
}
