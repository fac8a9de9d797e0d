package dev.glidepath.workload;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.ServiceRoute;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a Release's Services: the stable one, the blue-green preview and, with a traffic router, the canary
 * Service. Each selects the Release's pods (one revision's when pinned) with the spec's ports; a name taken by
 * someone else is never touched.
 */
final class ServiceWriter {
    /** A Service the decision asks for: its name, where it points, and the spec field that names it. */
    record Target(String name, ServiceRoute route, boolean stable, String field, boolean takeOver) {
    }

    private final KubernetesClient client;
    private final WrittenResources cache;
    private final Release release;
    private final Collection<Service> services;

    ServiceWriter(KubernetesClient client, WrittenResources cache, Release release, Collection<Service> services) {
        this.client = client;
        this.cache = cache;
        this.release = release;
        this.services = services;
    }

    /** The Services the decision asks for, stable first. */
    static List<Target> targets(Release release, Decision decision) {
        var spec = release.getSpec();
        List<Target> targets = new ArrayList<>();
        decision.stableRoute().ifPresent(r -> targets.add(new Target(spec.service.name, r, true, "spec.service.name",
                decision.takeOverService())));
        if (spec.strategy.blueGreen != null && spec.strategy.blueGreen.previewService != null) {
            decision.previewRoute().ifPresent(r -> targets.add(new Target(spec.strategy.blueGreen.previewService, r, false,
                    "spec.strategy.blueGreen.previewService", false)));
        }
        if (spec.trafficRouting != null) {
            decision.canaryRoute().ifPresent(r -> targets.add(new Target(spec.trafficRouting.canaryServiceName(spec.service.name), r,
                    false, "spec.trafficRouting.canaryService", false)));
        }
        return targets;
    }

