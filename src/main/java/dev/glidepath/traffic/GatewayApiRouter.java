package dev.glidepath.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.TrafficRoutingSpec;
import dev.glidepath.strategy.TrafficSplit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Routes through Gateway API HTTPRoutes ({@code gateway.networking.k8s.io/v1}) that the Release's users own:
 * the namespace's routes are listed once per reconcile, and a route is written with an update carrying the resourceVersion read, only
 * where it differs from the split asked for. Only what {@link HttpRouteSplit} owns changes.
 */
public final class GatewayApiRouter implements TrafficRouter {
    public static final String API_VERSION = "gateway.networking.k8s.io/v1";
    public static final String KIND = "HTTPRoute";
    /** A route another writer changed between the read and the write is read again and edited again, this often. */
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = Logger.getLogger(GatewayApiRouter.class);

    private final KubernetesClient client;

    public GatewayApiRouter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The routes as read, by name, with what stands in the way of routing through them, and the routes this
     * Release marked that it no longer names (given back to their owner's weights before anything else moves).
     */
    record Routes(List<String> problems, Optional<Integer> canaryWeight, Map<String, ObjectNode> routes,
            Map<String, ObjectNode> dropped, Set<String> backends) implements Reading {
        @Override
        public boolean givesBack() {
            return !dropped.isEmpty();
        }

        @Override
        public boolean sendsTo(String service) {
            return backends == null || backends.contains(service);
        }
    }

    /** The Services of the route's own namespace that its rules send requests to. */
    private static Set<String> backends(Collection<ObjectNode> routes, String namespace) {
        Set<String> names = new HashSet<>();
        for (ObjectNode route : routes) {
            for (JsonNode rule : route.path("spec").path("rules")) {
                for (JsonNode ref : rule.path("backendRefs")) {
                    if (ref.path("kind").asText("Service").equals("Service") && ref.path("group").asText("").isEmpty()
                            && ref.path("namespace").asText(namespace).equals(namespace)) {
                        names.add(ref.path("name").asText());
                    }
                }
            }
        }
        return names;
    }

    @Override
    public Reading read(Release release) {
        TrafficRoutingSpec routing = release.getSpec().trafficRouting;
        List<String> names = routing == null ? List.of() : routing.gatewayAPI.httpRoutes;
        Map<String, ObjectNode> all;
        try {
            all = list(release);
        } catch (KubernetesClientException e) {
            String problem = "spec.trafficRouting.gatewayAPI: cannot list the HTTPRoutes of namespace " + release.getMetadata().getNamespace()
                    + " (" + e.getCode() + "): " + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
            // Also without routing in the spec: the routes this Release marked must be read to be given back.
            return new Routes(List.of(problem), Optional.empty(), Map.of(), Map.of(), null);
        }
        if (all == null) {
            return new Routes(names.isEmpty() ? List.of() : List.of("spec.trafficRouting.gatewayAPI: the Gateway API is not installed in"
                    + " this cluster (no " + API_VERSION + " HTTPRoute resource); install its CRDs or remove spec.trafficRouting"),
                    Optional.empty(), Map.of(), Map.of(), Set.of());
        }
        HttpRouteSplit split = routing == null ? null : split(release);
        List<String> problems = new ArrayList<>();
        Map<String, ObjectNode> routes = new LinkedHashMap<>();
        Optional<Integer> weight = Optional.empty();
        Set<String> headers = headerNames(release);
        for (int i = 0; i < names.size(); i++) {
            String field = "spec.trafficRouting.gatewayAPI.httpRoutes[" + i + "]";
            String name = names.get(i);
            ObjectNode route = all.get(name);
            if (route == null) {
                problems.add(field + ": HTTPRoute '" + name + "' not found in namespace " + release.getMetadata().getNamespace());
                continue;
            }
            problems.addAll(split.problems(field, route, headers));
            routes.put(name, route);
            if (weight.isEmpty()) {
                weight = split.canaryWeight(route);
            }
        }
        Map<String, ObjectNode> dropped = new LinkedHashMap<>();
        all.forEach((name, route) -> {
            if (!routes.containsKey(name) && givingBack(release, route).isPresent()) {
                dropped.put(name, route);
            }
        });
        return new Routes(problems.stream().distinct().toList(), weight, routes, dropped,
                backends(all.values(), release.getMetadata().getNamespace()));
    }

    @Override
    public void apply(Release release, Reading reading, TrafficSplit split) {
        HttpRouteSplit edit = split(release);
        for (Map.Entry<String, ObjectNode> e : ((Routes) reading).routes().entrySet()) {
            write(release, e.getKey(), e.getValue(), route -> edit.apply(route, split));
        }
    }

    @Override
    public List<String> giveBack(Release release, Reading reading) {
        Map<String, ObjectNode> dropped = ((Routes) reading).dropped();
        dropped.forEach((name, route) -> write(release, name, route,
                r -> givingBack(release, r).map(edit -> edit.apply(r, TrafficSplit.NONE)).orElse(r)));
        return List.copyOf(dropped.keySet());
    }

    @Override
    public List<String> giveBackAll(Release release) {
        Map<String, ObjectNode> all = list(release);
        List<String> given = new ArrayList<>();
        if (all != null) {
            all.forEach((name, route) -> givingBack(release, route).ifPresent(edit -> {
                write(release, name, route, r -> givingBack(release, r).map(e -> e.apply(r, TrafficSplit.NONE)).orElse(r));
                given.add(name);
            }));
        }
        return given;
    }

    /**
     * Writes {@code edit} of the route, where it changes anything: an update with the resourceVersion read; a
     * conflicting write is read again and edited again.
     */
    private void write(Release release, String name, ObjectNode read, UnaryOperator<ObjectNode> edit) {
        ObjectNode route = read;
        for (int attempt = 1;; attempt++) {
            ObjectNode next = edit.apply(route);
            if (next.equals(route)) {
                return;
            }
            try {
                routes(release).resource(Serialization.jsonMapper().treeToValue(next, GenericKubernetesResource.class)).update();
                LOG.debugf("HTTPRoute %s written", name);
                return;
            } catch (KubernetesClientException conflict) {
                if (conflict.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw conflict;
                }
                GenericKubernetesResource fresh = routes(release).withName(name).get();
                if (fresh == null) {
                    return;
                }
                route = Serialization.jsonMapper().valueToTree(fresh);
            } catch (JsonProcessingException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** The namespace's routes by name; null when the API server serves no HTTPRoutes. */
    private Map<String, ObjectNode> list(Release release) {
        GenericKubernetesResourceList list;
        try {
            list = routes(release).list();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
        Map<String, ObjectNode> all = new LinkedHashMap<>();
        list.getItems().forEach(r -> all.put(r.getMetadata().getName(), Serialization.jsonMapper().valueToTree(r)));
        return all;
    }

    /** The edit that gives a route this Release marked back to its owner's weights; empty for any other route. */
    private static Optional<HttpRouteSplit> givingBack(Release release, ObjectNode route) {
        String stable = release.getSpec() == null || release.getSpec().service == null ? "" : release.getSpec().service.name;
        String canary = release.getStatus() != null && release.getStatus().canaryService != null ? release.getStatus().canaryService
                : release.getSpec() != null && release.getSpec().trafficRouting != null
                        ? release.getSpec().trafficRouting.canaryServiceName(stable) : stable + "-canary";
        return HttpRouteSplit.markedBy(route, release.getMetadata().getNamespace(), release.getMetadata().getName(), stable, canary);
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> routes(
            Release release) {
        return client.genericKubernetesResources(API_VERSION, KIND).inNamespace(release.getMetadata().getNamespace());
    }

    private static HttpRouteSplit split(Release release) {
        String stable = release.getSpec().service.name;
        return new HttpRouteSplit(release.getMetadata().getNamespace(), release.getMetadata().getName(), stable,
                release.getSpec().trafficRouting.canaryServiceName(stable));
    }

    /** The headers the Release's header routes match on. */
    private static Set<String> headerNames(Release release) {
        var strategy = release.getSpec().strategy;
        if (strategy == null || strategy.canary == null || strategy.canary.steps == null) {
            return Set.of();
        }
        return strategy.canary.steps.stream().filter(s -> s != null && s.setHeaderRoute != null && s.setHeaderRoute.match != null)
                .flatMap(s -> s.setHeaderRoute.match.stream()).map(m -> m.name).collect(Collectors.toSet());
    }
}
