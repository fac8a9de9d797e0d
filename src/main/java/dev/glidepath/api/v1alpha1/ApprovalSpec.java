package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalSpec {
    @JsonPropertyDescription("When true, a new revision is not rolled out (phase AwaitingApproval) until approvedRevision names it. Rollbacks and aborts never wait.")
    public Boolean required;

    @Min(1)
    @JsonPropertyDescription("The revision approved for rollout (see status.currentRevision). Approving an older revision does not approve a newer one.")
    public Integer approvedRevision;
}
