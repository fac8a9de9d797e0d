package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A hotfix: one revision, with a reason, that goes the expedited way. It may start outside the deployment windows
 * and past a Freeze that allows overrides, without the promotion soak; it needs the hotfix roles' approvals.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HotfixSpec {
    @Required
    @Min(1)
    @Max(2147483647)
    @JsonPropertyDescription("The revision that is a hotfix (status.currentRevision once the fix is in spec.template).")
    public Integer revision;

    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("Why, e.g. an incident number; recorded in the Events and the Rollout.")
    public String reason;
}
