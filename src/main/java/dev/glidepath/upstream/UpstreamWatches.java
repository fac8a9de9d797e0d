package dev.glidepath.upstream;

import dev.glidepath.api.v1alpha1.Release;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The watches of the configured upstream clusters, one per cluster, started when a Release first names it and shared
 * by every Release naming it. A heartbeat (every {@link #HEARTBEAT}, on a thread of its own) connects a watch that is
 * not connected and proves a connected one still answers; a cluster with no successful contact within
 * {@link #CONTACT_BOUND} is not trusted. A change upstream, or in a cluster's standing, is passed to the listener
 * (the Releases waiting on it are woken).
 */
public final class UpstreamWatches implements AutoCloseable {
    public static final Duration HEARTBEAT = Duration.ofSeconds(20);
    public static final Duration CONTACT_BOUND = Duration.ofMinutes(2);

    private final UpstreamClusters clusters;
    private final String namespace;
    private final Clock clock;
    private final Duration heartbeat;
    private final Duration bound;
    private final Map<String, UpstreamClusterWatch> watches = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> standings = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Release> listener = (cluster, release) -> { };
    private ScheduledExecutorService beats;

    public UpstreamWatches(UpstreamClusters clusters, String namespace, Clock clock) {
        this(clusters, namespace, clock, HEARTBEAT, CONTACT_BOUND);
    }

    /** With other timings (tests): a heartbeat this often, and trust no older contact than {@code bound}. */
    public UpstreamWatches(UpstreamClusters clusters, String namespace, Clock clock, Duration heartbeat, Duration bound) {
        this.clusters = clusters;
        this.namespace = namespace;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.bound = bound;
    }

    public UpstreamClusters clusters() {
        return clusters;
    }

    /**
     * Who hears of changes: the upstream Release that changed with its cluster, or a null Release when the cluster's
     * standing changed (it became readable or unreadable).
     */
    public void onChange(BiConsumer<String, Release> listener) {
        this.listener = listener;
    }

    /**
     * The watch of a configured cluster, started on first use; {@code local} is the operator's client (its Secret is
     * read through it). A cluster that is not configured has none: it is refused before anything is read.
     */
    public UpstreamClusterWatch watch(String cluster, KubernetesClient local) {
        String secret = clusters.secretOf(cluster).orElseThrow(() -> new IllegalArgumentException(
                "upstream cluster '" + cluster + "' is not configured (" + UpstreamClusters.PROPERTY + ")"));
        return watches.computeIfAbsent(cluster, name -> {
            UpstreamClusterWatch w = new UpstreamClusterWatch(name, secret, namespace, local, clock, bound,
                    release -> listener.accept(name, release));
            schedule(w);
            return w;
        });
    }

    private synchronized void schedule(UpstreamClusterWatch w) {
        if (beats == null) {
            beats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "glidepath-upstream-clusters");
                t.setDaemon(true);
                return t;
            });
        }
        beats.scheduleWithFixedDelay(() -> beat(w), 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat(UpstreamClusterWatch w) {
        try {
            w.beat();
        } finally {
            Optional<String> now = w.problem(clock.instant());
            Optional<String> before = standings.put(w.name(), now);
            if (!now.equals(before)) {
                listener.accept(w.name(), null);
            }
        }
    }

    @Override
    public synchronized void close() {
        // The watches first: a heartbeat interrupted by the shutdown is then known to be the stop, not the cluster.
        watches.values().forEach(UpstreamClusterWatch::close);
        watches.clear();
        if (beats != null) {
            beats.shutdownNow();
        }
    }
}
