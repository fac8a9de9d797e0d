package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = TolerantDeserializer.RolloutSpecs.class)
public class RolloutSpec extends MaybeUnreadable {
    @JsonPropertyDescription("Name of the Release this Rollout belongs to.")
    public String release;

    @JsonPropertyDescription("Revision traffic came from (absent for the first deployment).")
    public Integer fromRevision;

    @JsonPropertyDescription("Revision traffic goes to.")
    public Integer toRevision;

    @JsonPropertyDescription("Version of the target revision.")
    public String version;

    @JsonPropertyDescription("Why the transition happened: Initial, Update or Rollback.")
    public String reason;

    @JsonPropertyDescription("The strategy the rollout ran with (none for direct deployments and rollbacks).")
    public StrategySpec strategy;

    @JsonPropertyDescription("For a promoted revision: the upstream Releases it proved itself in, with their revision, Rollout and since when.")
    public java.util.List<UpstreamEvidence> promotedFrom;
}
