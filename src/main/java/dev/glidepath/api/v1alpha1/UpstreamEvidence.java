package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Why a promoted revision was allowed to start: the upstream Release it proved itself in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpstreamEvidence {
    @JsonPropertyDescription("The cluster of the upstream Release, when in another cluster (its configured name).")
    public String cluster;
    @JsonPropertyDescription("Namespace of the upstream Release.")
    public String namespace;
    @JsonPropertyDescription("Name of the upstream Release.")
    public String release;
    @JsonPropertyDescription("Its revision running the same images.")
    public Integer revision;
    @JsonPropertyDescription("The Rollout that made that revision stable upstream.")
    public String rollout;
    @JsonPropertyDescription("Since when it ran them Healthy.")
    public String since;
    @JsonPropertyDescription("With requireAnalysis: the requests judged by the upstream Rollout's analysis (the fewest of its judged metrics), all its verdicts Pass.")
    public Long requestsJudged;
    @JsonPropertyDescription("Set when the soak was skipped by spec.promotion.skipSoak: its reason.")
    public String soakSkipped;
}
