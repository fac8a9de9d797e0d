package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStrategy {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Steps run in order; after the last one the new revision takes 100%. Each step is either setWeight or pause.")
    public List<CanaryStep> steps;
}
