package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.MetricConventions;
import dev.glidepath.api.v1alpha1.MetricSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The metrics an analysis measures: those written in {@code metrics}, then those {@code standard} asks for,
 * written from the metric convention (its defaults, or {@code conventions}). Every reader of an analysis (the
 * measurement rounds, the ledger of verdicts, the views) goes through {@link #expand}, so a standard metric is
 * an ordinary one everywhere. Pure: the spec is never changed.
 */
public final class StandardMetrics {

    /** A standard metric: the name it is asked for by in {@code standard}, and the name of the metric it adds. */
    public enum Rule {
        ERROR_RATE("errorRate", "error-rate"),
        LATENCY("latency", "latency-p99");

        private final String ruleName;
        private final String metricName;

        Rule(String ruleName, String metricName) {
            this.ruleName = ruleName;
            this.metricName = metricName;
        }

        public String ruleName() {
            return ruleName;
        }

        public String metricName() {
            return metricName;
        }

        public static Optional<Rule> named(String name) {
            return Arrays.stream(values()).filter(r -> r.ruleName.equals(name)).findFirst();
        }

        public static List<String> names() {
            return Arrays.stream(values()).map(Rule::ruleName).toList();
        }
    }

    /** The names the standard metrics are written with, every default filled in. */
    public record Convention(String requestsMetric, String durationHistogram, String namespaceLabel, String releaseLabel,
            String revisionLabel, String codeLabel, String errorCodes) {
        public static final Convention DEFAULT = new Convention("http_requests_total", "http_request_duration_seconds",
                "namespace", "glidepath_dev_release", "glidepath_dev_revision", "code", "5..");

        static Convention of(MetricConventions c) {
            if (c == null) {
                return DEFAULT;
            }
            return new Convention(or(c.requestsMetric, DEFAULT.requestsMetric), or(c.durationHistogram, DEFAULT.durationHistogram),
                    or(c.namespaceLabel, DEFAULT.namespaceLabel), or(c.releaseLabel, DEFAULT.releaseLabel),
                    or(c.revisionLabel, DEFAULT.revisionLabel), or(c.codeLabel, DEFAULT.codeLabel), or(c.errorCodes, DEFAULT.errorCodes));
        }

        /** The label matchers selecting one revision of the Release, the revision given as a placeholder. */
        private String revision(String placeholder) {
            return namespaceLabel + "=\"{{namespace}}\"," + releaseLabel + "=\"{{release}}\"," + revisionLabel + "=\"{{" + placeholder + "}}\"";
        }
    }

    public static final double ERROR_RATE_MAX_RATIO = JudgeSpec.DEFAULT_MAX_RATIO;
    public static final double LATENCY_QUANTILE = 0.99;
    public static final double LATENCY_MAX_RATIO = 2;

    private StandardMetrics() {
    }

    /**
     * The metrics measured: those written, in their order, then the standard ones in the order asked for. A
     * standard name that is not known adds nothing (the validator refuses it).
     */
    public static List<MetricSpec> expand(AnalysisSpec analysis) {
        if (analysis == null) {
            return List.of();
        }
        List<MetricSpec> metrics = new ArrayList<>();
        if (analysis.metrics != null) {
            metrics.addAll(analysis.metrics);
        }
        if (analysis.standard != null) {
            Convention convention = Convention.of(analysis.conventions);
            analysis.standard.stream().distinct().flatMap(name -> Rule.named(name).stream())
                    .map(rule -> metric(rule, convention)).forEach(metrics::add);
        }
        return List.copyOf(metrics);
    }

    /** The metric a standard rule adds, written with the convention. */
    public static MetricSpec metric(Rule rule, Convention c) {
        MetricSpec m = new MetricSpec();
        m.name = rule.metricName();
        switch (rule) {
            case ERROR_RATE -> {
                m.judge = new JudgeSpec();
                m.judge.errors = "sum(" + c.requestsMetric() + "{" + c.revision("revision") + "," + c.codeLabel() + "=~\""
                        + c.errorCodes() + "\"})";
                m.judge.requests = "sum(" + c.requestsMetric() + "{" + c.revision("revision") + "})";
                m.judge.maxRatio = ERROR_RATE_MAX_RATIO;
            }
            case LATENCY -> {
                // p99 above twice the stable revision's, judged on counts: the new revision's share of requests
                // slower than the stable revision's p99 bucket may be up to twice the stable revision's share.
                m.judge = new JudgeSpec();
                m.judge.histogram = "sum by (le) (" + c.durationHistogram() + "_bucket{" + c.revision("revision") + "})";
                m.judge.quantile = LATENCY_QUANTILE;
                m.judge.maxRatio = LATENCY_MAX_RATIO;
            }
        }
        return m;
    }

    private static String or(String value, String otherwise) {
        return value == null ? otherwise : value;
    }
}
