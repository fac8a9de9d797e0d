package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the operator made of an Approval. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalStatus {
    @JsonPropertyDescription("True when it counts for its role and revision; false when refused (see message).")
    public Boolean counted;

    @JsonPropertyDescription("Why it counts or not, e.g. that the approver may not approve for the role (SubjectAccessReview).")
    public String message;

    @JsonPropertyDescription("When the operator last checked it.")
    public String checkedAt;
}
