package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Size;
import java.util.List;

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
    public List<UpstreamEvidence> promotedFrom;

    @JsonPropertyDescription("The deployment type: Standard, Hotfix, Rollback or Scheduled.")
    public String type;

    @JsonPropertyDescription("Hotfix: why (spec.hotfix.reason).")
    public String hotfixReason;

    @JsonPropertyDescription("Who changed the Release's template to this revision, as the API server recorded it (the field manager of spec.template), e.g. kubectl-client-side-apply or argocd-controller.")
    public String triggeredBy;

    @Size(max = 8)
    @JsonPropertyDescription("The Approvals that let it start: role, approver, when.")
    public List<RecordedApproval> approvals;

    @Size(max = 16)
    @JsonPropertyDescription("What changed: each container's image before and after.")
    public List<ImageChange> changes;

    @JsonPropertyDescription("The change summary and link of the Release (spec.change) when it started.")
    public ChangeSpec change;
}
