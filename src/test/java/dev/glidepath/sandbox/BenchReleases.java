package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** What the analysis benchmarks share: the Releases of one namespace as a user watches them, and percentiles. */
final class BenchReleases {
    private final KubernetesClient client;
    private final String namespace;
    /** When each Release's stable Service was first seen pinned to revision 1 (all traffic on the stable revision). */
    final Map<String, Long> pinnedAt = new ConcurrentHashMap<>();

    BenchReleases(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        client.services().inNamespace(namespace).inform(new ResourceEventHandler<Service>() {
            @Override
            public void onAdd(Service s) {
                onUpdate(s, s);
            }

            @Override
            public void onUpdate(Service old, Service s) {
                if ("1".equals(s.getSpec().getSelector().get("glidepath.dev/revision"))) {
                    pinnedAt.putIfAbsent(s.getMetadata().getName(), System.nanoTime());
                }
            }

            @Override
            public void onDelete(Service s, boolean unknown) {
            }
        });
    }

    String phase(String name) {
        Release r = client.resources(Release.class).inNamespace(namespace).withName(name).get();
        return r == null || r.getStatus() == null ? null : r.getStatus().phase;
    }

    Rollout lastRollout(String name) {
        return client.resources(Rollout.class).inNamespace(namespace).withLabel("glidepath.dev/release", name).list().getItems().stream()
                .max(Comparator.comparing(x -> Integer.valueOf(x.getMetadata().getLabels().get("glidepath.dev/sequence"))))
                .orElse(null);
    }

    void setImage(String name, String image) {
        Releases.edit(client, namespace, name, r -> {
            r.getSpec().template.getSpec().getContainers().get(0).setImage(image);
            return r;
        });
    }

    /** Polls a condition of the benchmark's own (it measures, so it may not lean on a test's patience). */
    static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("condition not reached within " + seconds + "s");
            }
            Thread.sleep(20);
        }
    }

    static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
