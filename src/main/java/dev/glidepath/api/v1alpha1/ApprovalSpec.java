package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Who must approve a new revision before it starts. Either by revision number in the spec ({@code required} and
 * {@code approvedRevision}: anyone who can patch the Release approves), or by {@code roles}: Approval resources
 * from people the API server authenticated and RBAC allows, one role per person, for each deployment type.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalSpec {
    @JsonPropertyDescription("When true, a new revision is not rolled out (phase AwaitingApproval) until approvedRevision names it. Rollbacks and aborts never wait.")
    public Boolean required;

    @Min(1)
    @JsonPropertyDescription("The revision approved for rollout (see status.currentRevision). Approving an older revision does not approve a newer one.")
    public Integer approvedRevision;

    @JsonPropertyDescription("The roles whose Approvals a new revision needs, by deployment type (Standard, Hotfix, Scheduled; a Rollback never waits). One person counts for one role only.")
    public Roles roles;

    /** Roles needed by deployment type. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Roles {
        @Size(max = 8)
        @JsonPropertyDescription("Roles for a standard update, e.g. [manager].")
        public List<@Size(max = 63) @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String> standard;

        @Size(max = 8)
        @JsonPropertyDescription("Roles for a hotfix (spec.hotfix names the revision), e.g. [manager, security].")
        public List<@Size(max = 63) @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String> hotfix;

        @Size(max = 8)
        @JsonPropertyDescription("Roles for a scheduled update (one that runs inside spec.windows); default: those of standard.")
        public List<@Size(max = 63) @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String> scheduled;
    }
}
