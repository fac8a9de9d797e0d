package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromoteCommand extends Command {
    @JsonPropertyDescription("Skip every remaining step and analysis wait: the new revision takes 100% now.")
    public Boolean full;
}
