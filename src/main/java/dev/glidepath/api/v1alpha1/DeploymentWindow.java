package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * When new rollouts may start: some days of the week, between two local times, in a time zone; and the dates
 * they may not (blackouts), which win over any window. An entry may hold only blackouts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentWindow {
    @Size(min = 1)
    @JsonPropertyDescription("Days of the week the window opens: Mon, Tue, Wed, Thu, Fri, Sat, Sun (with start and end; absent in an entry of blackouts only).")
    public List<String> days;

    @Pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")
    @JsonPropertyDescription("Local opening time, HH:MM.")
    public String start;

    @Pattern("^([01][0-9]|2[0-4]):[0-5][0-9]$")
    @JsonPropertyDescription("Local closing time, HH:MM; earlier than start means the window runs past midnight.")
    public String end;

    @JsonPropertyDescription("IANA time zone of start, end and the blackout dates, e.g. Europe/Berlin (default UTC). Daylight-saving changes are followed.")
    public String timeZone;

    @Size(max = 366)
    @JsonPropertyDescription("Whole local days on which no rollout starts, whatever the windows say: YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD (inclusive).")
    public List<@Pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}(\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2})?$") String> blackoutDates;

    @io.fabric8.generator.annotation.Min(1)
    @io.fabric8.generator.annotation.Max(28)
    @JsonPropertyDescription("The last N days of every month (1 to 28) are blackout days.")
    public Integer blackoutLastDaysOfMonth;
}
