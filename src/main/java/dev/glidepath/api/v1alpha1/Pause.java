package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Pause {
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "pause.duration must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "pause.duration " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("How long to wait. Leave out to wait for a promote command.")
    public String duration;
}
