package dev.glidepath.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Releases, their Rollouts and their Jobs as the API server last told them, through one informer each (a list,
 * then a watch): the dashboard reads its views from these caches and never polls. Each change is reported as the
 * key ("namespace/name") of the Release it concerns.
 */
final class ReleaseFeed implements AutoCloseable {
    private static final String BY_RELEASE = "release";

    private final SharedIndexInformer<Release> releases;
    private final SharedIndexInformer<Rollout> rollouts;
    /** Null when the user may not list Jobs: the page then shows none rather than failing. */
    private final SharedIndexInformer<Job> jobs;

    private ReleaseFeed(SharedIndexInformer<Release> releases, SharedIndexInformer<Rollout> rollouts, SharedIndexInformer<Job> jobs) {
        this.releases = releases;
        this.rollouts = rollouts;
        this.jobs = jobs;
    }

    /** Starts the informers ({@code namespace} null: all namespaces) and returns once their first lists are in. */
    static ReleaseFeed start(KubernetesClient client, String namespace, Consumer<String> changed) {
        // A first list answers "forbidden" or "no CRDs" in words before any informer starts retrying in the background.
        ReleaseCommands.Errors.call(() -> namespace == null
                ? client.resources(Release.class).inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build())
                : client.resources(Release.class).inNamespace(namespace).list(new ListOptionsBuilder().withLimit(1L).build()),
                "list", namespace);
        SharedIndexInformer<Release> releases = informer(namespace == null ? client.resources(Release.class).inAnyNamespace()
                : client.resources(Release.class).inNamespace(namespace), null, changed, r -> List.of(key(r)));
        SharedIndexInformer<Rollout> rollouts = null;
        try {
            rollouts = informer(namespace == null ? client.resources(Rollout.class).inAnyNamespace().withLabel(Release.LABEL)
                    : client.resources(Rollout.class).inNamespace(namespace).withLabel(Release.LABEL), BY_RELEASE, changed, ReleaseFeed::owner);
            return new ReleaseFeed(releases, rollouts, jobs(client, namespace, changed));
        } catch (RuntimeException e) {
            releases.stop();
            if (rollouts != null) {
                rollouts.stop();
            }
            throw e;
        }
    }

    /** The Jobs informer, or null when the user may not list Jobs. */
    private static SharedIndexInformer<Job> jobs(KubernetesClient client, String namespace, Consumer<String> changed) {
        var jobs = namespace == null ? client.batch().v1().jobs().inAnyNamespace().withLabel(Release.LABEL)
                : client.batch().v1().jobs().inNamespace(namespace).withLabel(Release.LABEL);
        try {
            jobs.list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return null;
            }
            throw e;
        }
        return informer(jobs, BY_RELEASE, changed, ReleaseFeed::owner);
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> informer(Informable<T> source, String index, Consumer<String> changed,
            Function<T, List<String>> keyOf) {
        SharedIndexInformer<T> informer = source.runnableInformer(0);
        if (index != null) {
            informer.addIndexers(Map.of(index, keyOf));
        }
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                keyOf.apply(obj).forEach(changed);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                keyOf.apply(newObj).forEach(changed);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                keyOf.apply(obj).forEach(changed);
            }
        });
        informer.run();
        return informer;
    }

    private static String key(HasMetadata r) {
        return ReleaseView.key(r.getMetadata().getNamespace(), r.getMetadata().getName());
    }

    /** The Release a Rollout or Job belongs to, by its label. */
    private static List<String> owner(HasMetadata r) {
        String release = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Release.LABEL);
        return release == null ? List.of() : List.of(ReleaseView.key(r.getMetadata().getNamespace(), release));
    }

    /** The keys of all Releases in the cache. */
    List<String> keys() {
        return releases.getStore().list().stream().map(ReleaseFeed::key).sorted().toList();
    }

    /** The view of one Release from the caches, or null when it is gone. */
    ObjectNode view(String key, Instant now) {
        Release r = releases.getStore().getByKey(key);
        if (r == null) {
            return null;
        }
        List<Rollout> its = new ArrayList<>(rollouts.getIndexer().byIndex(BY_RELEASE, key));
        its.sort(Comparator.comparingInt(ReleaseFeed::sequence).thenComparing(x -> x.getMetadata().getName()));
        List<Job> theirJobs = jobs == null ? List.of() : jobs.getIndexer().byIndex(BY_RELEASE, key);
        return ReleaseView.of(r, its, theirJobs, now);
    }

    /** A Rollout of one of the Releases from the cache, or null when it is not there. */
    Rollout rollout(String namespace, String name) {
        return rollouts.getStore().getByKey(ReleaseView.key(namespace, name));
    }

    private static int sequence(Rollout r) {
        try {
            return Integer.parseInt(r.getMetadata().getLabels().get(Labels.ROLLOUT_SEQUENCE));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        releases.stop();
        rollouts.stop();
        if (jobs != null) {
            jobs.stop();
        }
    }
}
