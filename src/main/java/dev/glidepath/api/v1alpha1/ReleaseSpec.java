package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = TolerantDeserializer.ReleaseSpecs.class)
public class ReleaseSpec extends MaybeUnreadable {
    /**
     * The most pods a Release may ask for: well above what one application's Deployment usually runs, low enough to
     * catch a mistyped number and keep the replica arithmetic far from overflow. Raising it later is compatible;
     * lowering it would not be.
     */
    public static final int MAX_REPLICAS = 10000;

    @Required
    @JsonPropertyDescription("Pod template of the application, exactly as in a Deployment. Each distinct template is a new revision.")
    public PodTemplateSpec template;

    @Min(0)
    @Max(MAX_REPLICAS)
    @SpecReplicas
    @JsonPropertyDescription("Number of pods the Release asks for, 0 to 10000. Defaults to 1. The scale subresource writes it: kubectl scale, or a HorizontalPodAutoscaler targeting the Release (leave it out of Git then). A change never starts a new revision.")
    public Integer replicas;

    @JsonPropertyDescription("Version label of the template, shown in status and history. Defaults to the image tag of the first container.")
    public String version;

    @Required
    @JsonPropertyDescription("The stable Service, created and owned by Glidepath; it always sends traffic to the stable revision (and, during a canary, to the canary pods).")
    public ServiceSpec service;

    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "progressDeadline must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "progressDeadline " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("How long a new revision may take to become available before its rollout is aborted (reason ProgressDeadlineExceeded). Go duration, default 10m.")
    public String progressDeadline;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("How many old revisions to keep as Deployments scaled to zero, ready for an instant rollback. Default 10.")
    public Integer revisionHistoryLimit;

    @JsonPropertyDescription("When true, the rollout in progress holds where it is: no step advances and no traffic moves. Set back to false to resume.")
    public Boolean paused;

    @Required
    @JsonPropertyDescription("How a new revision replaces the stable one: exactly one of blueGreen or canary.")
    public StrategySpec strategy;

    @JsonPropertyDescription("Adopt an application running as a plain Deployment, with zero downtime: see AdoptSpec.")
    public AdoptSpec adopt;

    @JsonPropertyDescription("Route traffic through a router instead of replica counts: exact canary weights at any replica count, header routes, one-update reverts.")
    public TrafficRoutingSpec trafficRouting;

    @JsonPropertyDescription("Prometheus analysis of the new revision while it takes traffic; a breach reverts the rollout automatically.")
    public AnalysisSpec analysis;

    @JsonPropertyDescription("Database migration Jobs: up before the new revision starts, down on revert, post after success.")
    public MigrationSpec migration;

    @JsonPropertyDescription("Webhooks told about rollouts started, awaiting approval, promoted, reverted, failed or succeeded; delivered asynchronously, never delaying a rollout.")
    public List<NotificationSpec> notifications;

    @JsonPropertyDescription("Promotion between environments: a new revision starts only after the same images ran Healthy upstream (e.g. in staging) for a soak time.")
    public PromotionSpec promotion;

    @JsonPropertyDescription("Approval gate: a new revision waits for a person to approve it by number, or for Approvals of the roles its deployment type needs.")
    public ApprovalSpec approval;

    @JsonPropertyDescription("A hotfix: the named revision goes the expedited way (outside windows, past Freezes that allow overrides, without the promotion soak) with the hotfix roles' approvals; its reason is recorded.")
    public HotfixSpec hotfix;

    @JsonPropertyDescription("What the current template changes, in words and a link, recorded in the deployment record (the Rollout).")
    public ChangeSpec change;

    @JsonPropertyDescription("Deployment windows: a new rollout starts only inside one of them (rollbacks and aborts are never blocked). Empty: any time.")
    public List<DeploymentWindow> windows;

    @Pattern("^(Hold|Continue)$")
    @JsonPropertyDescription("A rollout running when its window closes: Hold (default: it finishes its current step and waits for the next window) or Continue.")
    public String onWindowClose;

    @JsonPropertyDescription("Hotfix override: the named revision may start outside the deployment windows.")
    public WindowOverride windowOverride;

    @JsonPropertyDescription("One-shot command: promote the rollout in progress past its current pause (or past every remaining step when full is true). Handled once per id.")
    public PromoteCommand promote;

    @JsonPropertyDescription("One-shot command: abort the rollout in progress; all traffic returns to the stable revision now. Handled once per id.")
    public Command abort;

    @JsonPropertyDescription("One-shot command: roll back to a retained revision by number, without steps. Handled once per id.")
    public RollbackCommand rollback;

    @JsonPropertyDescription("One-shot command: retry the current template after its rollout failed, was aborted or rolled back. Handled once per id.")
    public Command retry;
}
