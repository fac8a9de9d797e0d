package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How one analysis metric ended: the new revision next to the stable one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricSummary {
    @JsonPropertyDescription("The metric (spec.analysis.metrics[].name).")
    public String metric;

    @JsonPropertyDescription("The new revision's last value (an error rate for a judged metric).")
    public Double canary;

    @JsonPropertyDescription("The stable revision's value over the same time (judged metrics only).")
    public Double stable;

    @JsonPropertyDescription("The new revision against the stable one, e.g. '+12%' or '-3%' (judged metrics only).")
    public String change;

    @JsonPropertyDescription("The last verdict: Pass, Fail or Inconclusive.")
    public String verdict;
}
