package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.judge) ? !has(self.query) && !has(self.threshold) : has(self.query) && has(self.threshold)",
        message = "a metric sets either query and threshold, or judge")
public class MetricSpec {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the metric, shown in status, events and revert messages.")
    public String name;

    @JsonPropertyDescription("PromQL returning one number. Placeholders, each used inside a double-quoted label value: {{release}}, {{namespace}}, {{newRevision}}, {{stableRevision}}, {{version}}.")
    public String query;

    @JsonPropertyDescription("The passing range: max and/or min, and/or at most a multiple of the same query for the stable revision.")
    public Threshold threshold;

    @JsonPropertyDescription("Instead of query and threshold: compare the new revision's error rate (or, with judge.histogram, its share of slow requests) with the stable revision's by a sequential statistical test on counts.")
    public JudgeSpec judge;

    @Min(0)
    @JsonPropertyDescription("Failing measurements tolerated before the rollout is reverted (default 0: the first failure reverts).")
    public Integer failureLimit;

    @JsonPropertyDescription("When the query returns no sample because the new revision got no requests: Inconclusive (default) or Pass.")
    @Pattern("^(Inconclusive|Pass)$")
    public String noTraffic;
}
