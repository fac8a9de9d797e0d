package dev.glidepath.sandbox;

import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays a Gateway API implementation for the sandbox: it watches the HTTPRoutes and Services of a namespace
 * and splits each release's synthetic requests between its revisions as the routes' weights say (the first
 * rule without header conditions: the traffic of everyone but testers), so analysis measures what users of
 * a 5% canary would see. It also keeps, per route, every split it saw, in order.
 */
public final class SimulatedGateway implements AutoCloseable {
    private final String namespace;
    private final SyntheticTraffic traffic;
    private final SharedIndexInformer<HTTPRoute> routes;
    private final SharedIndexInformer<Service> services;
    private final Map<String, List<Map<String, Integer>>> seen = new ConcurrentHashMap<>();

    public SimulatedGateway(KubernetesClient client, String namespace, SyntheticTraffic traffic) {
        this.namespace = namespace;
        this.traffic = traffic;
        Runnable resplit = this::resplit;
        this.routes = client.resources(HTTPRoute.class).inNamespace(namespace).inform(handler(resplit));
        this.services = client.services().inNamespace(namespace).inform(handler(resplit));
    }

    /** Every split of a route's main rule seen so far, as Service name to weight, without repeats in a row. */
    public List<Map<String, Integer>> splits(String route) {
        return List.copyOf(seen.getOrDefault(route, List.of()));
    }

    /** The weight the route's main rule gives a Service, as last seen (0 when absent). */
    public int weight(String route, String service) {
        List<Map<String, Integer>> history = seen.getOrDefault(route, List.of());
        return history.isEmpty() ? 0 : history.get(history.size() - 1).getOrDefault(service, 0);
    }

    private synchronized void resplit() {
        for (HTTPRoute route : routes.getStore().list()) {
            Optional<HTTPRouteRule> main = route.getSpec().getRules().stream()
                    .filter(r -> r.getMatches().stream().allMatch(m -> m.getHeaders().isEmpty()))
                    .findFirst();
            if (main.isEmpty()) {
                continue;
            }
            Map<String, Integer> split = new LinkedHashMap<>();
            for (HTTPBackendRef ref : main.get().getBackendRefs()) {
                split.merge(ref.getName(), ref.getWeight() == null ? 1 : ref.getWeight(), Integer::sum);
            }
            List<Map<String, Integer>> history = seen.computeIfAbsent(route.getMetadata().getName(), k -> new CopyOnWriteArrayList<>());
            if (history.isEmpty() || !history.get(history.size() - 1).equals(split)) {
                history.add(split);
            }
            if (traffic != null) {
                shareOut(split);
            }
        }
    }

    /** Each revision behind the split's Services gets its share of its release's requests; the others none. */
    private void shareOut(Map<String, Integer> split) {
        int total = split.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Map<Integer, Double>> shares = new LinkedHashMap<>();
        split.forEach((name, weight) -> {
            Service s = services.getStore().getByKey(namespace + "/" + name);
            if (s == null || s.getSpec().getSelector() == null || s.getSpec().getSelector().get(Labels.REVISION) == null) {
                return;
            }
            String release = s.getSpec().getSelector().get(Labels.RELEASE);
            int revision = Integer.parseInt(s.getSpec().getSelector().get(Labels.REVISION));
            shares.computeIfAbsent(release, k -> new LinkedHashMap<>())
                    .merge(revision, total == 0 ? 0 : weight / (double) total, Double::sum);
        });
        shares.forEach((release, byRevision) -> {
            for (int revision = 1; revision <= 20; revision++) {
                traffic.share(namespace, release, revision, byRevision.getOrDefault(revision, 0.0));
            }
        });
    }

    private static <T> ResourceEventHandler<T> handler(Runnable onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        };
    }

    @Override
    public void close() {
        routes.close();
        services.close();
    }
}
