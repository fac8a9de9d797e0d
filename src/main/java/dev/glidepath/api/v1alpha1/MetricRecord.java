package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The recent measurements of one metric in a Rollout, newest last, bounded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricRecord {
    public String name;

    @JsonPropertyDescription("Failing measurements so far in this rollout.")
    public Integer failures;

    @JsonPropertyDescription("Inconclusive measurements in a row, up to now.")
    public Integer consecutiveInconclusive;

    @JsonPropertyDescription("For a judged metric: the evidence carried from one measurement to the next.")
    public JudgeEvidence judge;

    @JsonPropertyDescription("The most recent measurements, newest last.")
    public List<Measurement> measurements = new ArrayList<>();
}
