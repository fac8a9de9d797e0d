package dev.glidepath.sandbox.scale;

import java.util.List;
import java.util.Optional;

/**
 * A kind the scale API serves: where it lives (group, version, plural), whether it is namespaced, and whether
 * status is a subresource of its own (then writes of the main resource keep the stored status, and status
 * writes change nothing else).
 */
public record ApiResource(String group, String version, String plural, String kind, boolean namespaced,
        boolean statusSubresource) {

    /** Everything the operator, the workload simulator and the benchmark touch; anything else answers 404. */
    static final List<ApiResource> ALL = List.of(
            new ApiResource("", "v1", "namespaces", "Namespace", false, false),
            new ApiResource("", "v1", "services", "Service", true, false),
            new ApiResource("", "v1", "events", "Event", true, false),
            new ApiResource("", "v1", "secrets", "Secret", true, false),
            new ApiResource("", "v1", "configmaps", "ConfigMap", true, false),
            // Pods keep the status they are created with: the Job simulation creates failed pods that way.
            new ApiResource("", "v1", "pods", "Pod", true, false),
            new ApiResource("apps", "v1", "deployments", "Deployment", true, true),
            new ApiResource("apps", "v1", "replicasets", "ReplicaSet", true, true),
            new ApiResource("batch", "v1", "jobs", "Job", true, true),
            new ApiResource("coordination.k8s.io", "v1", "leases", "Lease", true, false),
            new ApiResource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, true),
            new ApiResource("glidepath.dev", "v1alpha1", "releases", "Release", true, true),
            new ApiResource("glidepath.dev", "v1alpha1", "rollouts", "Rollout", true, true),
            new ApiResource("glidepath.dev", "v1alpha1", "freezes", "Freeze", true, false),
            new ApiResource("glidepath.dev", "v1alpha1", "approvals", "Approval", true, true),
            new ApiResource("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", true, true));

    static Optional<ApiResource> find(String group, String version, String plural) {
        return ALL.stream().filter(r -> r.group.equals(group) && r.version.equals(version) && r.plural.equals(plural))
                .findFirst();
    }

    /** "v1" for the core group, "group/version" otherwise: the objects' apiVersion. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
