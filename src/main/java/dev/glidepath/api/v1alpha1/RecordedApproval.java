package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An approval that let a rollout start: who, for which role, when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecordedApproval {
    @JsonPropertyDescription("The role approved for.")
    public String role;

    @JsonPropertyDescription("The approver's username, as the API server authenticated it.")
    public String approver;

    @JsonPropertyDescription("When the Approval was created.")
    public String at;

    @JsonPropertyDescription("The Approval resource.")
    public String approval;

    @JsonPropertyDescription("The approver's comment.")
    public String comment;
}
