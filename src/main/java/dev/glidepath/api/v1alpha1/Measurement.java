package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One measurement of one metric: the evidence behind a promotion or a revert. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Measurement {
    @JsonPropertyDescription("When it was taken.")
    public String time;

    @JsonPropertyDescription("The value Prometheus returned (absent when there was none).")
    public Double value;

    @JsonPropertyDescription("Pass, Fail, Inconclusive, or (for a judged metric) Pending: still collecting evidence.")
    public String verdict;

    @JsonPropertyDescription("Why, for Fail and Inconclusive (e.g. 'above max 0.05', 'no traffic', 'connection refused').")
    public String reason;

    @JsonPropertyDescription("With threshold.maxStableRatio: the same query's value for the stable revision.")
    public Double stableValue;

    @JsonPropertyDescription("For a judged metric: the cumulative counts read.")
    public RequestCounts counts;

    @JsonPropertyDescription("For a judged metric: the evidence that the new revision is worse than tolerated (it fails at 1/alpha).")
    public Double evidenceWorse;

    @JsonPropertyDescription("For a judged metric: the evidence that it is not (it passes at 1/alpha).")
    public Double evidenceNotWorse;

    public Measurement() {
    }

    public Measurement(String time, Double value, String verdict, String reason) {
        this.time = time;
        this.value = value;
        this.verdict = verdict;
        this.reason = reason;
    }
}
