package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @Test
    void theShippedOperatorRollsOutACanary() {
        try (WorkloadSimulator simulator = new WorkloadSimulator(client, Duration.ofMillis(100)).start()) {
            client.resource(Releases.canary("default", "boot", "boot:1", 2, CanaryStep.weight(50))).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> phase("boot", 1));
            client.resources(Release.class).inNamespace("default").withName("boot").edit(r -> {
                r.getSpec().template.getSpec().getContainers().get(0).setImage("boot:2");
                return r;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> phase("boot", 2));
            assertThat(client.apps().deployments().inNamespace("default").list().getItems()).hasSize(2);
        }
    }

    private boolean phase(String name, int stable) {
        Release r = client.resources(Release.class).inNamespace("default").withName(name).get();
        return r != null && r.getStatus() != null && "Healthy".equals(r.getStatus().phase)
                && Integer.valueOf(stable).equals(r.getStatus().stableRevision);
    }
}
