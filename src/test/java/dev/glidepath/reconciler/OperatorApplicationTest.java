package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The application as it ships (Quarkus, CDI wiring, application.properties) rolls out a Release. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = OperatorApplicationTest.RegisterCrds.class)
class OperatorApplicationTest {

    public static class RegisterCrds implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            for (String file : List.of("releases.glidepath.dev-v1.yml", "rollouts.glidepath.dev-v1.yml")) {
                try {
                    var crd = Serialization.unmarshal(Files.readString(Path.of("crds", file)), CustomResourceDefinition.class);
                    server.getClient().apiextensions().v1().customResourceDefinitions().resource(crd).create();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    io.javaoperatorsdk.operator.Operator operator;

    @io.quarkus.test.common.http.TestHTTPResource("/q/metrics")
    java.net.URL metrics;

    @io.quarkus.test.common.http.TestHTTPResource("/q/health/ready")
    java.net.URL ready;

    @io.quarkus.test.common.http.TestHTTPResource("/q/health/live")
    java.net.URL live;

    @Test
    void theShippedOperatorRollsOutACanary() {
        // The default instance: its informer holds the Releases without a shard label only.
        assertThat(operator.getRegisteredController(ReleaseReconciler.NAME).orElseThrow().getConfiguration().getInformerConfig()
                .getLabelSelector()).isEqualTo("!glidepath.dev/shard");
        Release elsewhere = Releases.canary("default", "elsewhere", "elsewhere:1", 2, CanaryStep.weight(50));
        elsewhere.getMetadata().getLabels().put(Shard.LABEL, "blue");
        client.resource(elsewhere).create();
        try (WorkloadSimulator simulator = new WorkloadSimulator(client, Duration.ofMillis(100)).start()) {
            client.resource(Releases.canary("default", "boot", "boot:1", 2, CanaryStep.weight(50))).create();
            Eventually.until(() -> phase("boot", 1));
            Releases.edit(client, "default", "boot", r -> {
                r.getSpec().template.getSpec().getContainers().get(0).setImage("boot:2");
                return r;
            });
            Eventually.until(() -> phase("boot", 2));
            assertThat(client.apps().deployments().inNamespace("default").list().getItems()).hasSize(2);

            // A breach reverted by analysis, then a version that never becomes available.
            try (var prometheus = new dev.glidepath.sandbox.FakePrometheus()) {
                prometheus.answer(q -> dev.glidepath.sandbox.FakePrometheus.Answer.value(0.5));
                Releases.edit(client, "default", "boot", r -> {
                    r.getSpec().analysis = dev.glidepath.sandbox.Analyses.of(prometheus.address(), "100ms",
                            dev.glidepath.sandbox.Analyses.errorRate("1m", 0.05));
                    r.getSpec().template.getSpec().getContainers().get(0).setImage("boot:3");
                    return r;
                });
                Eventually.until(() -> "Degraded".equals(status("boot").phase));
            }
            Releases.edit(client, "default", "boot", r -> {
                r.getSpec().analysis = null;
                r.getSpec().progressDeadline = "1s";
                r.getSpec().template.getSpec().getContainers().get(0).setImage("boot:broken");
                return r;
            });
            Eventually.until(() -> status("boot").message.contains("ProgressDeadlineExceeded"));
        }
        // Metrics are recorded right after the status write the test waited for: poll until they show.
        Eventually.untilAsserted(() -> {
            String exported = get(metrics);
            // Every metric the shipped Grafana dashboard queries is exported.
            for (String name : dashboardMetrics()) {
                assertThat(exported).as("dashboard metric %s", name).containsPattern("(?m)^" + name + "[{ ]");
            }
            assertThat(exported).containsPattern("glidepath_rollouts_started_total\\{namespace=\"default\",strategy=\"Canary\",?\\} 4.0");
            assertThat(exported).containsPattern("glidepath_rollouts_reverted_total\\{namespace=\"default\",strategy=\"Canary\",?\\} 1.0");
            assertThat(exported).containsPattern("glidepath_rollouts_failed_total\\{namespace=\"default\",strategy=\"Canary\",?\\} 1.0");
            assertThat(exported).containsPattern("glidepath_release_phase\\{namespace=\"default\",phase=\"Degraded\",release=\"boot\",?\\} 1.0");
            assertThat(exported).containsPattern("glidepath_analysis_value\\{metric=\"error-rate\",namespace=\"default\",release=\"boot\",?\\} 0.5");
            assertThat(exported).containsPattern("glidepath_breach_to_revert_seconds_count\\{namespace=\"default\",?\\} 1.0");
            // java-operator-sdk's series are per controller, never per Release (bounded whatever the number of Releases).
            assertThat(exported.lines().filter(l -> l.startsWith("operator_sdk") && l.contains("\"boot\"")).toList()).isEmpty();
        });
        assertThat(get(ready)).contains("UP");
        assertThat(client.resources(Release.class).inNamespace("default").withName("elsewhere").get().getStatus()).isNull();
        // Liveness watches the informers: all of them run.
        assertThat(get(live)).contains("\"glidepath-informers\"").contains("UP").doesNotContain("DOWN");
    }

    static java.util.Set<String> dashboardMetrics() {
        try {
            String json = Files.readString(Path.of("deploy", "grafana", "glidepath-dashboard.json"));
            java.util.Set<String> names = new java.util.TreeSet<>();
            var m = java.util.regex.Pattern.compile("(glidepath_[a-z_]+|operator_sdk_[a-z_]+)").matcher(json);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String get(java.net.URL url) {
        try (var in = url.openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private dev.glidepath.api.v1alpha1.ReleaseStatus status(String name) {
        return client.resources(Release.class).inNamespace("default").withName(name).get().getStatus();
    }

    private boolean phase(String name, int stable) {
        Release r = client.resources(Release.class).inNamespace("default").withName(name).get();
        return r != null && r.getStatus() != null && "Healthy".equals(r.getStatus().phase)
                && Integer.valueOf(stable).equals(r.getStatus().stableRevision);
    }
}
