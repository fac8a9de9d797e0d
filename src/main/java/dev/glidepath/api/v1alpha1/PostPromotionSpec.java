package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostPromotionSpec {
    @Required
    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "postPromotion.duration must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "postPromotion.duration " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("How long to keep measuring after the new revision takes 100%.")
    public String duration;
}
