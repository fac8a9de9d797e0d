package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** A webhook told about a Release's rollouts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationSpec {
    @Required
    @JsonPropertyDescription("Name of this target, used in Events (the URL never is).")
    public String name;

    @Required
    @JsonPropertyDescription("Secret in the Release's namespace whose key `url` holds the webhook URL (read by name; never logged). Used only when the Secret carries the label glidepath.dev/credentials=true and the URL is allowed by the operator's configuration (glidepath.allowed-webhook-urls).")
    public String secretName;

    @JsonPropertyDescription("Which events to send: started, awaitingApproval, promoted, reverted, failed, succeeded, and the deployment record's notices scheduled (waiting for a window), completed and rolledBack. Empty: all.")
    public List<String> events;

    @Pattern("^(Generic|Slack)$")
    @JsonPropertyDescription("Generic (a JSON document) or Slack (a Slack-compatible message). Default Generic.")
    public String format;
}
