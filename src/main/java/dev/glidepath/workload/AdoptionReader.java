package dev.glidepath.workload;

import dev.glidepath.api.v1alpha1.AdoptionStatus;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.strategy.ObservedState.ObservedAdoptee;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads what spec.adopt names: the running Deployment and the Service the Release will take over. Neither is
 * the Release's yet, so neither is in the informers: both are read by name, once per reconcile, while the
 * Release adopts (and afterwards the Deployment, to notice it scaled up again). Each problem names the field.
 */
public final class AdoptionReader {
    static final String FIELD = "spec.adopt.deployment";

    /** What was read: the problems that keep the adoption from starting or going on, and the Deployment. */
    public record Reading(List<String> problems, Optional<ObservedAdoptee> adoptee) {
    }

    private AdoptionReader() {
    }

    public static Reading read(KubernetesClient client, Release release) {
        String ns = release.getMetadata().getNamespace();
        String name = release.getSpec().adopt.deployment;
        AdoptionStatus done = release.getStatus() == null ? null : release.getStatus().adoption;
        boolean finished = done != null && done.finishedAt != null && name.equals(done.deployment);
        Deployment deployment;
        Service service;
        try {
            deployment = client.apps().deployments().inNamespace(ns).withName(name).get();
            // Once adopted, the Service is the Release's (and in its informer): only the Deployment is looked at.
            service = finished ? null : client.services().inNamespace(ns).withName(release.getSpec().service.name).get();
        } catch (KubernetesClientException e) {
            return new Reading(List.of(FIELD + ": cannot read Deployment '" + name + "' or its Service (" + e.getCode() + "): "
                    + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage())), Optional.empty());
        }
        if (deployment == null) {
            return new Reading(finished ? List.of() : List.of(FIELD + ": Deployment '" + name + "' not found in namespace " + ns),
                    Optional.empty());
        }
        boolean serviceOurs = service != null && owners(service).stream().anyMatch(o -> release.getMetadata().getUid().equals(o.getUid()));
        List<String> problems = new ArrayList<>();
        if (!finished) {
            Map<String, String> labels = Optional.ofNullable(deployment.getMetadata().getLabels()).orElse(Map.of());
            if (labels.containsKey(Labels.RELEASE)) {
                problems.add(FIELD + ": Deployment '" + name + "' is a revision of Release '" + labels.get(Labels.RELEASE)
                        + "', not an application to adopt");
            }
            controller(deployment.getMetadata().getOwnerReferences()).ifPresent(o -> problems.add(FIELD + ": Deployment '" + name
                    + "' is managed by " + o.getKind() + " '" + o.getName() + "'; adopt only a Deployment nothing else manages"));
            if (service != null && !serviceOurs) {
                problems.addAll(serviceProblems(deployment, service));
            }
        }
        int spec = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        int available = deployment.getStatus() == null || deployment.getStatus().getAvailableReplicas() == null ? 0
                : deployment.getStatus().getAvailableReplicas();
        return new Reading(problems, Optional.of(new ObservedAdoptee(name, spec, available, service != null && !serviceOurs)));
    }

    /** The Service to take over must be nobody else's and must select the adopted pods, so they serve until then. */
    private static List<String> serviceProblems(Deployment deployment, Service service) {
        String name = service.getMetadata().getName();
        List<String> problems = new ArrayList<>();
        controller(service.getMetadata().getOwnerReferences()).ifPresent(o -> problems.add(FIELD + ": Service '" + name
                + "' is managed by " + o.getKind() + " '" + o.getName() + "' and cannot be taken over"));
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        Map<String, String> podLabels = deployment.getSpec() == null || deployment.getSpec().getTemplate() == null
                || deployment.getSpec().getTemplate().getMetadata() == null ? Map.of()
                        : Optional.ofNullable(deployment.getSpec().getTemplate().getMetadata().getLabels()).orElse(Map.of());
        if (selector == null || selector.isEmpty()) {
            problems.add(FIELD + ": Service '" + name + "' has no selector; Glidepath takes over only a Service that selects the"
                    + " adopted pods");
        } else if (!podLabels.entrySet().containsAll(selector.entrySet())) {
            problems.add(FIELD + ": Service '" + name + "' (selector " + text(selector) + ") does not select the pods of Deployment '"
                    + deployment.getMetadata().getName() + "' (labels " + text(podLabels) + "): they would not serve until the"
                    + " takeover");
        }
        return problems;
    }

    private static List<OwnerReference> owners(Service s) {
        return Optional.ofNullable(s.getMetadata().getOwnerReferences()).orElse(List.of());
    }

    private static Optional<OwnerReference> controller(List<OwnerReference> owners) {
        return Optional.ofNullable(owners).orElse(List.of()).stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
    }

    private static String text(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(","));
    }
}
