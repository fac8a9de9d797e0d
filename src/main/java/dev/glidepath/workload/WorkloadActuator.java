package dev.glidepath.workload;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.TemplateIdentity;
import dev.glidepath.strategy.TrafficSplit;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The only place that writes Deployments, Services and Rollouts. Converges each object to what the
 * decision asks for and writes nothing when it already matches. Updates carry the resourceVersion they
 * were computed from, so a concurrent change answers 409 and the reconcile is retried on fresh state.
 */
public final class WorkloadActuator {
    private static final Logger LOG = Logger.getLogger(WorkloadActuator.class);

    private final KubernetesClient client;
    private final WrittenResources cache;
    private final Clock clock;

    public WorkloadActuator(KubernetesClient client, WrittenResources cache, Clock clock) {
        this.client = client;
        this.cache = cache;
        this.clock = clock;
    }

    public void act(Release release, Decision decision, Collection<Deployment> deployments, Collection<Service> services) {
        act(release, decision, deployments, services, split -> {
        });
    }

    /**
     * Refuses, before any write, a Service name of the decision that someone else's Service holds (a
     * {@link ForeignResourceException} naming the field): one GET for each Service not created yet.
     */
    public void checkServiceNames(Release release, Decision decision, Collection<Service> services) {
        if (!decision.touchWorkloads()) {
            return;
        }
        ServiceWriter writer = new ServiceWriter(client, cache, release, services);
        ServiceWriter.targets(release, decision).forEach(writer::checkName);
    }

