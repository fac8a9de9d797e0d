package dev.glidepath.workload;

import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.MigrationSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.TemplateIdentity;
import dev.glidepath.migration.MigrationJobs;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A migration Job: the Release's template for its kind, no retries unless asked, a deadline, the release,
 * namespace, revisions and version as environment variables, and the log tail kept as the pod's termination
 * message so that a failure can be explained without reading logs.
 */
final class MigrationJobBuilder {
    static final String KIND_LABEL = "glidepath.dev/migration";

    private MigrationJobBuilder() {
    }

    static Job build(Release release, Decision.JobRequest request, Rollout owner) {
        MigrationSpec m = release.getSpec().migration;
        PodTemplateSpec source = request.template() != null ? request.template() : switch (request.kind()) {
            case MigrationJobs.DOWN -> m.rollback.podTemplate();
            case MigrationJobs.POST -> m.post.podTemplate();
            default -> m.template.podTemplate();
        };
        PodTemplateSpec template = Serialization.unmarshal(Serialization.asJson(source), PodTemplateSpec.class);
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
        labels.put(Labels.RELEASE, release.getMetadata().getName());
        labels.put(Labels.REVISION, String.valueOf(request.revision()));
        labels.put(KIND_LABEL, request.kind());
        template.getMetadata().setLabels(labels);
        template.getSpec().setRestartPolicy("Never");
        String version = request.version() == null ? "" : request.version();
        for (var c : template.getSpec().getContainers()) {
            List<EnvVar> env = new ArrayList<>(Optional.ofNullable(c.getEnv()).orElse(List.of()));
            env.add(new EnvVar("GLIDEPATH_RELEASE", release.getMetadata().getName(), null));
            env.add(new EnvVar("GLIDEPATH_NAMESPACE", release.getMetadata().getNamespace(), null));
            env.add(new EnvVar("GLIDEPATH_FROM_REVISION", request.fromRevision() == null ? "" : String.valueOf(request.fromRevision()), null));
            env.add(new EnvVar("GLIDEPATH_TO_REVISION", String.valueOf(request.toRevision()), null));
            env.add(new EnvVar("GLIDEPATH_VERSION", version, null));
            env.add(new EnvVar("GLIDEPATH_MIGRATION", request.kind(), null));
            request.env().forEach((k, v) -> env.add(new EnvVar(k, v, null)));
            c.setEnv(env);
            if (c.getTerminationMessagePolicy() == null) {
                c.setTerminationMessagePolicy("FallbackToLogsOnError");
            }
        }
        Duration timeout = request.timeoutSeconds() != null ? Duration.ofSeconds(request.timeoutSeconds())
                : m == null || m.timeout == null ? Duration.ofMinutes(10) : Durations.parse(m.timeout);
        Map<String, String> jobLabels = new LinkedHashMap<>();
        jobLabels.put(Labels.RELEASE, release.getMetadata().getName());
        jobLabels.put(Labels.REVISION, String.valueOf(request.revision()));
        jobLabels.put(KIND_LABEL, request.kind());
        jobLabels.put(Labels.MANAGED_BY, Labels.MANAGER);
        var ownerRef = owner != null && owner.getMetadata().getUid() != null
                ? new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                        .withBlockOwnerDeletion(true).build()
                : WorkloadActuator.owner(release);
        return new JobBuilder()
                .withNewMetadata()
                .withName(request.name())
                .withNamespace(release.getMetadata().getNamespace())
                .withLabels(jobLabels)
                .addToAnnotations(Labels.TEMPLATE_HASH, TemplateIdentity.of(source, null).hash())
                .withOwnerReferences(ownerRef)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(m == null || m.backoffLimit == null || request.template() != null ? 0 : m.backoffLimit)
                .withActiveDeadlineSeconds(Math.max(1, timeout.toSeconds()))
                .withTemplate(template)
                .endSpec()
                .build();
    }
}
