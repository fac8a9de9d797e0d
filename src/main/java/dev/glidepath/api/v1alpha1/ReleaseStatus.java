package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = TolerantDeserializer.ReleaseStatuses.class)
public class ReleaseStatus extends MaybeUnreadable {
    @JsonPropertyDescription("The spec generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Healthy, Progressing, Paused, AwaitingApproval, AwaitingPromotion, WaitingForWindow, Frozen, Degraded or RolledBack.")
    public String phase;

    @JsonPropertyDescription("Human-readable summary of what Glidepath is doing and why.")
    public String message;

    @JsonPropertyDescription("Version of the revision the spec asks for.")
    public String version;

    @JsonPropertyDescription("BlueGreen or Canary.")
    public String strategy;

    @JsonPropertyDescription("Revision the stable Service sends traffic to.")
    public Integer stableRevision;

    @JsonPropertyDescription("Revision being rolled out, or the stable one when nothing is in flight.")
    public Integer currentRevision;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Canary weight in percent of the new revision (0 when no canary is in flight).")
    public Integer canaryWeight;

    @JsonPropertyDescription("The adoption of spec.adopt.deployment, once started.")
    public AdoptionStatus adoption;

    @StatusReplicas
    @JsonPropertyDescription("Available pods of the Release, all revisions together (the scale subresource's replicas).")
    public Integer replicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of all the Release's pods, for the scale subresource (an autoscaler averages its metrics over them).")
    public String selector;

    @JsonPropertyDescription("With trafficRouting: the canary Service, selecting the new revision's pods during a rollout (the stable revision's otherwise).")
    public String canaryService;

    @JsonPropertyDescription("When the stable revision became stable (its rollout, post-promotion window included, ended): a downstream Release's soak counts from here.")
    public String stableSince;
    @JsonPropertyDescription("The Rollout that made the stable revision stable.")
    public String stableRollout;
    @JsonPropertyDescription("The Freeze holding this Release's rollout (before it starts, or before its next step), and why.")
    public String frozenBy;

    @JsonPropertyDescription("The deployment type of the rollout in flight, waiting, or last run: Standard, Hotfix, Rollback or Scheduled.")
    public String deploymentType;

    @Size(max = 10)
    @JsonPropertyDescription("What held the next revision before it started (approval, a window, upstream, a freeze) and since when; copied into its Rollout's timeline when it starts.")
    public List<TimelineEntry> waitedFor;

    @JsonPropertyDescription("Index of the canary step in progress (0-based).")
    public Integer currentStep;

    @JsonPropertyDescription("Standard conditions: Available, Progressing, Degraded (and InvalidSpec when the spec cannot be acted on).")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Known revisions, newest first, bounded by revisionHistoryLimit.")
    public List<RevisionRecord> revisions = new ArrayList<>();

    @JsonPropertyDescription("The rollout in flight, if any.")
    public RolloutProgress rollout;

    @JsonPropertyDescription("Ids of the one-shot commands already handled.")
    public HandledCommands handledCommands;

    @JsonPropertyDescription("Sequence number of the last Rollout created for this Release.")
    public Integer rolloutCount;

    @Min(0)
    @Max(2147483647)
    @JsonPropertyDescription("The highest revision number given so far: numbers are never given twice, so an approval of a revision never counts for another template.")
    public Integer lastRevision;
}
