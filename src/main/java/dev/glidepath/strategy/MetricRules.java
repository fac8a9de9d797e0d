package dev.glidepath.strategy;

import dev.glidepath.analysis.QueryTemplate;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.MetricSpec;
import java.util.List;

/** The checks of one analysis metric: a query with its threshold, or a judge with its count queries. */
final class MetricRules {
    private MetricRules() {
    }

    static void check(List<String> problems, String field, MetricSpec m) {
        if (m.judge != null) {
            if (m.query != null || m.threshold != null) {
                problems.add(field + ": set either query and threshold, or judge");
            }
            judge(problems, field + ".judge", m.judge);
            return;
        }
        for (String p : QueryTemplate.problems(m.query)) {
            problems.add(field + ".query: " + p);
        }
        var t = m.threshold;
        if (t == null || (t.max == null && t.min == null && t.maxStableRatio == null)) {
            problems.add(field + ".threshold: set max, min, maxStableRatio or several");
        } else if (t.max != null && t.min != null && t.min > t.max) {
            problems.add(field + ".threshold: min " + t.min + " is above max " + t.max);
        } else if (t.maxStableRatio != null && !(t.maxStableRatio > 0)) {
            problems.add(field + ".threshold.maxStableRatio: must be above 0, got " + t.maxStableRatio);
        }
        if (t != null && t.maxStableRatio != null && m.query != null && !m.query.contains("{{newRevision}}")) {
            problems.add(field + ".query: with threshold.maxStableRatio it must use {{newRevision}}, which is replaced by the stable"
                    + " revision for the comparison");
        }
    }

    private static void judge(List<String> problems, String field, JudgeSpec j) {
        if (j.histogram != null) {
            if (j.errors != null || j.requests != null) {
                problems.add(field + ".histogram: set either errors and requests, or histogram");
            }
            count(problems, field + ".histogram", j.histogram);
            if (j.maxErrorRate != null) {
                problems.add(field + ".maxErrorRate: applies to errors, not to histogram");
            }
        } else {
            if (j.errors == null && j.requests == null) {
                problems.add(field + ": set errors and requests, or histogram");
            }
            count(problems, field + ".errors", j.errors);
            count(problems, field + ".requests", j.requests);
            if (j.quantile != null) {
                problems.add(field + ".quantile: needs histogram");
            }
        }
        if (j.quantile != null && !(j.quantile >= 0.5 && j.quantile <= 0.9999)) {
            problems.add(field + ".quantile: must be between 0.5 and 0.9999, got " + j.quantile);
        }
        if (j.maxRatio != null && !(j.maxRatio >= 1 && j.maxRatio <= 1000)) {
            problems.add(field + ".maxRatio: must be between 1 and 1000, got " + j.maxRatio);
        }
        if (j.maxErrorRate != null && !(j.maxErrorRate > 0 && j.maxErrorRate < 1)) {
            problems.add(field + ".maxErrorRate: must be above 0 and below 1, got " + j.maxErrorRate);
        }
        if (j.alpha != null && !(j.alpha >= 0.0001 && j.alpha <= 0.2)) {
            problems.add(field + ".alpha: must be between 0.0001 and 0.2, got " + j.alpha);
        }
        if (j.minRequests != null && j.minRequests < 1) {
            problems.add(field + ".minRequests: must be 1 or more, got " + j.minRequests);
        }
    }

    private static void count(List<String> problems, String field, String query) {
        for (String p : QueryTemplate.problems(query, QueryTemplate.COUNT_PLACEHOLDERS)) {
            problems.add(field + ": " + p);
        }
        if (query != null && !query.isBlank() && !query.contains("{{revision}}")) {
            problems.add(field + ": must use {{revision}} (it is evaluated for the new and for the stable revision)");
        }
    }
}
