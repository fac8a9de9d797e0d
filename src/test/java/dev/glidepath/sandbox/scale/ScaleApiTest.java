package dev.glidepath.sandbox.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scale API's behaviours, through a fabric8 client as the operator uses it. */
class ScaleApiTest {
    static ScaleSandbox sandbox;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        sandbox = ScaleSandbox.start();
        client = sandbox.client();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void createsReadsAndRefusesADuplicate() {
        ConfigMap created = client.configMaps().inNamespace("crud").resource(configMap("a", Map.of("app", "x"))).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(created.getMetadata().getNamespace()).isEqualTo("crud");
        assertThat(client.configMaps().inNamespace("crud").withName("a").get().getData()).containsEntry("k", "v");
        assertThat(client.configMaps().inNamespace("crud").withName("missing").get()).isNull();
        assertThatThrownBy(() -> client.configMaps().inNamespace("crud").resource(configMap("a", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
                });
    }

    @Test
    void listsByLabelAndNamespace() {
        for (int i = 0; i < 6; i++) {
            client.configMaps().inNamespace("labels-" + (i % 2)).resource(configMap("c" + i,
                    Map.of("tier", i < 3 ? "web" : "db", "n", String.valueOf(i)))).create();
        }
        assertThat(names(client.configMaps().inAnyNamespace().withLabel("tier", "web").list().getItems()))
                .containsExactlyInAnyOrder("c0", "c1", "c2");
        assertThat(names(client.configMaps().inNamespace("labels-0").withLabel("tier", "web").list().getItems()))
                .containsExactlyInAnyOrder("c0", "c2");
        assertThat(names(client.configMaps().inNamespace("labels-1").list().getItems())).containsExactly("c1", "c3", "c5");
        assertThat(names(client.configMaps().inAnyNamespace().withLabelIn("n", "1", "4").withoutLabel("tier", "db")
                .list().getItems())).containsExactly("c1");
        var page = client.configMaps().inNamespace("labels-1").list(new ListOptionsBuilder().withLimit(2L).build());
        assertThat(names(page.getItems())).containsExactly("c1", "c3");
        assertThat(names(client.configMaps().inNamespace("labels-1").list(new ListOptionsBuilder().withLimit(2L)
                .withContinue(page.getMetadata().getContinue()).build()).getItems())).containsExactly("c5");
    }

    @Test
    void refusesAWriteOnAStaleResourceVersion() {
        ConfigMap first = client.configMaps().inNamespace("locking").resource(configMap("lock", Map.of())).create();
        client.configMaps().inNamespace("locking").resource(new ConfigMapBuilder(first).addToData("k", "newer").build()).update();
        assertThatThrownBy(() -> client.configMaps().inNamespace("locking")
                .resource(new ConfigMapBuilder(first).addToData("k", "stale").build()).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(client.configMaps().inNamespace("locking").withName("lock").get().getData()).containsEntry("k", "newer");
    }

    @Test
    void bumpsTheGenerationOnSpecChangesOnly() {
        Deployment d = client.apps().deployments().inNamespace("gen").resource(deployment("web", 1)).create();
        assertThat(d.getMetadata().getGeneration()).isEqualTo(1);
        d = client.apps().deployments().inNamespace("gen").withName("web")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}");
        assertThat(d.getMetadata().getGeneration()).isEqualTo(1);
        d = client.apps().deployments().inNamespace("gen").withName("web")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}");
        assertThat(d.getMetadata().getGeneration()).isEqualTo(2);
        String version = d.getMetadata().getResourceVersion();
        d = client.apps().deployments().inNamespace("gen").withName("web")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}");
        assertThat(d.getMetadata().getResourceVersion()).as("a write that changes nothing stores nothing").isEqualTo(version);
    }

    @Test
    void keepsStatusAndSpecApartThroughTheStatusSubresource() {
        Deployment d = client.apps().deployments().inNamespace("status").resource(new DeploymentBuilder(deployment("app", 2))
                .withStatus(new DeploymentStatusBuilder().withReplicas(9).build()).build()).create();
        assertThat(d.getStatus()).as("create ignores status").isNull();
        d = client.apps().deployments().inNamespace("status").resource(new DeploymentBuilder(d)
                .editSpec().withReplicas(5).endSpec()
                .withStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).withReplicas(2).build()).build())
                .updateStatus();
        assertThat(d.getStatus().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getReplicas()).as("a status write leaves spec alone").isEqualTo(2);
        assertThat(d.getMetadata().getGeneration()).isEqualTo(1);
        d = client.apps().deployments().inNamespace("status").resource(new DeploymentBuilder(d).withStatus(null)
                .editSpec().withReplicas(4).endSpec().build()).update();
        assertThat(d.getSpec().getReplicas()).isEqualTo(4);
        assertThat(d.getStatus().getReplicas()).as("a write of the main resource keeps the status").isEqualTo(2);
        d = client.apps().deployments().inNamespace("status").withName("app")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"replicas\":7}}");
        assertThat(d.getStatus().getReplicas()).as("nor can a patch of the main resource change status").isEqualTo(2);
    }

    @Test
    void appliesMergePatchesAsRfc7386AndJsonPatches() {
        client.configMaps().inNamespace("patch").resource(new ConfigMapBuilder().withNewMetadata().withName("p")
                .withFinalizers("a", "b").addToLabels("keep", "1").addToLabels("drop", "1").endMetadata()
                .addToData("x", "1").build()).create();
        ConfigMap merged = client.configMaps().inNamespace("patch").withName("p").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"drop\":null},\"finalizers\":[\"c\"]},\"data\":{\"y\":\"2\"}}");
        assertThat(merged.getMetadata().getLabels()).containsExactly(Map.entry("keep", "1"));
        assertThat(merged.getMetadata().getFinalizers()).as("arrays are replaced").containsExactly("c");
        assertThat(merged.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("x", "1", "y", "2"));
        ConfigMap patched = client.configMaps().inNamespace("patch").withName("p").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/data/x\",\"value\":\"3\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        assertThat(patched.getData()).containsEntry("x", "3");
        assertThat(patched.getMetadata().getFinalizers()).isEmpty();
        assertThatThrownBy(() -> client.configMaps().inNamespace("patch").withName("p")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"data\":{\"x\":\"4\"}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
    }

    @Test
    void deletesAnObjectWithFinalizersWhenTheLastIsRemoved() {
        client.configMaps().inNamespace("final").resource(new ConfigMapBuilder().withNewMetadata().withName("f")
                .withFinalizers("glidepath.dev/test").endMetadata().build()).create();
        client.configMaps().inNamespace("final").withName("f").delete();
        ConfigMap marked = client.configMaps().inNamespace("final").withName("f").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        client.configMaps().inNamespace("final").withName("f").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
        assertThat(client.configMaps().inNamespace("final").withName("f").get()).isNull();
        client.configMaps().inNamespace("final").resource(configMap("plain", Map.of())).create();
        client.configMaps().inNamespace("final").withName("plain").delete();
        assertThat(client.configMaps().inNamespace("final").withName("plain").get()).isNull();
    }

    @Test
    void watchesFromAResourceVersionAndFeedsInformers() {
        ConfigMap first = client.configMaps().inNamespace("watch").resource(configMap("w0", Map.of("watched", "yes"))).create();
        client.configMaps().inNamespace("watch").resource(configMap("w1", Map.of("watched", "yes"))).create();
        client.configMaps().inNamespace("watch").resource(configMap("other", Map.of())).create();
        List<String> events = new CopyOnWriteArrayList<>();
        try (var watch = client.configMaps().inNamespace("watch").withLabel("watched", "yes").watch(new ListOptionsBuilder()
                .withResourceVersion(first.getMetadata().getResourceVersion()).build(), new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap c) {
                        events.add(action + " " + c.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
                SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("watch").inform()) {
            client.configMaps().inNamespace("watch").withName("w0").edit(c -> {
                c.getMetadata().getLabels().put("watched", "no");
                return c;
            });
            client.configMaps().inNamespace("watch").withName("other").delete();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(events).as("only what came after the resourceVersion; leaving the selection is a deletion")
                        .containsExactly("ADDED w1", "DELETED w0");
                assertThat(informer.getStore().listKeys()).containsExactlyInAnyOrder("watch/w0", "watch/w1");
            });
        }
    }

    @Test
    void answersWhatItDoesNotServeClearly() {
        assertThatThrownBy(() -> client.batch().v1().cronjobs().inNamespace("x").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        assertThatThrownBy(() -> client.apps().deployments().inNamespace("x").withName("d").scale(2))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void countsEachClientsRequestsByToken() {
        var before = sandbox.api().tally().now();
        KubernetesClient operator = sandbox.client("operator");
        operator.configMaps().inNamespace("tally").resource(configMap("t", Map.of())).create();
        operator.configMaps().inNamespace("tally").withName("t").get();
        var counted = sandbox.api().tally().now().minus(before);
        assertThat(counted.of("operator").get("POST configmaps")).isEqualTo(1);
        assertThat(counted.of("operator").get("GET configmaps")).isEqualTo(1);
        assertThat(counted.of("admin").reads() + counted.of("admin").writes()).isZero();
    }

    @Test
    void theDeploymentControllerReportsPodsBecomingAvailableStepByStep() {
        try (DeploymentController controller = new DeploymentController(sandbox.client("controller"), Duration.ofMillis(20), 2)
                .start()) {
            client.apps().deployments().inNamespace("ctl").resource(deployment("rolling", 3)).create();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Deployment d = client.apps().deployments().inNamespace("ctl").withName("rolling").get();
                assertThat(d.getStatus()).isNotNull();
                assertThat(d.getStatus().getObservedGeneration()).isEqualTo(1);
                assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
            });
            assertThat(controller.statusWrites()).as("observed, then 1, 2, 3 available").isGreaterThanOrEqualTo(4);
            client.apps().deployments().inNamespace("ctl").withName("rolling")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":1}}");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Deployment d = client.apps().deployments().inNamespace("ctl").withName("rolling").get();
                assertThat(d.getStatus().getObservedGeneration()).isEqualTo(2);
                assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(1);
            });
        }
    }

    private static ConfigMap configMap(String name, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().addToData("k", "v").build();
    }

    private static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", name).endMetadata().withNewSpec().addNewContainer().withName("app").withImage("app:1")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static List<String> names(List<ConfigMap> items) {
        return items.stream().map(c -> c.getMetadata().getName()).toList();
    }
}
