package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A one-shot command; the operator handles each id once, so re-applying the same manifest does nothing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Command {
    @Required
    @Size(min = 1, max = 128)
    @JsonPropertyDescription("Any string that is new for this command, e.g. a timestamp. A command whose id was already handled is ignored.")
    public String id;
}
