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

    @JsonPropertyDescription("Pass, Fail or Inconclusive.")
    public String verdict;

    @JsonPropertyDescription("Why, for Fail and Inconclusive (e.g. 'above max 0.05', 'no traffic', 'connection refused').")
    public String reason;

    public Measurement() {
    }

    public Measurement(String time, Double value, String verdict, String reason) {
        this.time = time;
        this.value = value;
        this.verdict = verdict;
        this.reason = reason;
    }
}
