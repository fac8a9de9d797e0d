package dev.glidepath.sandbox.scale;

import dev.glidepath.sandbox.WorkloadSimulator;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plays the Deployment controller at scale, writing status as the real one does: for each new generation a status
 * with observedGeneration (scaling down takes effect at once), then one more as each further pod becomes available,
 * {@code podReadyDelay} apart (updatedReplicas, readyReplicas, availableReplicas 0, 1, 2...). Each write is an update
 * of the status guarded by the resourceVersion the controller last saw, so it races the operator's writes and
 * either side can be answered 409, as on a busy cluster. It watches Deployments through one informer and works
 * through a bounded pool: no thread per object, one queued step at most per Deployment. A pod template that
 * {@link WorkloadSimulator#isBroken} never gets an available pod. Jobs are not played: the benchmark has none.
 */
public final class DeploymentController implements AutoCloseable {
    private final KubernetesClient client;
    private final Duration podReadyDelay;
    private final ScheduledExecutorService pool;
    /** Deployments ("namespace/name") with a step queued. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final LongAdder statusWrites = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private SharedIndexInformer<Deployment> informer;

    public DeploymentController(KubernetesClient client, Duration podReadyDelay, int threads) {
        this.client = client;
        this.podReadyDelay = podReadyDelay;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "deployment-controller-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public DeploymentController start() {
        informer = client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                observe(d);
            }

            @Override
            public void onUpdate(Deployment old, Deployment d) {
                observe(d);
            }

            @Override
            public void onDelete(Deployment d, boolean unknown) {
            }
        });
        return this;
    }

    /** Status updates sent so far, and how many of them were answered 409 Conflict. */
    public long statusWrites() {
        return statusWrites.sum();
    }

    public long conflicts() {
        return conflicts.sum();
    }

    /** Deployments with a step still queued (0: the controller has caught up). */
    public int backlog() {
        return queued.size();
    }

    private void observe(Deployment d) {
        if (work(d) != Work.NONE) {
            enqueue(Cache.metaNamespaceKeyFunc(d), work(d) == Work.NEW_GENERATION ? Duration.ZERO : podReadyDelay);
        }
    }

    private enum Work { NONE, NEW_GENERATION, NEXT_POD }

    private static Work work(Deployment d) {
        DeploymentStatus s = d.getStatus();
        if (s == null || !Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())) {
            return Work.NEW_GENERATION;
        }
        return available(d) < wanted(d) && !WorkloadSimulator.isBroken(d) ? Work.NEXT_POD : Work.NONE;
    }

    private void enqueue(String key, Duration delay) {
        if (queued.add(key)) {
            pool.schedule(() -> step(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One status write for the Deployment as last seen: the new generation observed, or one more pod available. */
    private void step(String key) {
        queued.remove(key);
        Deployment d = informer.getStore().getByKey(key);
        if (d == null) {
            return;
        }
        Work work = work(d);
        if (work == Work.NONE) {
            return;
        }
        int wanted = wanted(d);
        int available = Math.min(available(d), wanted);
        if (work == Work.NEXT_POD) {
            available++;
        }
        Deployment next = new DeploymentBuilder(d).withStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(wanted)
                .withUpdatedReplicas(available)
                .withReadyReplicas(available)
                .withAvailableReplicas(available)
                .withUnavailableReplicas(wanted - available)
                .build()).build();
        try {
            statusWrites.increment();
            client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(next).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                conflicts.increment();
            }
            // The newer version reaches the informer and queues the step again; this is in case it already has.
            enqueue(key, podReadyDelay);
        }
    }

    private static int wanted(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static int available(Deployment d) {
        return d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        pool.shutdownNow();
    }
}
