package dev.glidepath.strategy;

import dev.glidepath.analysis.StandardMetrics;
import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.MetricConventions;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The checks of {@code spec.analysis.standard} and {@code spec.analysis.conventions}. */
final class StandardMetricRules {
    private StandardMetricRules() {
    }

    /** Adds the problems found; returns the names of the metrics the standard rules add. */
    static Set<String> check(List<String> problems, AnalysisSpec analysis) {
        Set<String> added = new LinkedHashSet<>();
        if (analysis.standard != null) {
            for (int i = 0; i < analysis.standard.size(); i++) {
                String name = analysis.standard.get(i);
                String field = "spec.analysis.standard[" + i + "]";
                var rule = StandardMetrics.Rule.named(name);
                if (rule.isEmpty()) {
                    problems.add(field + ": '" + name + "' is not a standard metric (known: " + String.join(", ", StandardMetrics.Rule.names()) + ")");
                } else if (!added.add(rule.get().metricName())) {
                    problems.add(field + ": '" + name + "' is listed twice");
                }
            }
        }
        if (analysis.conventions != null && (analysis.standard == null || analysis.standard.isEmpty())) {
            // Most likely a standard list left out by mistake: say so rather than measure nothing of it.
            problems.add("spec.analysis.conventions: applies only to spec.analysis.standard, which is not set");
        }
        conventions(problems, analysis.conventions);
        return added;
    }

    private static void conventions(List<String> problems, MetricConventions c) {
        if (c == null) {
            return;
        }
        String field = "spec.analysis.conventions.";
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("requestsMetric", c.requestsMetric);
        metrics.put("durationHistogram", c.durationHistogram);
        metrics.forEach((name, value) -> {
            if (value != null && !value.matches(MetricConventions.METRIC_NAME)) {
                problems.add(field + name + ": '" + value + "' is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
            }
        });
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("namespaceLabel", c.namespaceLabel);
        labels.put("releaseLabel", c.releaseLabel);
        labels.put("revisionLabel", c.revisionLabel);
        labels.put("codeLabel", c.codeLabel);
        labels.forEach((name, value) -> {
            if (value != null && !value.matches(MetricConventions.LABEL_NAME)) {
                problems.add(field + name + ": '" + value + "' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
        });
        if (c.errorCodes != null) {
            if (!c.errorCodes.matches(MetricConventions.CODE_MATCHER)) {
                problems.add(field + "errorCodes: '" + c.errorCodes + "' may hold only letters, digits and _ . | ( ) [ ] * + ? -");
            } else {
                try {
                    Pattern.compile(c.errorCodes);
                } catch (PatternSyntaxException e) {
                    problems.add(field + "errorCodes: '" + c.errorCodes + "' is not a regular expression: " + e.getDescription());
                }
            }
        }
    }
}
