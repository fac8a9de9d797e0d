package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** What a new revision changes, in words, for the deployment record (copied into its Rollout). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChangeSpec {
    @Size(max = 2048)
    @JsonPropertyDescription("A summary of the change, e.g. the release notes' first lines.")
    public String summary;

    @Size(max = 2048)
    @Pattern("^https?://.+$")
    @JsonPropertyDescription("A link to the change: a pull request, a ticket, release notes.")
    public String link;
}
