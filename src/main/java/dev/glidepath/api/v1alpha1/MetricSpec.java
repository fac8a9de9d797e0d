package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricSpec {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the metric, shown in status, events and revert messages.")
    public String name;

    @Required
    @JsonPropertyDescription("PromQL returning one number. Placeholders, each used inside a double-quoted label value: {{release}}, {{namespace}}, {{newRevision}}, {{stableRevision}}, {{version}}.")
    public String query;

    @Required
    @JsonPropertyDescription("The passing range: max and/or min.")
    public Threshold threshold;

    @Min(0)
    @JsonPropertyDescription("Failing measurements tolerated before the rollout is reverted (default 0: the first failure reverts).")
    public Integer failureLimit;

    @JsonPropertyDescription("When the query returns no sample because the new revision got no requests: Inconclusive (default) or Pass.")
    @Pattern("^(Inconclusive|Pass)$")
    public String noTraffic;
}
