package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimmedStoreTest {
    private static ManagedFieldsEntry entry(String manager, String time, Map<String, Object> spec) {
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty("f:spec", spec);
        fields.setAdditionalProperty("f:metadata", Map.of("f:labels", Map.of("f:app", Map.of())));
        ManagedFieldsEntry e = new ManagedFieldsEntry();
        e.setManager(manager);
        e.setTime(time);
        e.setOperation("Update");
        e.setFieldsV1(fields);
        return e;
    }

    private static <V extends HasMetadata> V stored(TrimmedStore<V> store, V object) {
        store.put(store.getKey(object), object);
        return store.get(store.getKey(object));
    }

    @Test
    void aCachedReleaseKeepsOnlyWhoSetItsTemplateAndNotKubectlsCopy() {
        Release r = Releases.canary("apps", "web", "web:1", 2);
        r.getMetadata().getAnnotations().put(TrimmedStore.LAST_APPLIED, "{\"a whole\":\"copy\"}");
        r.getMetadata().getAnnotations().put("team", "payments");
        r.getMetadata().setManagedFields(List.of(
                entry("kubectl-client-side-apply", "2026-01-01T00:00:00Z", Map.of("f:template", Map.of("f:spec", Map.of()))),
                entry("glidepath", "2026-01-01T00:01:00Z", Map.of("f:promote", Map.of())),
                entry("argocd-controller", "2026-01-01T00:02:00Z", Map.of("f:replicas", Map.of(), "f:template", Map.of()))));

        Release cached = stored(TrimmedStore.releases(), r);

        assertThat(cached.getMetadata().getAnnotations()).containsOnlyKeys("team");
        assertThat(cached.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getTime)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kubectl-client-side-apply", "2026-01-01T00:00:00Z"),
                        org.assertj.core.groups.Tuple.tuple("argocd-controller", "2026-01-01T00:02:00Z"));
        assertThat(cached.getMetadata().getManagedFields()).allSatisfy(f -> assertThat(TrimmedStore.setsTemplate(f)).isTrue());
        assertThat(cached.getSpec().template.getSpec().getContainers()).isNotEmpty();
    }

    @Test
    void aCachedDeploymentKeepsWhatTheDecisionReadsButNotItsPodSpec() {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("web-2").withNamespace("apps")
                .addToAnnotations("glidepath.dev/template-hash", "abc").addToAnnotations(TrimmedStore.LAST_APPLIED, "{}")
                .withManagedFields(entry("kube-controller-manager", "2026-01-01T00:00:00Z", Map.of())).endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("web:2").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withAvailableReplicas(2).endStatus().build();

        Deployment cached = stored(TrimmedStore.deployments(), d);

        assertThat(cached.getMetadata().getAnnotations()).containsOnlyKeys("glidepath.dev/template-hash");
        assertThat(cached.getMetadata().getManagedFields()).isEmpty();
        assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
        assertThat(cached.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(cached.getSpec().getTemplate().getSpec()).isNull();
        assertThat(cached.getStatus().getAvailableReplicas()).isEqualTo(2);
    }

    @Test
    void aServiceWrittenBackWholeKeepsItsAnnotationsKubectlsCopyIncluded() {
        Service s = new ServiceBuilder().withNewMetadata().withName("web").withNamespace("apps")
                .addToAnnotations(TrimmedStore.LAST_APPLIED, "{\"kept\":true}")
                .withManagedFields(entry("kubectl", "2026-01-01T00:00:00Z", Map.of())).endMetadata()
                .withNewSpec().addToSelector("app", "web").endSpec().build();

        Service cached = stored(TrimmedStore.withoutManagedFields(), s);

        assertThat(cached.getMetadata().getAnnotations()).containsEntry(TrimmedStore.LAST_APPLIED, "{\"kept\":true}");
        assertThat(cached.getMetadata().getManagedFields()).isEmpty();
        assertThat(cached.getSpec().getSelector()).containsEntry("app", "web");
    }
}
