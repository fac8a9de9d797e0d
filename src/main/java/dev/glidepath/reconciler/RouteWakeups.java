package dev.glidepath.reconciler;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.traffic.GatewayApiRouter;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Wakes a Release when an HTTPRoute it names (or may have marked) changes, so a hand edit of the weights is put
 * back within a second rather than at the next periodic look. The routes are still read fresh in the reconcile;
 * this only watches them. The Gateway API is optional: without it (or before it is installed) the watch keeps
 * trying quietly and nothing else is affected.
 */
final class RouteWakeups extends AbstractEventSource<Void, Release> {
    private static final Logger LOG = Logger.getLogger(RouteWakeups.class);

    private final EventSourceContext<Release> context;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final AtomicBoolean reportedUnavailable = new AtomicBoolean();
    static final int WAKES_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private final Clock clock;
    private final Map<ResourceID, Wakes> recent = new ConcurrentHashMap<>();

    RouteWakeups(EventSourceContext<Release> context, Clock clock) {
        super(Void.class, "routes");
        this.context = context;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        super.start();
        KubernetesClient client = context.getClient();
        var informerConfig = context.getControllerConfiguration().getInformerConfig();
        var routes = client.genericKubernetesResources(GatewayApiRouter.API_VERSION, GatewayApiRouter.KIND);
        if (informerConfig.watchAllNamespaces()) {
            informers.add(routes.inAnyNamespace().runnableInformer(0));
        } else {
            for (String ns : informerConfig.getNamespaces()) {
                String namespace = informerConfig.watchCurrentNamespace() ? client.getNamespace() : ns;
                informers.add(routes.inNamespace(namespace).runnableInformer(0));
            }
        }
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
            informer.addEventHandler(new Handler());
            informer.exceptionHandler((started, error) -> {
                if (reportedUnavailable.compareAndSet(false, true)) {
                    LOG.infof("not watching HTTPRoutes (%s); routes are still read at each reconcile, and the watch starts once"
                            + " they can be listed", error.getMessage());
                }
                return true;
            });
            informer.start();
        }
    }

    @Override
    public synchronized void stop() {
        informers.forEach(SharedIndexInformer::stop);
        informers.clear();
        super.stop();
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource route) {
            wake(route);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource route) {
            // A gateway writing the route's status moves no traffic.
            if (!Objects.equals(before.getAdditionalProperties().get("spec"), route.getAdditionalProperties().get("spec"))
                    || !Objects.equals(before.getMetadata().getAnnotations(), route.getMetadata().getAnnotations())) {
                wake(route);
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource route, boolean deletedFinalStateUnknown) {
            wake(route);
        }
    }

    /**
     * The Releases of the route's namespace that name it, or that routed and may still mark it. A Release woken by
     * routes more than {@value #WAKES_PER_WINDOW} times in {@link #WINDOW} (another controller rewriting the same
     * weights) is left to its periodic look until the window passes, so two writers never spin against each other.
     */
    private void wake(GenericKubernetesResource route) {
        if (!isRunning()) {
            return;
        }
        String ns = route.getMetadata().getNamespace();
        String name = route.getMetadata().getName();
        Instant now = clock.instant();
        context.getPrimaryCache().list(ns, r -> names(r, name) || r.getStatus() != null && r.getStatus().canaryService != null)
                .map(ResourceID::fromResource).filter(id -> admit(id, now))
                .forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }

    private boolean admit(ResourceID id, Instant now) {
        if (recent.size() > 10_000) {
            recent.clear();
        }
        Wakes w = recent.compute(id, (k, before) -> before == null || now.isAfter(before.since().plus(WINDOW)) ? new Wakes(now, 1)
                : new Wakes(before.since(), before.count() + 1));
        if (w.count() == WAKES_PER_WINDOW + 1) {
            LOG.warnf("%s: its HTTPRoutes changed %d times within %s; another controller may be writing their weights too (the"
                    + " route's managedFields name it). Route changes wake it again after that", id, WAKES_PER_WINDOW, WINDOW);
        }
        return w.count() <= WAKES_PER_WINDOW;
    }

    private record Wakes(Instant since, int count) {
    }

    private static boolean names(Release r, String route) {
        var spec = r.getSpec();
        return spec != null && spec.trafficRouting != null && spec.trafficRouting.gatewayAPI != null
                && spec.trafficRouting.gatewayAPI.httpRoutes != null && spec.trafficRouting.gatewayAPI.httpRoutes.contains(route);
    }

    @Override
    public Set<Void> getSecondaryResources(Release primary) {
        return Set.of();
    }
}
