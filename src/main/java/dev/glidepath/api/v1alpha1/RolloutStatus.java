package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = TolerantDeserializer.RolloutStatuses.class)
public class RolloutStatus extends MaybeUnreadable {
    @JsonPropertyDescription("Progressing, Paused, Succeeded, Aborted, Failed, RolledBack or Superseded.")
    public String phase;

    @JsonPropertyDescription("Canary step in progress (0-based).")
    public Integer currentStep;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Canary weight of the target revision in percent.")
    public Integer weight;

    public String startedAt;

    public String finishedAt;

    @JsonPropertyDescription("Why the rollout is where it is, or why it ended as it did.")
    public String message;

    @JsonPropertyDescription("Recent measurements of each analysis metric: why the rollout was promoted or reverted.")
    public List<MetricRecord> analysis;

    @JsonPropertyDescription("One record per step: what, when, outcome.")
    public List<StepRecord> steps = new ArrayList<>();

    @Size(max = 40)
    @JsonPropertyDescription("The deployment record's timeline: waiting for approval, a window or upstream, approved, migration, each step, promoted, the monitoring window over (at most 40 entries; the last ones are kept).")
    public List<TimelineEntry> timeline;

    @JsonPropertyDescription("How long it ran, from startedAt to finishedAt, e.g. 4m30s.")
    public String duration;

    @JsonPropertyDescription("SUCCESS, ROLLBACK (reverted, aborted or failed) or SUPERSEDED, once it ended.")
    public String outcome;

    @Size(max = 8)
    @JsonPropertyDescription("How each analysis metric ended: the new revision next to the stable one.")
    public List<MetricSummary> summary;
}
