package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.max) || has(self.min) || has(self.maxStableRatio)",
        message = "threshold: set max, min, maxStableRatio or several")
public class Threshold {
    @JsonPropertyDescription("A measurement above this fails.")
    public Double max;

    @JsonPropertyDescription("A measurement below this fails.")
    public Double min;

    @JsonPropertyDescription("A measurement above this multiple of the same query evaluated for the stable revision at the same time ({{newRevision}} replaced by the stable revision) fails, e.g. 2 for 'p99 latency more than 2x normal'.")
    public Double maxStableRatio;
}
