package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.lang.management.ManagementFactory;

/** Readings of the sandbox for the benchmark: when it goes quiet, what it holds, how fast it answers, the heap. */
final class SandboxProbe {
    private SandboxProbe() {
    }

    /** Waits until no request has reached the sandbox for 2 s (at most 2 minutes), e.g. the simulator's backlog. */
    static void awaitQuiet(RequestLog log) throws InterruptedException {
        long start = System.nanoTime();
        int mark = log.size();
        int seen = mark;
        long quietSince = System.nanoTime();
        while (seconds(quietSince) < 2 && seconds(start) < 120) {
            Thread.sleep(100);
            if (log.size() != seen) {
                seen = log.size();
                quietSince = System.nanoTime();
            }
        }
        System.out.printf("sandbox quiet %.1f s later; requests until then: %s%n", seconds(start) - seconds(quietSince),
                RequestCounts.of(log.since(mark)));
    }

    static String contents(KubernetesClient client) {
        return String.format("%d Releases, %d Deployments, %d Services, %d Rollouts, %d Events",
                client.resources(Release.class).inAnyNamespace().list().getItems().size(),
                client.apps().deployments().inAnyNamespace().list().getItems().size(),
                client.services().inAnyNamespace().list().getItems().size(),
                client.resources(Rollout.class).inAnyNamespace().list().getItems().size(),
                client.v1().events().inAnyNamespace().list().getItems().size());
    }

    /** Mean latency of 20 GETs of a Release and 20 PATCHes of a ConfigMap, as "GET / PATCH ms". */
    static String latency(KubernetesClient client, String namespace, String release) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("probe")
                .endMetadata().build()).create();
        int probes = 20;
        long start = System.nanoTime();
        for (int i = 0; i < probes; i++) {
            client.resources(Release.class).inNamespace(namespace).withName(release).get();
        }
        double readMillis = seconds(start) * 1000 / probes;
        start = System.nanoTime();
        for (int i = 0; i < probes; i++) {
            client.configMaps().inNamespace(namespace).withName("probe")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"i\":\"" + i + "\"}}");
        }
        return String.format("%.1f / %.1f ms", readMillis, seconds(start) * 1000 / probes);
    }

    /** Heap in use after full collections. */
    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
