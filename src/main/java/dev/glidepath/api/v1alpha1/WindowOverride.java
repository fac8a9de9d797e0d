package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** The hotfix override: lets one revision start outside the deployment windows (approval still applies). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WindowOverride {
    @Min(1)
    @JsonPropertyDescription("The revision allowed to start outside the deployment windows.")
    public Integer revision;

    @JsonPropertyDescription("Why (recorded in the Event), e.g. an incident number.")
    public String reason;
}
