package dev.glidepath.reconciler;

import dev.glidepath.api.v1alpha1.Release;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Wakes the Releases whose spec.promotion names a Release when that Release's standing changes (its phase, its
 * stable revision, since when) or its spec, so a production Release waiting for staging moves as soon as staging does.
 * Releases in an upstream cluster wake theirs the same way, through that cluster's watch. It reads the operator's
 * cache of Releases and holds no resources.
 */
final class UpstreamWakeups extends AbstractEventSource<Void, Release> implements ResourceEventAware<Release> {
    private final EventSourceContext<Release> context;

    /**
     * The index of the cache of Releases by the upstreams each names: "CLUSTER|namespace/name" (no cluster: this one),
     * and "CLUSTER|" for every Release naming an upstream cluster at all.
     */
    private static final String BY_UPSTREAM = "glidepath-upstreams";

    UpstreamWakeups(EventSourceContext<Release> context) {
        super(Void.class, "upstreams");
        this.context = context;
        // An index rather than a scan of every Release at each change of any Release (quadratic at thousands).
        context.getPrimaryCache().addIndexer(BY_UPSTREAM, UpstreamWakeups::upstreamsOf);
    }

    private static List<String> upstreamsOf(Release r) {
        if (r.getSpec() == null || r.getSpec().promotion == null || r.getSpec().promotion.from == null) {
            return List.of();
        }
        return r.getSpec().promotion.from.stream().filter(u -> u != null && u.release != null)
                .flatMap(u -> {
                    String own = key(u.cluster, u.namespace == null ? r.getMetadata().getNamespace() : u.namespace, u.release);
                    return u.cluster == null ? Stream.of(own) : Stream.of(own, clusterKey(u.cluster));
                }).distinct().toList();
    }

    private static String key(String cluster, String namespace, String name) {
        return clusterKey(cluster) + namespace + "/" + name;
    }

    private static String clusterKey(String cluster) {
        return (cluster == null ? "" : cluster) + "|";
    }

    @Override
    public void onResourceCreated(Release release) {
        wakeDownstream(release);
    }

    @Override
    public void onResourceUpdated(Release now, Release before) {
        var a = now.getStatus();
        var b = before.getStatus();
        // A new spec may end a promotion cycle its downstream Releases were refused for.
        boolean specChanged = !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration());
        if (!specChanged && (a == null || b != null && Objects.equals(a.phase, b.phase)
                && Objects.equals(a.stableRevision, b.stableRevision) && Objects.equals(a.stableSince, b.stableSince))) {
            return;
        }
        wakeDownstream(now);
    }

    private void wakeDownstream(Release upstream) {
        wake(null, upstream);
    }

    /**
     * A change in an upstream cluster: its Release {@code upstream} changed, or (null) the cluster's standing did (it
     * became readable or unreadable), which wakes every Release naming the cluster.
     */
    void wakeFromCluster(String cluster, Release upstream) {
        wake(cluster, upstream);
    }

    private void wake(String cluster, Release upstream) {
        if (!isRunning()) {
            return;
        }
        context.getPrimaryCache().byIndex(BY_UPSTREAM, upstream == null ? clusterKey(cluster)
                        : key(cluster, upstream.getMetadata().getNamespace(), upstream.getMetadata().getName()))
                .forEach(r -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(r))));
    }

    @Override
    public Set<Void> getSecondaryResources(Release primary) {
        return Set.of();
    }
}
