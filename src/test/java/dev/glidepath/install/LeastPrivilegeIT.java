package dev.glidepath.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.FakePrometheus;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.OperatorRequests.Permission;
import dev.glidepath.sandbox.OperatorRequests;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.Sandbox;
import dev.glidepath.sandbox.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every request the operator made, in this test's own tour of its features and across the whole suite
 * before it (it runs last), is allowed by the chart's RBAC; and the chart allows nothing that was never
 * used. Secrets are read by name only.
 */
@Order(Integer.MAX_VALUE)
class LeastPrivilegeIT {
    static final String NS = "apps";

    @Test
    void theChartAllowsExactlyWhatTheOperatorUses() throws Exception {
        tourOfFeatures();
        Set<Permission> used = OperatorRequests.seen();
        Set<Permission> allowed = allowedByChart();
        assertThat(allowed).as("the chart must allow every request the operator made").containsAll(used);
        Set<Permission> unused = new TreeSet<>(allowed);
        unused.removeAll(used);
        assertThat(unused).as("the chart allows what the operator never uses").isEmpty();
        assertThat(used).noneMatch(p -> p.resource().equals("secrets") && !p.verb().equals("get"));
    }

    /**
     * The chart's ClusterRole and, rendered with two replicas, its leader-election Role; plus the
     * SelfSubjectRulesReview the leader elector sends, which Kubernetes grants every authenticated user
     * (system:basic-user).
     */
    static Set<Permission> allowedByChart() {
        String yaml = new Helm(HelmChartTest.CHART).template().withName("glidepath").withNamespace("glidepath-system")
                .set("replicas", 2).call();
        List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules = new java.util.ArrayList<>();
        HelmChartTest.ofKind(Chart.objects(yaml), ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        HelmChartTest.ofKind(Chart.objects(yaml), io.fabric8.kubernetes.api.model.rbac.Role.class).forEach(r -> rules.addAll(r.getRules()));
        Set<Permission> allowed = new TreeSet<>();
        rules.forEach(rule -> rule.getApiGroups().forEach(g -> rule.getResources().forEach(r -> rule.getVerbs()
                .forEach(v -> allowed.add(new Permission(v, g, r))))));
        allowed.add(new Permission("create", "authorization.k8s.io", "selfsubjectrulesreviews"));
        return allowed;
    }

    /** Exercises every kind of request: rollouts, analysis with a Secret, a conflict, pruning, events. */
    private void tourOfFeatures() throws Exception {
        try (Sandbox sandbox = Sandbox.start();
                WorkloadSimulator simulator = new WorkloadSimulator(sandbox.client(), Duration.ofMillis(50)).start();
                OperatorHarness operator = OperatorHarness.startReplica(sandbox.newClient(), "only", "glidepath-system",
                        io.javaoperatorsdk.operator.api.monitoring.Metrics.NOOP);
                FakePrometheus prometheus = new FakePrometheus()) {
            KubernetesClient client = sandbox.client();
            client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata().withName("prom").addToLabels(dev.glidepath.credentials.CredentialCheck.LABEL, "true")
                    .endMetadata().addToData("token", "dG9rZW4=").build()).create();
            // The finalizer's patch meets a conflict: the operator reads the Release again (get) and retries.
            sandbox.dispatcher().failNext("PATCH", "/releases/tour", 409);
            Release r = Releases.canary(NS, "tour", "tour:1", 2, CanaryStep.weight(50));
            r.getSpec().revisionHistoryLimit = 0;
            r.getSpec().analysis = Analyses.of(prometheus.address(), "100ms", Analyses.errorRate("1m", 0.05));
            r.getSpec().analysis.prometheus.secretName = "prom";
            client.resource(r).create();
            awaitRelease(client, "tour", x -> "Healthy".equals(x.getStatus().phase));
            for (int v = 2; v <= 3; v++) {
                int version = v;
                Releases.edit(client, NS, "tour", x -> {
                    x.getSpec().template.getSpec().getContainers().get(0).setImage("tour:" + version);
                    return x;
                });
                awaitRelease(client, "tour", x -> Integer.valueOf(version).equals(x.getStatus().stableRevision)
                        && "Healthy".equals(x.getStatus().phase));
            }
            Eventually.until(() -> client.apps().deployments().inNamespace(NS).list().getItems().size() == 1);
            client.apps().deployments().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                    .withNewMetadata().withName("legacy").endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "adopted").endSelector()
                    .withTemplate(Releases.template("adopted", "adopted:1")).endSpec().build()).create();
            client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("adopted").endMetadata()
                    .withNewSpec().addToSelector("app", "adopted").addNewPort().withName("http").withPort(80).endPort().endSpec().build())
                    .create();
            Release adopting = Releases.canary(NS, "adopted", "adopted:1", 1, CanaryStep.weight(50));
            adopting.getSpec().adopt = new dev.glidepath.api.v1alpha1.AdoptSpec();
            adopting.getSpec().adopt.deployment = "legacy";
            client.resource(adopting).create();
            awaitRelease(client, "adopted", x -> x.getStatus().adoption != null && x.getStatus().adoption.finishedAt != null);
            client.resource(Releases.httpRoute(NS, "routed", "routed")).create();
            client.resource(Releases.routed(Releases.canary(NS, "routed", "routed:1", 2, CanaryStep.weight(50)), "routed")).create();
            awaitRelease(client, "routed", x -> "Healthy".equals(x.getStatus().phase));
            Releases.edit(client, NS, "routed", x -> {
                x.getSpec().template.getSpec().getContainers().get(0).setImage("routed:2");
                return x;
            });
            awaitRelease(client, "routed", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision)
                    && "Healthy".equals(x.getStatus().phase));
            client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("taken").endMetadata()
                    .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
            Release conflict = Releases.canary(NS, "clash", "clash:1", 1, CanaryStep.weight(50));
            conflict.getSpec().service.name = "taken";
            client.resource(conflict).create();
            awaitRelease(client, "clash", x -> "Degraded".equals(x.getStatus().phase));
            approvedByRole(sandbox, client);
        }
    }

    /** An update approved by role: the admission policy read, a SubjectAccessReview, the Approval's status written. */
    private static void approvedByRole(Sandbox sandbox, KubernetesClient client) {
        sandbox.installApprovalPolicy();
        sandbox.dispatcher().grant("managers", "approve", "releases/manager", null);
        client.resource(Releases.approvedBy(Releases.canary(NS, "signed", "signed:1", 1, CanaryStep.weight(50)), List.of("manager"),
                null)).create();
        awaitRelease(client, "signed", x -> "Healthy".equals(x.getStatus().phase));
        Releases.edit(client, NS, "signed", x -> {
            x.getSpec().template.getSpec().getContainers().get(0).setImage("signed:2");
            return x;
        });
        awaitRelease(client, "signed", x -> "AwaitingApproval".equals(x.getStatus().phase));
        Approval a = Releases.approval(NS, "signed-2-manager", "signed", 2, "manager", "bob", "managers");
        try (KubernetesClient bob = sandbox.clientAs("bob", "managers")) {
            bob.resource(a).create();
        }
        awaitRelease(client, "signed", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase));
    }

    private static void awaitRelease(KubernetesClient client, String name, Predicate<Release> condition) {
        Eventually.until(() -> {
            Release x = client.resources(Release.class).inNamespace(NS).withName(name).get();
            return x != null && x.getStatus() != null && condition.test(x);
        });
    }

    @SuppressWarnings("unused")
    private static final Class<?> ORDERED_BY = ClassOrderer.OrderAnnotation.class;
}
