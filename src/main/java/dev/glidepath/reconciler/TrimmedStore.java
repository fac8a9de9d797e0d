package dev.glidepath.reconciler;

import dev.glidepath.api.v1alpha1.Release;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An informer's store that keeps only what the operator reads of each object. On a real API server most of an
 * object's bytes are bookkeeping the decision never looks at: managedFields (a tree of every field each writer
 * set), the copy of the whole object client-side {@code kubectl apply} keeps in an annotation, and, for the
 * Deployments and Jobs Glidepath created, the pod template it wrote itself. Dropping them when an object enters
 * the cache is most of the operator's memory per Release.
 *
 * <p>What may be dropped is decided per kind: an object the operator writes back whole (a Service, updated with
 * its resourceVersion) keeps everything a write would otherwise remove; Deployments are only patched, Jobs
 * only created, Releases only patched (finalizer) or written through their status subresource.
 */
final class TrimmedStore<V extends HasMetadata> extends BasicItemStore<V> {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** What a Release keeps of a writer that set its template: enough to name who triggered a revision. */
    private static final FieldsV1 TEMPLATE_ONLY = templateOnly();

    private final UnaryOperator<V> trim;

    private TrimmedStore(UnaryOperator<V> trim) {
        super(Cache::metaNamespaceKeyFunc);
        this.trim = trim;
    }

    @Override
    public V put(String key, V obj) {
        return super.put(key, trim.apply(obj));
    }

    /** Releases: no kubectl copy; of the managedFields, only the writers of the template, as {@code f:spec.f:template}. */
    static TrimmedStore<Release> releases() {
        return new TrimmedStore<>(r -> {
            ObjectMeta m = r.getMetadata();
            dropLastApplied(m);
            if (m.getManagedFields() != null && !m.getManagedFields().isEmpty()) {
                m.setManagedFields(m.getManagedFields().stream().filter(TrimmedStore::setsTemplate).map(f -> {
                    ManagedFieldsEntry kept = new ManagedFieldsEntry();
                    kept.setManager(f.getManager());
                    kept.setTime(f.getTime());
                    kept.setOperation(f.getOperation());
                    kept.setFieldsV1(TEMPLATE_ONLY);
                    return kept;
                }).toList());
            }
            return r;
        });
    }

    /** Deployments Glidepath created: read for their name, labels, annotations, owner, replicas and status only. */
    static TrimmedStore<Deployment> deployments() {
        return new TrimmedStore<>(d -> {
            plain(d);
            withoutPodSpec(d.getSpec() == null ? null : d.getSpec().getTemplate());
            return d;
        });
    }

    /** Migration Jobs: read for their labels and status (a failed one's message is read from its pod). */
    static TrimmedStore<Job> jobs() {
        return new TrimmedStore<>(j -> {
            plain(j);
            withoutPodSpec(j.getSpec() == null ? null : j.getSpec().getTemplate());
            return j;
        });
    }

    /** Objects kept whole but for their managedFields (absent from a write, they are left as they are by the server). */
    static <V extends HasMetadata> TrimmedStore<V> withoutManagedFields() {
        return new TrimmedStore<>(o -> {
            o.getMetadata().setManagedFields(List.of());
            return o;
        });
    }

    /** Objects Glidepath never writes whole: no managedFields, no kubectl copy. */
    static <V extends HasMetadata> TrimmedStore<V> plainObjects() {
        return new TrimmedStore<>(o -> {
            plain(o);
            return o;
        });
    }

    private static void withoutPodSpec(PodTemplateSpec template) {
        if (template != null) {
            template.setSpec(null);
        }
    }

    private static void plain(HasMetadata o) {
        o.getMetadata().setManagedFields(List.of());
        dropLastApplied(o.getMetadata());
    }

    private static void dropLastApplied(ObjectMeta m) {
        if (m.getAnnotations() != null && m.getAnnotations().containsKey(LAST_APPLIED)) {
            m.getAnnotations().remove(LAST_APPLIED);
        }
    }

    /** Whether a managedFields entry set the Release's template (what {@code triggeredBy} looks for). */
    static boolean setsTemplate(ManagedFieldsEntry f) {
        return f.getFieldsV1() != null && f.getFieldsV1().getAdditionalProperties() != null
                && String.valueOf(f.getFieldsV1().getAdditionalProperties().get("f:spec")).contains("f:template");
    }

    private static FieldsV1 templateOnly() {
        FieldsV1 f = new FieldsV1();
        f.setAdditionalProperty("f:spec", Map.of("f:template", Map.of()));
        return f;
    }
}
