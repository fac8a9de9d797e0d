package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackCommand extends Command {
    @Required
    @Min(1)
    @JsonPropertyDescription("Number of the retained revision to roll back to (see status.revisions).")
    public Integer revision;
}
