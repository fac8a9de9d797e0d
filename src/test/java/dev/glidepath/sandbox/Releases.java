package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.BlueGreenStrategy;
import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.api.v1alpha1.ApprovalSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.CanaryStrategy;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ServiceSpec;
import dev.glidepath.api.v1alpha1.Signoff;
import dev.glidepath.api.v1alpha1.StrategySpec;
import dev.glidepath.api.v1alpha1.GatewayApiRouting;
import dev.glidepath.api.v1alpha1.TrafficRoutingSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;

/** Release objects for tests, the demo and the benchmark. */
public final class Releases {
    private Releases() {
    }

    /** Edits a Release like a user would: on a conflict (the operator wrote its status meanwhile), read again and retry. */
    public static Release edit(io.fabric8.kubernetes.client.KubernetesClient client, String namespace, String name,
            java.util.function.UnaryOperator<Release> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(Release.class).inNamespace(namespace).withName(name).edit(change);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    public static Release canary(String namespace, String name, String image, int replicas, CanaryStep... steps) {
        StrategySpec strategy = new StrategySpec();
        strategy.canary = new CanaryStrategy();
        strategy.canary.steps = List.of(steps);
        return release(namespace, name, image, replicas, strategy);
    }

    public static Release blueGreen(String namespace, String name, String image, int replicas, String scaleDownDelay) {
        StrategySpec strategy = new StrategySpec();
        strategy.blueGreen = new BlueGreenStrategy();
        strategy.blueGreen.previewService = name + "-preview";
        strategy.blueGreen.scaleDownDelay = scaleDownDelay;
        return release(namespace, name, image, replicas, strategy);
    }

    public static Release release(String namespace, String name, String image, int replicas, StrategySpec strategy) {
        Release r = new Release();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        r.setSpec(spec(name, image, replicas, strategy));
        return r;
    }

    /**
     * The spec every test starts from, unit and integration alike: one container {@code app} listening on 8080,
     * labelled {@code app=<name>}, behind a Service {@code <name>} with port {@code http} 80.
     */
    public static ReleaseSpec spec(String name, String image, int replicas, StrategySpec strategy) {
        ReleaseSpec spec = new ReleaseSpec();
        spec.replicas = replicas;
        spec.template = template(name, image);
        spec.service = new ServiceSpec();
        spec.service.name = name;
        spec.service.ports = List.of(new ServicePortBuilder().withName("http").withPort(80)
                .withNewTargetPort(8080).build());
        spec.strategy = strategy;
        return spec;
    }

    /** Routes the Release through the Gateway API HTTPRoutes named. */
    public static Release routed(Release release, String... httpRoutes) {
        release.getSpec().trafficRouting = new TrafficRoutingSpec();
        release.getSpec().trafficRouting.gatewayAPI = new GatewayApiRouting();
        release.getSpec().trafficRouting.gatewayAPI.httpRoutes = List.of(httpRoutes);
        return release;
    }

    /** Requires Approvals by role: {@code standard} for an update, {@code hotfix} (null: none set) for a hotfix. */
    public static Release approvedBy(Release release, List<String> standard, List<String> hotfix) {
        release.getSpec().approval = new ApprovalSpec();
        release.getSpec().approval.roles = new ApprovalSpec.Roles();
        release.getSpec().approval.roles.standard = standard;
        release.getSpec().approval.roles.hotfix = hotfix;
        return release;
    }

    /** One person's Approval of {@code revision} of {@code release} for {@code role}, as that person would write it. */
    public static Approval approval(String namespace, String name, String release, int revision, String role, String user,
            String... groups) {
        Approval a = new Approval();
        a.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        a.setSpec(new Signoff());
        a.getSpec().release = release;
        a.getSpec().revision = revision;
        a.getSpec().role = role;
        a.getSpec().comment = "reviewed the change";
        a.getSpec().approver = new Signoff.Approver();
        a.getSpec().approver.username = user;
        a.getSpec().approver.groups = List.of(groups);
        return a;
    }

    /**
     * A user's HTTPRoute: attached to the Gateway {@code public}, for host {@code <name>.example.com}, with one
     * rule for the path prefix / whose only backend is the Service {@code stableService} on port 80.
     */
    public static HTTPRoute httpRoute(String namespace, String name, String stableService) {
        return new HTTPRouteBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec()
                .addNewParentRef().withName("public").endParentRef()
                .withHostnames(name + ".example.com")
                .addNewRule()
                .addNewMatch().withNewPath().withType("PathPrefix").withValue("/").endPath().endMatch()
                .addNewBackendRef().withName(stableService).withPort(80).endBackendRef()
                .endRule()
                .endSpec()
                .build();
    }

    public static PodTemplateSpec template(String name, String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image)
                .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec()
                .build();
    }
}