    /** Creates the Service, or brings its selector, ports and annotation to what the target asks; nothing when it matches. */
    void ensure(Target target) {
        String name = target.name();
        ServiceRoute route = target.route();
        boolean stable = target.stable();
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.RELEASE, release.getMetadata().getName());
        route.pinnedRevision().ifPresent(r -> selector.put(Labels.REVISION, String.valueOf(r)));
        List<ServicePort> ports = release.getSpec().service.ports.stream().map(ServiceWriter::normalized).toList();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (stable && route.stableRevision() != null) {
            annotations.put(Labels.STABLE_REVISION, String.valueOf(route.stableRevision()));
        }
        Optional<Service> current = services.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
        String ns = release.getMetadata().getNamespace();
        if (current.isEmpty()) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(Labels.RELEASE, release.getMetadata().getName());
            labels.put(Labels.MANAGED_BY, Labels.MANAGER);
            Service s = new ServiceBuilder()
                    .withMetadata(WorkloadActuator.meta(release, name, labels, annotations))
                    .withNewSpec().withSelector(selector).withPorts(ports).endSpec()
                    .build();
            try {
                cache.created(client.services().inNamespace(ns).resource(s).create());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                Service existing = client.services().inNamespace(ns).withName(name).get();
                boolean ours = existing != null && ownedHere(existing);
                if (!ours && existing != null && target.takeOver()) {
                    takeOver(existing, labels, selector, ports, annotations);
                } else if (!ours && existing != null) {
                    throw foreign(target);
                }
            }
            return;
        }
        Service s = current.get();
        Map<String, String> currentAnnotations = Optional.ofNullable(s.getMetadata().getAnnotations()).orElse(Map.of());
        boolean annotationsMatch = annotations.entrySet().stream()
                .allMatch(e -> e.getValue().equals(currentAnnotations.get(e.getKey())));
        List<ServicePort> currentPorts = Optional.ofNullable(s.getSpec().getPorts()).orElse(List.of()).stream()
                .map(ServiceWriter::normalized).toList();
        if (selector.equals(s.getSpec().getSelector()) && ports.equals(currentPorts) && annotationsMatch) {
            return;
        }
        Service next = WorkloadActuator.copy(s, Service.class);
        next.getSpec().setSelector(selector);
        next.getSpec().setPorts(mergePorts(ports, s.getSpec().getPorts()));
        Map<String, String> merged = new LinkedHashMap<>(currentAnnotations);
        merged.putAll(annotations);
        next.getMetadata().setAnnotations(merged);
        // One update carries the selector switch: traffic moves atomically.
        cache.updated(s, client.services().inNamespace(ns).resource(next).update());
    }

    /**
     * Takes over an existing Service of an adopted application: from this update on it is the Release's (owned,
     * labelled) and selects the Release's pods instead of the old ones, in one update.
     */
    private void takeOver(Service existing, Map<String, String> labels, Map<String, String> selector, List<ServicePort> ports,
            Map<String, String> annotations) {
        Service next = WorkloadActuator.copy(existing, Service.class);
        Map<String, String> mergedLabels = new LinkedHashMap<>(Optional.ofNullable(existing.getMetadata().getLabels()).orElse(Map.of()));
        mergedLabels.putAll(labels);
        next.getMetadata().setLabels(mergedLabels);
        Map<String, String> mergedAnnotations = new LinkedHashMap<>(
                Optional.ofNullable(existing.getMetadata().getAnnotations()).orElse(Map.of()));
        mergedAnnotations.putAll(annotations);
        next.getMetadata().setAnnotations(mergedAnnotations);
        List<OwnerReference> owners = new ArrayList<>(Optional.ofNullable(existing.getMetadata().getOwnerReferences()).orElse(List.of()));
        owners.add(WorkloadActuator.owner(release));
        next.getMetadata().setOwnerReferences(owners);
        next.getSpec().setSelector(selector);
        next.getSpec().setPorts(mergePorts(ports, existing.getSpec().getPorts()));
        cache.updated(existing, client.services().inNamespace(release.getMetadata().getNamespace()).resource(next).update());
    }

    /**
     * Before anything is written: a Service the decision asks for that is not this Release's yet, under a name
     * someone else's Service holds, is refused now (the stable, preview and canary Services alike), so nothing
     * (no Rollout record, no other Service, no pod) is left half made.
     */
    void checkName(Target target) {
        if (!absent(target) || target.takeOver()) {
            return;
        }
        Service existing = client.services().inNamespace(release.getMetadata().getNamespace()).withName(target.name()).get();
        if (existing != null && !ownedHere(existing)) {
            throw foreign(target);
        }
    }

    private boolean ownedHere(Service s) {
        return s.getMetadata().getOwnerReferences() != null && s.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> release.getMetadata().getUid().equals(o.getUid()));
    }

    private ForeignResourceException foreign(Target target) {
        String field = target.field();
        return new ForeignResourceException(field, field + ": Service '" + target.name() + "' already exists in namespace "
                + release.getMetadata().getNamespace() + " and is not managed by this Release; choose another name, delete that"
                + " Service, or adopt the application it serves with spec.adopt");
    }

    /** Not created yet. */
    boolean absent(Target target) {
        return services.stream().noneMatch(s -> target.name().equals(s.getMetadata().getName()));
    }

    /** Keeps what the API server filled in (nodePort) for ports that did not change. */
    private static List<ServicePort> mergePorts(List<ServicePort> desired, List<ServicePort> current) {
        if (current == null) {
            return desired;
        }
        return desired.stream().map(d -> current.stream()
                .filter(c -> normalized(c).equals(d))
                .findFirst().map(c -> WorkloadActuator.copy(c, ServicePort.class)).orElse(d)).toList();
    }

    static ServicePort normalized(ServicePort p) {
        return new ServicePortBuilder()
                .withName(p.getName())
                .withPort(p.getPort())
                .withProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol())
                .withTargetPort(p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort())
                .withAppProtocol(p.getAppProtocol())
                .build();
    }
}
