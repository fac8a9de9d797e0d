package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the rollout in flight stands; everything a restarted operator needs to resume it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutProgress {
    @JsonPropertyDescription("Name of the Rollout resource recording this transition.")
    public String name;

    @JsonPropertyDescription("Update or Rollback.")
    public String reason;

    @JsonPropertyDescription("Revision traffic comes from.")
    public Integer fromRevision;

    @JsonPropertyDescription("Revision traffic goes to.")
    public Integer toRevision;

    @JsonPropertyDescription("Strategy the rollout runs with: BlueGreen, Canary or Direct.")
    public String strategy;

    @JsonPropertyDescription("When the rollout started.")
    public String startedAt;

    @JsonPropertyDescription("Canary step in progress (0-based); equal to the number of steps while the final 100% shift runs.")
    public Integer stepIndex;

    @JsonPropertyDescription("When the current step started.")
    public String stepStartedAt;

    @JsonPropertyDescription("Since when the rollout waits for the new revision to become available (the progress deadline runs from here).")
    public String waitingSince;

    @JsonPropertyDescription("Blue-green: when the new revision became fully available.")
    public String availableAt;

    @JsonPropertyDescription("Blue-green: when the stable Service was switched to the new revision.")
    public String switchedAt;

    @JsonPropertyDescription("When the next analysis measurement is due (kept on schedule: each is one interval after the previous due time).")
    public String nextMeasurementAt;

    @JsonPropertyDescription("When the post-promotion watch window started (the new revision took 100%).")
    public String promotedAt;

    @JsonPropertyDescription("The migration Job of the target revision succeeded.")
    public Boolean migrated;

    @JsonPropertyDescription("When the migration Job was started (its timeout runs from here).")
    public String migrationStartedAt;

    @JsonPropertyDescription("A promote command released the current pause (or, with full, every remaining step).")
    public Boolean promoted;

    @JsonPropertyDescription("A full promote was asked for.")
    public Boolean promotedFull;

    @JsonPropertyDescription("The rollout ran through a traffic router; if spec.trafficRouting is removed before it ends, the new revision's pods never give it a larger share than its step's weight.")
    public Boolean routed;
}
