package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What a judged metric carries from one measurement to the next: the counts last read and the evidence so far. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JudgeEvidence {
    @JsonPropertyDescription("With histogram: the bucket boundary (le, in the histogram's unit) chosen from the stable revision's"
            + " buckets at the first measurement; requests slower than it count as failed for the rest of the rollout.")
    public Double boundary;

    @JsonPropertyDescription("The cumulative counts read at the last measurement (the baseline of the next interval).")
    public RequestCounts last;

    @JsonPropertyDescription("The requests and errors judged since the first measurement.")
    public RequestCounts judged;

    @JsonPropertyDescription("The number of intervals judged (it sets the weight of a comparison started at the next one).")
    public Long intervals;

    @JsonPropertyDescription("Per alternative worse than the tolerance, the log of the evidence that the new revision became"
            + " worse (a weighted sum of likelihood-ratio products started at each interval).")
    public List<Double> worse;

    @JsonPropertyDescription("Log-likelihood ratios of the alternatives better than the tolerance.")
    public List<Double> better;

    @JsonPropertyDescription("With maxErrorRate: the same evidence for error rates above it.")
    public List<Double> worseAbsolute;

    @JsonPropertyDescription("With maxErrorRate: log-likelihood ratios of error rates below it.")
    public List<Double> betterAbsolute;
}
