package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The spec of an Approval: who approves which revision of which Release, for which role. Immutable once created. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Signoff {
    @Required
    @Size(min = 1, max = 63)
    @JsonPropertyDescription("The Release (in this namespace).")
    public String release;

    @Required
    @Min(1)
    @Max(2147483647)
    @JsonPropertyDescription("The revision approved (status.currentRevision of the Release); it counts for this revision and no other.")
    public Integer revision;

    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("The role approved for, e.g. manager or security (spec.approval.roles of the Release names those needed).")
    public String role;

    @Size(max = 1024)
    @JsonPropertyDescription("Why, e.g. a change ticket or what was reviewed.")
    public String comment;

    @Required
    @JsonPropertyDescription("Who approves: must be the identity that creates the Approval (the admission policy glidepath-approval-identity checks it against the request's user).")
    public Approver approver;

    /** The approver's identity as the API server authenticated it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Approver {
        @Required
        @Size(min = 1, max = 512)
        @JsonPropertyDescription("The username (kubectl auth whoami).")
        public String username;

        @Size(max = 256)
        @JsonPropertyDescription("The user's UID, when the authenticator gives one.")
        public String uid;

        @Size(max = 64)
        @JsonPropertyDescription("The user's groups, exactly as authenticated (kubectl auth whoami).")
        public List<@Size(max = 256) String> groups;
    }
}
