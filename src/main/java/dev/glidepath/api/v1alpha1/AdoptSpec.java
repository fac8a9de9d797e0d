package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdoptSpec {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @JsonPropertyDescription("A Deployment in the Release's namespace that serves the application today. The Release's first revision comes up next to it; an existing Service named spec.service.name is taken over once that revision is available; then this Deployment is scaled to zero (kept, not deleted).")
    public String deployment;
}
