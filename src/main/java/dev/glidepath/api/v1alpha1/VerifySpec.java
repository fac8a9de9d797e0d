package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A smoke test: a Job run against the new revision; success passes, failure aborts and reverts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerifySpec {
    @Required
    @PreserveUnknownFields
    @SchemaFrom(type = JobPodTemplate.Unchecked.class)
    @JsonPropertyDescription("Pod template of the smoke-test Job. It gets GLIDEPATH_TARGET_ADDRESS (the preview Service, or the stable Service for a canary) and GLIDEPATH_TARGET_SELECTOR (the new revision's pod labels). "
            + JobPodTemplate.CHECKED_BY_GLIDEPATH)
    public JobPodTemplate template;

    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "verify.timeout must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "verify.timeout " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("How long the smoke test may run (default 5m); then it counts as failed.")
    public String timeout;
}
