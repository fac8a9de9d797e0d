package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.max) || has(self.min)", message = "threshold: set max, min or both")
public class Threshold {
    @JsonPropertyDescription("A measurement above this fails.")
    public Double max;

    @JsonPropertyDescription("A measurement below this fails.")
    public Double min;
}
