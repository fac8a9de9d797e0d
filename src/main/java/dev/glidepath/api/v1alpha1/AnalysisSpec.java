package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Metrics measured while a new revision takes traffic; a breach reverts the rollout. The metrics measured are
 * those written in {@code metrics} and those {@code standard} asks for: read them through
 * {@code StandardMetrics.expand}, never from {@code metrics} alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.metrics) && size(self.metrics) > 0 || has(self.standard) && size(self.standard) > 0",
        message = "analysis: set metrics, standard or both")
public class AnalysisSpec {
    @Required
    @JsonPropertyDescription("Where to query.")
    public PrometheusSpec prometheus;

    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "analysis.interval must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "analysis.interval " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("How often each metric is measured (default 15s).")
    public String interval;

    @Min(1)
    @JsonPropertyDescription("Consecutive inconclusive measurements of one metric (Prometheus unreachable, an error, no data, NaN or Inf) after which onInconclusive applies (default 4).")
    public Integer inconclusiveLimit;

    @Pattern("^(Revert|Hold)$")
    @JsonPropertyDescription("What happens after inconclusiveLimit: Revert (default: fail closed, traffic back to stable) or Hold (stay where it is until measurements pass again).")
    public String onInconclusive;

    @JsonPropertyDescription("The metrics written here; every metric measured (these and the standard ones) must pass for a step to advance (see advance).")
    public List<MetricSpec> metrics;

    @JsonPropertyDescription("Standard metrics added by name, written from the metric convention (see conventions): errorRate (metric error-rate: the new revision's share of error responses judged against the stable revision's, tolerating 1.5x) and latency (metric latency-p99: the new revision's p99 request duration fails above twice the stable revision's).")
    public List<String> standard;

    @JsonPropertyDescription("The metric and label names the standard metrics are written with, where they differ from the defaults.")
    public MetricConventions conventions;

    @Pattern("^(OnPass|UnlessFailed)$")
    @JsonPropertyDescription("What a canary step with traffic waits for: OnPass (default: every metric passes, measured during the step) or UnlessFailed (the step advances in its own time unless a metric failed or holds; the metrics keep watching across steps and a Fail reverts at any moment; the final promotion still needs every metric to pass, or a judged metric at least its minRequests judged without failing).")
    public String advance;

    @JsonPropertyDescription("A watch window after the new revision takes 100%: the previous revision keeps running, ready for an instant revert, until the window passes cleanly.")
    public PostPromotionSpec postPromotion;
}
