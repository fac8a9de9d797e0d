package dev.glidepath.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import dev.glidepath.upstream.UpstreamClusters;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The chart lints strictly and renders what a platform team expects, for each documented combination. */
class HelmChartTest {
    static final Path CHART = Path.of("helm", "glidepath");

    static List<HasMetadata> render(UnaryOperator<com.marcnuri.helm.TemplateCommand> values) {
        String yaml = values.apply(new Helm(CHART).template().withName("glidepath").withNamespace("glidepath-system")).call();
        return Chart.objects(yaml);
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void lintsStrictly() {
        var result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void theChartCarriesTheGeneratedCrds() throws IOException {
        for (String file : List.of("releases.glidepath.dev-v1.yml", "rollouts.glidepath.dev-v1.yml", "freezes.glidepath.dev-v1.yml",
                "approvals.glidepath.dev-v1.yml")) {
            assertThat(Files.readString(CHART.resolve("crds").resolve(file)))
                    .as("helm/glidepath/crds/%s differs from crds/ (run `make crds`)", file)
                    .isEqualTo(Files.readString(Path.of("crds", file)));
        }
    }

    @Test
    void defaultsWatchAllNamespacesWithOneRestrictedReplicaAndJsonLogs() {
        List<HasMetadata> objects = render(t -> t);
        assertThat(ofKind(objects, ClusterRole.class)).extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder("glidepath", "glidepath-approvals");
        assertThat(ofKind(objects, Role.class)).isEmpty();
        Deployment d = ofKind(objects, Deployment.class).get(0);
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        Map<String, String> env = Chart.env(c);
        assertThat(env).containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "JOSDK_ALL_NAMESPACES")
                .containsEntry("GLIDEPATH_LEADER_ELECTION_ENABLED", "false")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true")
                .containsEntry("GLIDEPATH_ALLOWED_PROMETHEUS_URLS", "")
                .containsEntry("GLIDEPATH_ALLOWED_WEBHOOK_URLS", "")
                .containsEntry("GLIDEPATH_WEBHOOKS_TIMEOUT", "5s")
                .containsEntry("GLIDEPATH_CREDENTIALS_CACHE_TTL", "30s");
        assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("ServiceMonitor");
        assertThat(objects).anySatisfy(o -> assertThat(o.getMetadata().getName()).isEqualTo("glidepath-metrics"));
    }

    @Test
    void aListOfNamespacesGetsARoleInEachAndOnlyTheClusterScopedApprovalChecks() {
        List<HasMetadata> objects = render(t -> t.set("watchNamespaces[0]", "shop").set("watchNamespaces[1]", "payments"));
        // SubjectAccessReviews and the admission policy are cluster-scoped: the one ClusterRole holds just those.
        assertThat(ofKind(objects, ClusterRole.class)).singleElement().satisfies(r -> {
            assertThat(r.getMetadata().getName()).isEqualTo("glidepath-approvals");
            assertThat(r.getRules()).flatExtracting(rule -> rule.getResources()).containsExactlyInAnyOrder("subjectaccessreviews",
                    "validatingadmissionpolicies", "validatingadmissionpolicybindings");
        });
        assertThat(ofKind(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace()).containsExactly("shop", "payments");
        assertThat(Chart.env(ofKind(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "shop,payments");
    }

    @Test
    void moreThanOneReplicaTurnsOnLeaderElectionWithItsLeaseRole() {
        List<HasMetadata> objects = render(t -> t.set("replicas", 2).set("logFormat", "text"));
        Deployment d = ofKind(objects, Deployment.class).get(0);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(Chart.env(d.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("GLIDEPATH_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        assertThat(ofKind(objects, Role.class)).singleElement().satisfies(r -> {
            assertThat(r.getMetadata().getName()).endsWith("leader-election");
            assertThat(r.getRules()).singleElement().satisfies(rule -> {
                assertThat(rule.getResources()).containsExactly("leases");
                assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "patch");
            });
        });
    }

    @Test
    void eachShardGetsADeploymentAndMetricsServiceOfItsOwnSelectingOnlyItsPods() {
        List<HasMetadata> objects = render(t -> t.set("shards[0]", "blue").set("shards[1]", "green").set("replicas", 2));
        List<Deployment> deployments = ofKind(objects, Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName())
                .containsExactly("glidepath", "glidepath-shard-blue", "glidepath-shard-green");
        assertThat(deployments).extracting(d -> Chart.env(d.getSpec().getTemplate().getSpec().getContainers().get(0)).get("GLIDEPATH_SHARD"))
                .containsExactly(null, "blue", "green");
        assertThat(deployments).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(2));
        // No instance's selector selects another's pods (the default one's is the chart's usual selector).
        for (Deployment d : deployments) {
            Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
            for (Deployment other : deployments) {
                boolean selects = other.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet());
                assertThat(selects).as("%s selects the pods of %s", d.getMetadata().getName(), other.getMetadata().getName())
                        .isEqualTo(d == other);
            }
        }
        assertThat(deployments.get(0).getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/name", "glidepath", "app.kubernetes.io/instance", "glidepath"));
        assertThat(ofKind(objects, io.fabric8.kubernetes.api.model.Service.class)).extracting(s -> s.getMetadata().getName())
                .containsExactly("glidepath-metrics", "glidepath-shard-blue-metrics", "glidepath-shard-green-metrics");
    }

    @Test
    void aShardNameThatCannotNameItsLeaseIsRefusedNamingTheValue() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> render(t -> t.set("shards[0]", "Blue_1")))
                .hasMessageContaining("shards: \"Blue_1\" is not a shard name");
    }

    @Test
    void allowlistsOfAddressesReachTheOperatorAsItsConfiguration() {
        List<HasMetadata> objects = render(t -> t.set("allowedPrometheusUrls[0]", "http://prometheus.monitoring:9090")
                .set("allowedPrometheusUrls[1]", "https://*.thanos.example.com")
                .set("allowedWebhookUrls[0]", "https://hooks.slack.com/services"));
        Map<String, String> env = Chart.env(ofKind(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0));
        assertThat(env).containsEntry("GLIDEPATH_ALLOWED_PROMETHEUS_URLS", "http://prometheus.monitoring:9090,https://*.thanos.example.com")
                .containsEntry("GLIDEPATH_ALLOWED_WEBHOOK_URLS", "https://hooks.slack.com/services");
        // What the operator makes of them (the same parsing as at start-up).
        var prometheus = dev.glidepath.credentials.UrlAllowlist.of(List.of(env.get("GLIDEPATH_ALLOWED_PROMETHEUS_URLS").split(",")));
        assertThat(prometheus.admits("http://prometheus.monitoring:9090")).isTrue();
        assertThat(prometheus.admits("https://eu.thanos.example.com/api")).isTrue();
        assertThat(prometheus.admits("http://kubelet.kube-system:10250")).isFalse();
    }

    @Test
    void upstreamClustersReachTheOperatorWithAReadOfExactlyTheirSecrets() {
        List<HasMetadata> objects = render(t -> t.set("upstreamClusters[0].name", "staging").set("upstreamClusters[0].secret", "staging-kubeconfig")
                .set("upstreamClusters[1].name", "eu").set("upstreamClusters[1].secret", "eu-kubeconfig"));
        Map<String, String> env = Chart.env(ofKind(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0));
        assertThat(env).containsEntry("GLIDEPATH_UPSTREAM_CLUSTERS", "staging=staging-kubeconfig,eu=eu-kubeconfig");
        // What the operator makes of it (the same parsing as at start-up).
        assertThat(UpstreamClusters.parse(List.of(env.get("GLIDEPATH_UPSTREAM_CLUSTERS").split(","))).secrets())
                .containsExactly(Map.entry("staging", "staging-kubeconfig"), Map.entry("eu", "eu-kubeconfig"));
        Role role = ofKind(objects, Role.class).stream().filter(r -> r.getMetadata().getName().equals("glidepath-upstream-clusters"))
                .findFirst().orElseThrow();
        assertThat(role.getMetadata().getNamespace()).isEqualTo("glidepath-system");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("secrets");
            assertThat(rule.getResourceNames()).containsExactly("staging-kubeconfig", "eu-kubeconfig");
            assertThat(rule.getVerbs()).containsExactly("get");
        });
        assertThat(render(t -> t)).noneMatch(o -> o.getMetadata().getName().equals("glidepath-upstream-clusters"));
        assertThat(Chart.env(ofKind(render(t -> t), Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0)))
                .doesNotContainKey("GLIDEPATH_UPSTREAM_CLUSTERS");
    }

    @Test
    void anUpstreamClusterNameThatIsNotADnsLabelIsRefusedNamingIt() {
        assertThatThrownBy(() -> render(t -> t.set("upstreamClusters[0].name", "Staging_1")
                .set("upstreamClusters[0].secret", "s"))).hasMessageContaining("upstreamClusters: name \"Staging_1\" is not a DNS label");
    }

    @Test
    void aServiceMonitorOnRequest() {
        List<HasMetadata> objects = render(t -> t.set("metrics.serviceMonitor.enabled", true)
                .set("metrics.serviceMonitor.labels.release", "kube-prometheus"));
        var monitor = objects.stream().filter(o -> o.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
        assertThat(Serialization.asYaml(monitor)).contains("path: \"/q/metrics\"");
    }
}
