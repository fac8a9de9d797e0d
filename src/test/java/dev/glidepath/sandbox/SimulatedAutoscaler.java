package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.Release;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Plays a HorizontalPodAutoscaler whose scaleTargetRef is a Release, through the Release's scale subresource
 * only, as the real one does: it reads the ready pods (status.replicas) and, from the load they share, computes
 * desired = ceil(ready × utilization / target), clamped to [min, max], and writes it when it differs from
 * spec.replicas. The load is the total the application receives, so the utilization per pod falls as pods are
 * added: a correct target settles at ceil(load / target) whatever extra pods a rollout runs.
 */
public final class SimulatedAutoscaler implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final String release;
    private final IntSupplier load;
    private final int targetPerPod;
    private final int min;
    private final int max;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-hpa");
        t.setDaemon(true);
        return t;
    });
    private final List<Integer> written = new CopyOnWriteArrayList<>();

    public SimulatedAutoscaler(KubernetesClient client, String namespace, String release, IntSupplier load, int targetPerPod,
            int min, int max) {
        this.client = client;
        this.namespace = namespace;
        this.release = release;
        this.load = load;
        this.targetPerPod = targetPerPod;
        this.min = min;
        this.max = max;
    }

    public SimulatedAutoscaler start() {
        loop.scheduleWithFixedDelay(this::evaluate, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Every spec.replicas it wrote, in order. */
    public List<Integer> written() {
        return List.copyOf(written);
    }

    private void evaluate() {
        try {
            Scale scale = client.resources(Release.class).inNamespace(namespace).withName(release).scale();
            int ready = scale.getStatus() == null || scale.getStatus().getReplicas() == null ? 0 : scale.getStatus().getReplicas();
            if (ready == 0 || scale.getStatus().getSelector() == null) {
                return;
            }
            double utilization = load.getAsInt() / (double) ready;
            int desired = (int) Math.ceil(ready * utilization / targetPerPod);
            desired = Math.max(min, Math.min(max, desired));
            if (desired != scale.getSpec().getReplicas()) {
                client.resources(Release.class).inNamespace(namespace).withName(release).scale(desired);
                written.add(desired);
            }
        } catch (KubernetesClientException e) {
            // As the real one: try again at the next evaluation.
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
