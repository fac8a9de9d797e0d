package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreenStrategy {
    @Pattern("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Name of a preview Service pointing at the new revision while it waits for the switch (optional).")
    public String previewService;

    @JsonPropertyDescription("Switch the stable Service automatically once the new revision is fully available (default true). When false, the rollout waits for a promote command.")
    public Boolean autoPromote;

    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "promoteAfter must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "promoteAfter " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("Wait this long after the new revision is fully available before switching (optional).")
    public String promoteAfter;

    @JsonPropertyDescription("A smoke test run against the preview before the switch; failure aborts the rollout.")
    public VerifySpec prePromotionVerify;

    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "scaleDownDelay must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "scaleDownDelay " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("Keep the old revision running this long after the switch, for an instant switch back (default 30s).")
    public String scaleDownDelay;
}
