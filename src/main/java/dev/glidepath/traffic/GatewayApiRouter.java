package dev.glidepath.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.TrafficRoutingSpec;
import dev.glidepath.strategy.TrafficSplit;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Routes through Gateway API HTTPRoutes ({@code gateway.networking.k8s.io/v1}) that the Release's users own:
 * each route is read once per reconcile and written with an update carrying the resourceVersion read, only
 * where it differs from the split asked for. Only what {@link HttpRouteSplit} owns changes.
 */
public final class GatewayApiRouter implements TrafficRouter {
    static final String API_VERSION = "gateway.networking.k8s.io/v1";
    static final String KIND = "HTTPRoute";
    /** A route another writer changed between the read and the write is read again and edited again, this often. */
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = Logger.getLogger(GatewayApiRouter.class);

    private final KubernetesClient client;

    public GatewayApiRouter(KubernetesClient client) {
        this.client = client;
    }

    /** The routes as read, by name, with what stands in the way of routing through them. */
    record Routes(List<String> problems, Optional<Integer> canaryWeight, Map<String, ObjectNode> routes) implements Reading {
    }

    @Override
    public Reading read(Release release) {
        TrafficRoutingSpec routing = release.getSpec().trafficRouting;
        HttpRouteSplit split = split(release);
        List<String> problems = new ArrayList<>();
        Map<String, ObjectNode> routes = new LinkedHashMap<>();
        Optional<Integer> weight = Optional.empty();
        Set<String> headers = headerNames(release);
        List<String> names = routing.gatewayAPI.httpRoutes;
        for (int i = 0; i < names.size(); i++) {
            String field = "spec.trafficRouting.gatewayAPI.httpRoutes[" + i + "]";
            String name = names.get(i);
            GenericKubernetesResource found;
            try {
                found = routes(release).withName(name).get();
            } catch (KubernetesClientException e) {
                problems.add(field + ": cannot read HTTPRoute '" + name + "' (" + e.getCode() + "): "
                        + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
                continue;
            }
            if (found == null) {
                problems.add(installed() ? field + ": HTTPRoute '" + name + "' not found in namespace "
                        + release.getMetadata().getNamespace()
                        : "spec.trafficRouting.gatewayAPI: the Gateway API is not installed in this cluster (no " + API_VERSION
                                + " HTTPRoute resource); install its CRDs or remove spec.trafficRouting");
                continue;
            }
            ObjectNode route = Serialization.jsonMapper().valueToTree(found);
            problems.addAll(split.problems(field, route, headers));
            routes.put(name, route);
            if (weight.isEmpty()) {
                weight = split.canaryWeight(route);
            }
        }
        return new Routes(problems.stream().distinct().toList(), weight, routes);
    }

    @Override
    public void apply(Release release, Reading reading, TrafficSplit split) {
        HttpRouteSplit edit = split(release);
        for (Map.Entry<String, ObjectNode> e : ((Routes) reading).routes().entrySet()) {
            ObjectNode route = e.getValue();
            for (int attempt = 1;; attempt++) {
                ObjectNode next = edit.apply(route, split);
                if (next.equals(route)) {
                    break;
                }
                try {
                    routes(release).resource(Serialization.jsonMapper().treeToValue(next, GenericKubernetesResource.class)).update();
                    LOG.debugf("HTTPRoute %s: canary weight %d, header route %s", e.getKey(), split.canaryWeight(), split.headers());
                    break;
                } catch (KubernetesClientException conflict) {
                    if (conflict.getCode() != 409 || attempt >= ATTEMPTS) {
                        throw conflict;
                    }
                    GenericKubernetesResource fresh = routes(release).withName(e.getKey()).get();
                    if (fresh == null) {
                        break;
                    }
                    route = Serialization.jsonMapper().valueToTree(fresh);
                } catch (JsonProcessingException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> routes(
            Release release) {
        return client.genericKubernetesResources(API_VERSION, KIND).inNamespace(release.getMetadata().getNamespace());
    }

    /** Whether the API server serves HTTPRoutes at all (asked only once a route was not found). */
    private boolean installed() {
        try {
            APIResourceList resources = client.getApiResources(API_VERSION);
            return resources != null && resources.getResources().stream().anyMatch(r -> "httproutes".equals(r.getName()));
        } catch (KubernetesClientException e) {
            return e.getCode() != 404;
        }
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
