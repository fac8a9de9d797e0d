package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.MetricSummary;
import dev.glidepath.api.v1alpha1.Rollout;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an upstream Rollout's analysis shows ({@code spec.promotion.from[].requireAnalysis}): whether any verdict was
 * Fail or Inconclusive (its failures, its kept measurements, its summary), and how many requests its judged metrics
 * judged (the fewest of them). A Rollout without a judged metric judged none.
 */
record UpstreamAnalysis(Optional<String> badVerdict, long requestsJudged) {
    private static final Set<String> BAD = Set.of("Fail", "Inconclusive");

    static UpstreamAnalysis of(Rollout rollout) {
        var status = rollout.getStatus();
        List<MetricRecord> metrics = status == null || status.analysis == null ? List.of() : status.analysis;
        List<MetricSummary> summary = status == null || status.summary == null ? List.of() : status.summary;
        Optional<String> bad = Optional.empty();
        for (MetricRecord m : metrics) {
            if (m.failures != null && m.failures > 0) {
                bad = Optional.of("metric " + m.name + " failed " + m.failures + " time(s)");
                break;
            }
            Optional<Measurement> verdict = m.measurements == null ? Optional.empty()
                    : m.measurements.stream().filter(x -> BAD.contains(x.verdict)).findFirst();
            if (verdict.isPresent()) {
                bad = Optional.of("metric " + m.name + " was " + verdict.get().verdict
                        + (verdict.get().reason == null ? "" : " (" + verdict.get().reason + ")") + " at " + verdict.get().time);
                break;
            }
        }
        if (bad.isEmpty()) {
            bad = summary.stream().filter(s -> BAD.contains(s.verdict)).findFirst().map(s -> "metric " + s.metric + " ended " + s.verdict);
        }
        long judged = metrics.stream().filter(m -> m.judge != null)
                .mapToLong(m -> m.judge.judged == null || m.judge.judged.newRequests == null ? 0 : m.judge.judged.newRequests.longValue())
                .min().orElse(0);
        return new UpstreamAnalysis(bad, judged);
    }
}
