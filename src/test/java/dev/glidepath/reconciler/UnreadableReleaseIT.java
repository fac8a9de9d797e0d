package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Releases whose spec the operator cannot read (values beyond their Java type, wrong types, unknown fields)
 * when the CRD schema was bypassed or is newer than the operator: each is reported on itself, and no other
 * Release is held up, not even after a restart.
 */
class UnreadableReleaseIT extends SandboxTest {

    /** Creates a Release as raw JSON, as kubectl would with a schema that lets it through. */
    private void createRaw(String name, Consumer<Map<String, Object>> breakSpec) {
        Release r = Releases.canary(NS, name, name + ":1", 2, CanaryStep.weight(50));
        Map<String, Object> doc = Serialization.jsonMapper().convertValue(r, new TypeReference<>() {
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        breakSpec.accept(spec);
        GenericKubernetesResource raw = Serialization.jsonMapper().convertValue(doc, GenericKubernetesResource.class);
        client.genericKubernetesResources("glidepath.dev/v1alpha1", "Release").inNamespace(NS).resource(raw).create();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, Object... path) {
        Object node = map;
        for (Object step : path) {
            node = step instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(step);
        }
        return (Map<String, Object>) node;
    }

    private Map<String, Object> rawStatus(String name) {
        GenericKubernetesResource r = client.genericKubernetesResources("glidepath.dev/v1alpha1", "Release").inNamespace(NS)
                .withName(name).get();
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
        return status;
    }

    private void awaitReported(String name, String field) {
        org.awaitility.Awaitility.await(name + " reported").atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(100))
                .untilAsserted(() -> {
                    Map<String, Object> status = rawStatus(name);
                    assertThat(status).as(name + " status").isNotNull();
                    assertThat(status.get("phase")).isEqualTo("Degraded");
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
                    assertThat(conditions).anySatisfy(c -> {
                        assertThat(c.get("type")).isEqualTo("InvalidSpec");
                        assertThat(c.get("status")).isEqualTo("True");
                        assertThat((String) c.get("message")).contains(field);
                    });
                });
        List<Event> warnings = client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && "InvalidSpec".equals(e.getReason()))
                .toList();
        assertThat(warnings).as(name + " InvalidSpec event").isNotEmpty();
        assertThat(warnings.get(0).getType()).isEqualTo("Warning");
        assertThat(warnings.get(0).getMessage()).contains(field);
        assertThat(deployments(name)).as(name + " deployments").isEmpty();
    }

    @Test
    void unreadableReleasesAreReportedOnThemselvesAndNeverStopTheOthers() {
        createRaw("huge-replicas", spec -> spec.put("replicas", 99_999_999_999L));
        createRaw("huge-port", spec -> at(spec, "service", "ports", 0).put("port", 99_999_999_999L));
        createRaw("huge-container-port", spec -> at(spec, "template", "spec", "containers", 0, "ports", 0)
                .put("containerPort", 99_999_999_999L));
        createRaw("text-replicas", spec -> spec.put("replicas", "three"));
        createRaw("unknown-field", spec -> spec.put("replicaz", 3));
        create(Releases.canary(NS, "healthy", "healthy:1", 2, CanaryStep.weight(50)));

        awaitPhase("healthy", "Healthy");
        awaitReported("huge-replicas", "spec.replicas");
        awaitReported("huge-port", "spec.service.ports[0].port");
        awaitReported("huge-container-port", "spec.template.spec.containers[0].ports[0].containerPort");
        awaitReported("text-replicas", "spec.replicas");
        // An unknown field is ignored: the rest of the Release is read and rolled out.
        awaitPhase("unknown-field", "Healthy");

        update("healthy", "healthy:2");
        awaitRelease("healthy", "rolled out next to unreadable Releases",
                r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));

        // A restarted operator starts with them present and goes on as well.
        restartOperator();
        update("healthy", "healthy:3");
        awaitRelease("healthy", "rolled out after a restart",
                r -> Integer.valueOf(3).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        // The unreadable spec itself is left as the user wrote it.
        GenericKubernetesResource stored = client.genericKubernetesResources("glidepath.dev/v1alpha1", "Release")
                .inNamespace(NS).withName("huge-replicas").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
        assertThat(((Number) spec.get("replicas")).longValue()).isEqualTo(99_999_999_999L);
    }
}
