package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.Release;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Prints what happens in the sandbox as a readable timeline: every Release phase change and Event. */
public final class Timeline implements AutoCloseable {
    private final long start = System.nanoTime();
    private final PrintStream out;
    private final Map<String, String> lastSeen = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Release> releases;
    private final SharedIndexInformer<Event> events;
    private final SharedIndexInformer<dev.glidepath.api.v1alpha1.Rollout> rollouts;
    private final Map<String, java.time.Instant> measurementsShown = new ConcurrentHashMap<>();

    public Timeline(KubernetesClient client, String namespace, PrintStream out) {
        this.out = out;
        releases = client.resources(Release.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Release r) {
                show(r);
            }

            @Override
            public void onUpdate(Release old, Release r) {
                show(r);
            }

            @Override
            public void onDelete(Release r, boolean unknown) {
            }
        });
        events = client.v1().events().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Event e) {
                if (e.getReason() != null && e.getReason().startsWith("Phase")) {
                    return; // the Release's own status line shows phase changes
                }
                line(e.getInvolvedObject().getName(), ("Warning".equals(e.getType()) ? "! " : "  ") + e.getReason() + ": "
                        + e.getMessage());
            }

            @Override
            public void onUpdate(Event old, Event e) {
            }

            @Override
            public void onDelete(Event e, boolean unknown) {
            }
        });
        rollouts = client.resources(dev.glidepath.api.v1alpha1.Rollout.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(dev.glidepath.api.v1alpha1.Rollout r) {
                measurements(r);
            }

            @Override
            public void onUpdate(dev.glidepath.api.v1alpha1.Rollout old, dev.glidepath.api.v1alpha1.Rollout r) {
                measurements(r);
            }

            @Override
            public void onDelete(dev.glidepath.api.v1alpha1.Rollout r, boolean unknown) {
            }
        });
    }

    /** Prints each new analysis measurement: the evidence as it arrives. */
    private void measurements(dev.glidepath.api.v1alpha1.Rollout r) {
        if (r.getStatus() == null || r.getStatus().analysis == null) {
            return;
        }
        for (var metric : r.getStatus().analysis) {
            // The Rollout keeps the latest few: what is new is what was measured after the last one shown.
            String key = r.getMetadata().getName() + "/" + metric.name;
            java.time.Instant shown = measurementsShown.getOrDefault(key, java.time.Instant.MIN);
            for (var m : metric.measurements) {
                java.time.Instant at = java.time.Instant.parse(m.time);
                if (!at.isAfter(shown)) {
                    continue;
                }
                line(r.getSpec().release, "  measured " + metric.name + " = "
                        + (m.value == null ? "-" : dev.glidepath.analysis.Verdicts.format(m.value)) + "  " + m.verdict
                        + (m.reason == null ? "" : " (" + m.reason + ")"));
                shown = at;
            }
            measurementsShown.put(key, shown);
        }
    }

    private void show(Release r) {
        if (r.getStatus() == null || r.getStatus().phase == null) {
            return;
        }
        String state = r.getStatus().phase + (r.getStatus().canaryWeight != null && r.getStatus().canaryWeight > 0
                ? " weight=" + r.getStatus().canaryWeight : "");
        if (!Objects.equals(lastSeen.put(r.getMetadata().getName(), state), state)) {
            line(r.getMetadata().getName(), "[" + state + "] " + r.getStatus().message);
        }
    }

    public void say(String text) {
        line("demo", "» " + text);
    }

    public synchronized void line(String who, String text) {
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%7.1fs  %-11s %s%n", seconds, who, text);
    }

    @Override
    public void close() {
        releases.close();
        events.close();
        rollouts.close();
    }
}
