package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One moment of a rollout's life, for the deployment record. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimelineEntry {
    @JsonPropertyDescription("When.")
    public String at;

    @JsonPropertyDescription("What happened, e.g. 'waiting for approval: security', 'approved', 'step 1: setWeight 20', 'promoted'.")
    public String what;

    public TimelineEntry() {
    }

    public TimelineEntry(String at, String what) {
        this.at = at;
        this.what = what;
    }
}
