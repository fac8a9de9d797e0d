package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** When new rollouts may start: some days of the week, between two local times, in a time zone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentWindow {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Days of the week the window opens: Mon, Tue, Wed, Thu, Fri, Sat, Sun.")
    public List<String> days;

    @Required
    @Pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")
    @JsonPropertyDescription("Local opening time, HH:MM.")
    public String start;

    @Required
    @Pattern("^([01][0-9]|2[0-4]):[0-5][0-9]$")
    @JsonPropertyDescription("Local closing time, HH:MM; earlier than start means the window runs past midnight.")
    public String end;

    @JsonPropertyDescription("IANA time zone of start and end, e.g. Europe/Berlin (default UTC). Daylight-saving changes are followed.")
    public String timeZone;
}