    /**
     * Converges Deployments and Services, and hands the routes' split to {@code routes} after the Services are in
     * place (the canary Service exists before a route names it; the stable Service holds its revision before the
     * route falls back to it) and before any pod is removed (a revert moves the traffic before the pods go).
     */
    public void act(Release release, Decision decision, Collection<Deployment> deployments, Collection<Service> services,
            Consumer<TrafficSplit> routes) {
        if (!decision.touchWorkloads()) {
            return;
        }
        String ns = release.getMetadata().getNamespace();
        Map<Integer, Deployment> byRevision = new HashMap<>();
        for (Deployment d : deployments) {
            String rev = d.getMetadata().getLabels() == null ? null : d.getMetadata().getLabels().get(Labels.REVISION);
            if (rev != null && release.getMetadata().getName().equals(d.getMetadata().getLabels().get(Labels.RELEASE))) {
                byRevision.put(Integer.valueOf(rev), d);
            }
        }
        ServiceWriter writer = new ServiceWriter(client, cache, release, services);
        List<ServiceWriter.Target> targets = ServiceWriter.targets(release, decision);
        // A Service not created yet comes first, so a name taken by someone else is found before any pod starts
        // (it selects nothing until the revision's pods are up).
        List<ServiceWriter.Target> missing = targets.stream().filter(writer::absent).toList();
        missing.forEach(writer::ensure);
        // Capacity first: create and scale up before switching traffic, switch, then scale down.
        decision.createRevision().filter(r -> !byRevision.containsKey(r)).ifPresent(r ->
                createDeployment(release, r, decision.replicas().getOrDefault(r, 0)));
        decision.replicas().forEach((rev, count) -> {
            Deployment d = byRevision.get(rev);
            if (d != null && replicasOf(d) < count) {
                scale(d, count);
            }
        });
        targets.stream().filter(t -> !missing.contains(t)).forEach(writer::ensure);
        decision.traffic().ifPresent(routes);
        // An adopted Deployment only ever goes down, after its Service was taken over.
        decision.adopteeReplicas().ifPresent(n -> client.apps().deployments().inNamespace(ns).withName(release.getSpec().adopt.deployment)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"" + Labels.ADOPTED_BY + "\":\""
                        + release.getMetadata().getName() + "\"}},\"spec\":{\"replicas\":" + n + "}}"));
        decision.replicas().forEach((rev, count) -> {
            Deployment d = byRevision.get(rev);
            if (d != null && replicasOf(d) > count) {
                scale(d, count);
            }
        });
        for (Integer rev : decision.pruneRevisions()) {
            Deployment d = byRevision.get(rev);
            if (d != null) {
                client.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).delete();
            }
        }
    }

    /**
     * Deletes a Service of this Release that nothing sends to any more (the canary Service once its routes were given
     * back after spec.trafficRouting was removed). Only one of this Release's own, and never its stable or preview
     * Service.
     */
    public void retireService(Release release, String name, Collection<Service> services) {
        var spec = release.getSpec();
        boolean inUse = name.equals(spec.service.name)
                || spec.strategy.blueGreen != null && name.equals(spec.strategy.blueGreen.previewService);
        if (inUse || services.stream().noneMatch(s -> name.equals(s.getMetadata().getName()))) {
            return;
        }
        client.services().inNamespace(release.getMetadata().getNamespace()).withName(name).delete();
        LOG.infof("%s/%s: Service %s deleted (no route sends to it any more)", release.getMetadata().getNamespace(),
                release.getMetadata().getName(), name);
    }

    /**
     * Creates the migration Jobs the decision asks for, each owned by its Rollout (by the Release when that
     * Rollout is not known yet). A Job that exists already is left alone: a migration never runs twice.
     */
    public void createJobs(Release release, Decision decision, Collection<Job> existing,
            Map<String, Rollout> rollouts) {
        for (Decision.JobRequest r : decision.jobs()) {
            if (existing.stream().anyMatch(j -> j.getMetadata().getName().equals(r.name()))) {
                continue;
            }
            var job = MigrationJobBuilder.build(release, r, rollouts.get(r.rollout()));
            try {
                cache.created(client.batch().v1().jobs().inNamespace(release.getMetadata().getNamespace()).resource(job).create());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    /** Writes the Rollouts; returns them by name (created or as they were) for owning the Jobs. */
    public Map<String, Rollout> writeRollouts(Release release, Decision decision, Collection<Rollout> rollouts) {
        Map<String, Rollout> byName = new HashMap<>();
        rollouts.forEach(r -> byName.put(r.getMetadata().getName(), r));
        String ns = release.getMetadata().getNamespace();
        for (Decision.RolloutWrite w : decision.rolloutWrites()) {
            Rollout current = byName.get(w.name());
            if (current == null && w.create().isPresent()) {
                current = createRollout(release, w.name(), w.create().get());
                if (current != null) {
                    byName.put(w.name(), current);
                }
            }
            if (current == null) {
                continue;
            }
            if (!sameJson(current.getStatus(), w.status())) {
                Rollout next = copy(current, Rollout.class);
                next.setStatus(w.status());
                Rollout written = client.resources(Rollout.class).inNamespace(ns).resource(next).updateStatus();
                cache.updated(current, written);
            }
        }
        for (String name : decision.pruneRollouts()) {
            client.resources(Rollout.class).inNamespace(ns).withName(name).delete();
        }
        return byName;
    }

    private Rollout createRollout(Release release, String name, RolloutSpec spec) {
        Rollout r = new Rollout();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.RELEASE, release.getMetadata().getName());
        labels.put(Labels.MANAGED_BY, Labels.MANAGER);
        labels.put(Labels.ROLLOUT_SEQUENCE, name.substring(name.lastIndexOf('-') + 1));
        if (spec.toRevision != null) {
            labels.put(Labels.REVISION, String.valueOf(spec.toRevision));
        }
        r.setMetadata(meta(release, name, labels, Map.of()));
        r.setSpec(spec);
        try {
            Rollout created = client.resources(Rollout.class).inNamespace(release.getMetadata().getNamespace()).resource(r).create();
            cache.created(created);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // Created by an earlier reconcile the cache has not caught up with: its status is written next time.
                return null;
            }
            throw e;
        }
    }

    private void createDeployment(Release release, int revision, int replicas) {
        ReleaseSpec spec = release.getSpec();
        TemplateIdentity id = TemplateIdentity.of(spec.template, spec.version);
        String name = Labels.deploymentName(release.getMetadata().getName(), id.hash());
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.RELEASE, release.getMetadata().getName());
        selector.put(Labels.REVISION, String.valueOf(revision));
        PodTemplateSpec template = copy(spec.template, PodTemplateSpec.class);
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        Map<String, String> podLabels = new LinkedHashMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
        podLabels.putAll(selector);
        podLabels.put(Labels.VERSION, Labels.labelValue(id.version()));
        template.getMetadata().setLabels(podLabels);
        Map<String, String> labels = new LinkedHashMap<>(selector);
        labels.put(Labels.MANAGED_BY, Labels.MANAGER);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Labels.TEMPLATE_HASH, id.hash());
        annotations.put(Labels.VERSION, id.version());
        annotations.put(Labels.IMAGES, String.join(",", id.images()));
        annotations.put(Labels.CREATED, clock.instant().toString());
        Deployment d = new DeploymentBuilder()
                .withMetadata(meta(release, name, labels, annotations))
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withTemplate(template)
                .endSpec()
                .build();
        try {
            Deployment created = client.apps().deployments().inNamespace(release.getMetadata().getNamespace()).resource(d).create();
            cache.created(created);
            LOG.debugf("created %s for revision %d", name, revision);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /**
     * Sets a revision's replicas with a merge patch of that one field: the Deployment controller writes the
     * status all the time, and a resourceVersion guard would only turn those writes into conflicts. Nothing
     * here depends on the rest of what was read (the Service switch keeps its guard).
     */
    private void scale(Deployment current, int replicas) {
        Deployment written = client.apps().deployments().inNamespace(current.getMetadata().getNamespace())
                .resource(current)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
        cache.updated(current, written);
    }

    static ObjectMeta meta(Release release, String name, Map<String, String> labels, Map<String, String> annotations) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(release.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .withOwnerReferences(owner(release))
                .build();
    }

    public static OwnerReference owner(Release release) {
        return new OwnerReferenceBuilder()
                .withApiVersion(release.getApiVersion())
                .withKind(release.getKind())
                .withName(release.getMetadata().getName())
                .withUid(release.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static int replicasOf(Deployment d) {
        return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    static <T> T copy(Object value, Class<T> type) {
        return Serialization.unmarshal(Serialization.asJson(value), type);
    }

    static boolean sameJson(Object a, Object b) {
        return Objects.equals(Serialization.asJson(a), Serialization.asJson(b));
    }
}
