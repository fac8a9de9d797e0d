package dev.glidepath.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.HeaderMatch;
import dev.glidepath.strategy.TrafficSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unit tests of {@link HttpRouteSplit} on HTTPRoute JSON: only the stable backend's weight, the canary backend, the
 * header rules and the mark annotation change; everything else, including fields newer than Glidepath, survives a
 * rollout byte for byte, and the routes that cannot carry a split are refused with a reason naming the field.
 */
class HttpRouteSplitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELD = "spec.trafficRouting.httpRoutes[0]";
    private static final HttpRouteSplit SPLIT = new HttpRouteSplit("prod", "shop", "shop", "shop-canary");
    private static final List<HeaderMatch> HEADERS = List.of(HeaderMatch.exact("x-canary", "yes"),
            HeaderMatch.regex("x-user", "^qa-.*"));

    /** Rule 0 routes to the stable Service (weight 3), rule 1 to an unrelated Service, rule 2 to the stable Service. */
    private static final String ROUTE = """
            {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "shop", "namespace": "prod", "labels": {"app": "shop"},
                          "annotations": {"team": "web", "note": "hand-written"}},
             "spec": {
               "parentRefs": [{"name": "edge", "namespace": "infra", "sectionName": "https"}],
               "hostnames": ["shop.example.com"],
               "futureSpecField": {"x": [1, 2]},
               "rules": [
                 {"name": "api",
                  "matches": [{"path": {"type": "PathPrefix", "value": "/api"}, "method": "GET"},
                              {"headers": [{"name": "x-beta", "value": "1"}]}],
                  "filters": [{"type": "RequestHeaderModifier",
                               "requestHeaderModifier": {"add": [{"name": "x-via", "value": "gw"}]}}],
                  "timeouts": {"request": "10s"},
                  "backendRefs": [{"name": "shop", "weight": 3, "port": 8080}],
                  "futureRuleField": true},
                 {"matches": [{"path": {"type": "PathPrefix", "value": "/docs"}}],
                  "backendRefs": [{"name": "docs", "port": 80}]},
                 {"backendRefs": [{"name": "shop", "port": 8080}]}
               ]}}
            """;

    @Test
    void foreignContentSurvivesARolloutByteForByte() {
        ObjectNode original = route(ROUTE);
        String before = original.toString();
        ObjectNode five = SPLIT.apply(original, weighted(5));
        ObjectNode headers = SPLIT.apply(five, weighted(25, HEADERS));
        ObjectNode done = SPLIT.apply(headers, TrafficSplit.NONE);

        assertThat(original.toString()).as("apply does not edit its argument").isEqualTo(before);
        assertThat(done.toString()).isEqualTo(before);
        assertThat(done).isEqualTo(original);
        for (ObjectNode state : List.of(five, headers)) {
            int header = state == headers ? 2 : 0;
            assertThat(state.at("/spec/rules").size()).isEqualTo(3 + header);
            assertThat(state.at("/spec/rules/" + (header + 1))).isEqualTo(original.at("/spec/rules/1"));
            for (String owned : List.of("/spec/parentRefs", "/spec/hostnames", "/spec/futureSpecField", "/metadata/labels",
                    "/metadata/annotations/team", "/metadata/annotations/note", "/apiVersion", "/kind")) {
                assertThat(state.at(owned)).as(owned).isEqualTo(original.at(owned));
            }
            JsonNode api = state.at("/spec/rules/" + header);
            for (String field : List.of("name", "matches", "filters", "timeouts", "futureRuleField")) {
                assertThat(api.get(field)).as(field).isEqualTo(original.at("/spec/rules/0").get(field));
            }
            assertThat(fieldNames(state.get("spec"))).isEqualTo(fieldNames(original.get("spec")));
            assertThat(fieldNames(api)).isEqualTo(fieldNames(original.at("/spec/rules/0")));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 25, 50, 100, 0})
    void activeWeightSplitsEachRoutedRuleAndReadsBack(int w) {
        ObjectNode route = SPLIT.apply(route(ROUTE), weighted(w));
        for (int i : new int[] {0, 2}) {
            assertThat(route.at("/spec/rules/" + i + "/backendRefs")).isEqualTo(json("""
                    [{"name": "shop", "weight": %d, "port": 8080},
                     {"group": "", "kind": "Service", "name": "shop-canary", "port": 8080, "weight": %d}]
                    """.formatted(100 - w, w)));
        }
        assertThat(route.at("/spec/rules/1/backendRefs")).isEqualTo(json("[{\"name\": \"docs\", \"port\": 80}]"));
        assertThat(SPLIT.canaryWeight(route)).contains(w);
        assertThat(SPLIT.canaryWeight(route(ROUTE))).isEmpty();
        assertThat(SPLIT.canaryWeight(SPLIT.apply(route, TrafficSplit.NONE))).isEmpty();
    }

    @Test
    void canaryWithoutPortGetsNoPort() {
        ObjectNode route = SPLIT.apply(route(minimal("{\"name\": \"shop\"}")), weighted(10));
        assertThat(route.at("/spec/rules/0/backendRefs")).isEqualTo(json("""
                [{"name": "shop", "weight": 90}, {"group": "", "kind": "Service", "name": "shop-canary", "weight": 10}]"""));
    }

    @Test
    void originalStableWeightsComeBackThroughTheMark() {
        ObjectNode original = route(ROUTE);
        ObjectNode five = SPLIT.apply(original, weighted(5));
        JsonNode mark = json(five.at("/metadata/annotations").get(HttpRouteSplit.MARK).asText());
        assertThat(mark).isEqualTo(json("""
                {"release": "shop", "stableService": "shop", "canaryService": "shop-canary", "stableWeights": [3, null]}"""));
        // The mark keeps the owner's weights, not the ones Glidepath wrote, through later steps.
        ObjectNode fifty = SPLIT.apply(SPLIT.apply(five, weighted(25, HEADERS)), weighted(50));
        assertThat(json(fifty.at("/metadata/annotations").get(HttpRouteSplit.MARK).asText())).isEqualTo(mark);

        ObjectNode done = SPLIT.apply(fifty, TrafficSplit.NONE);
        assertThat(done.at("/spec/rules/0/backendRefs/0")).isEqualTo(json("{\"name\": \"shop\", \"weight\": 3, \"port\": 8080}"));
        assertThat(done.at("/spec/rules/2/backendRefs/0")).isEqualTo(json("{\"name\": \"shop\", \"port\": 8080}"));
        assertThat(done.at("/metadata/annotations")).isEqualTo(json("{\"team\": \"web\", \"note\": \"hand-written\"}"));
    }

    @Test
    void annotationsAbsentBeforeAreAbsentAfter() {
        ObjectNode original = route(minimal("{\"name\": \"shop\", \"port\": 8080}"));
        ObjectNode active = SPLIT.apply(original, weighted(20));
        assertThat(active.at("/metadata/annotations").fieldNames()).toIterable().containsExactly(HttpRouteSplit.MARK);
        ObjectNode done = SPLIT.apply(active, TrafficSplit.NONE);
        assertThat(done.get("metadata").has("annotations")).isFalse();
        assertThat(done.toString()).isEqualTo(original.toString());
    }

    @Test
    void headerRulesComeFirstOnePerRoutedRule() {
        ObjectNode route = SPLIT.apply(route(ROUTE), weighted(25, HEADERS));
        JsonNode rules = route.at("/spec/rules");
        String conditions = """
                {"type": "Exact", "name": "x-canary", "value": "yes"},
                {"type": "RegularExpression", "name": "x-user", "value": "^qa-.*"}""";
        assertThat(rules.get(0)).isEqualTo(json("""
                {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}, "method": "GET", "headers": [%s]},
                             {"headers": [{"name": "x-beta", "value": "1"}, %s]}],
                 "filters": [{"type": "RequestHeaderModifier",
                              "requestHeaderModifier": {"add": [{"name": "x-via", "value": "gw"}]}}],
                 "timeouts": {"request": "10s"},
                 "backendRefs": [{"group": "", "kind": "Service", "name": "shop-canary", "port": 8080, "weight": 1}]}
                """.formatted(conditions, conditions)));
        assertThat(rules.get(1)).isEqualTo(json("""
                {"matches": [{"path": {"type": "PathPrefix", "value": "/"}, "headers": [%s]}],
                 "backendRefs": [{"group": "", "kind": "Service", "name": "shop-canary", "port": 8080, "weight": 1}]}
                """.formatted(conditions)));
        assertThat(rules.get(2).get("name").asText()).isEqualTo("api");
        assertThat(rules.get(3).at("/backendRefs/0/name").asText()).isEqualTo("docs");
        assertThat(SPLIT.canaryWeight(route)).contains(25);
        assertThat(SPLIT.problems(FIELD, route, names(HEADERS))).isEmpty();
    }

    @Test
    void aHeaderRouteMayNotTakeAMatchOverSixteenHeaders() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            headers.append(i == 0 ? "" : ",").append("{\"name\": \"h").append(i).append("\", \"value\": \"v\"}");
        }
        ObjectNode route = route("{\"metadata\": {\"name\": \"shop\"}, \"spec\": {\"rules\": [{\"matches\": [{\"headers\": ["
                + headers + "]}], \"backendRefs\": [{\"name\": \"shop\"}]}]}}");
        assertThat(SPLIT.problems(FIELD, route, Set.of("x-canary"))).isEmpty();
        assertThat(SPLIT.problems(FIELD, route, names(HEADERS))).singleElement().asString()
                .contains("already matches on 15 headers; with the 2 a setHeaderRoute step adds that is over the 16");
    }

    @Test
    void aSplitWithoutHeadersRemovesTheHeaderRules() {
        ObjectNode withHeaders = SPLIT.apply(route(ROUTE), weighted(25, HEADERS));
        ObjectNode without = SPLIT.apply(withHeaders, weighted(25));
        assertThat(without.at("/spec/rules").size()).isEqualTo(3);
        assertThat(without).isEqualTo(SPLIT.apply(route(ROUTE), weighted(25)));
    }

    @Test
    void applyingTheSameSplitTwiceChangesNothing() {
        for (TrafficSplit split : List.of(weighted(5), weighted(25, HEADERS), weighted(100, HEADERS), TrafficSplit.NONE)) {
            ObjectNode once = SPLIT.apply(route(ROUTE), split);
            ObjectNode twice = SPLIT.apply(once, split);
            assertThat(twice).as(split.toString()).isEqualTo(once);
            assertThat(twice.toString()).isEqualTo(once.toString());
        }
        assertThat(SPLIT.apply(route(ROUTE), TrafficSplit.NONE).toString()).isEqualTo(route(ROUTE).toString());
    }

    @Test
    void aHealthyRouteHasNoProblem() {
        assertThat(SPLIT.problems(FIELD, route(ROUTE), Set.of())).isEmpty();
        assertThat(SPLIT.problems(FIELD, route(ROUTE), names(HEADERS))).isEmpty();
        assertThat(SPLIT.problems(FIELD, SPLIT.apply(route(ROUTE), weighted(40, HEADERS)), names(HEADERS))).isEmpty();
    }

    @Test
    void aRouteWithoutTheStableServiceIsRefused() {
        assertProblem(route(minimal("{\"name\": \"docs\", \"port\": 80}")), Set.of(),
                "has no rule with a backendRef to the stable Service 'shop'");
    }

    @Test
    void aRuleSharingTheStableServiceWithAnotherBackendIsRefused() {
        assertProblem(route(minimal("{\"name\": \"shop\", \"weight\": 9}, {\"name\": \"legacy\", \"weight\": 1}")), Set.of(),
                "rule 0 of HTTPRoute 'shop' sends traffic to the stable Service 'shop' and to other backends");
    }

    @Test
    void aRouteMarkedByAnotherReleaseIsRefused() {
        ObjectNode route = SPLIT.apply(route(ROUTE), weighted(10));
        assertThat(SPLIT.problems(FIELD, route, Set.of())).isEmpty();
        HttpRouteSplit other = new HttpRouteSplit("prod", "shop-v2", "shop", "shop-canary");
        assertThat(other.problems(FIELD, route, Set.of())).singleElement().asString().startsWith(FIELD + ": ")
                .contains("in use by the rollout of Release 'shop'").contains(HttpRouteSplit.MARK);
    }

    @Test
    void aRouteOwnedByAnotherReleaseIsRefused() {
        ObjectNode route = route(ROUTE);
        ((ObjectNode) route.get("metadata")).set("ownerReferences", json("""
                [{"apiVersion": "glidepath.dev/v1alpha1", "kind": "Release", "name": "other", "uid": "1", "controller": true}]"""));
        assertProblem(route, Set.of(), "is owned by Release 'other'");
        ((ObjectNode) route.at("/metadata/ownerReferences/0")).put("controller", false);
        assertThat(SPLIT.problems(FIELD, route, Set.of())).isEmpty();
        ((ObjectNode) route.at("/metadata/ownerReferences/0")).put("controller", true).put("name", "shop");
        assertThat(SPLIT.problems(FIELD, route, Set.of())).isEmpty();
    }

    @Test
    void headerRulesMayNotTakeTheRouteOverSixteenRules() {
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            refs.append(i == 0 ? "" : ",").append(i < 7 ? "{\"backendRefs\": [{\"name\": \"shop\"}]}"
                    : "{\"backendRefs\": [{\"name\": \"docs\"}]}");
        }
        ObjectNode seventeen = route("{\"metadata\": {\"name\": \"shop\"}, \"spec\": {\"rules\": [" + refs + "]}}");
        assertProblem(seventeen, Set.of("x-canary"), "has 10 rules; a header route adds 7 more, over the 16");
        assertThat(SPLIT.problems(FIELD, seventeen, Set.of())).isEmpty();
        ((ObjectNode) seventeen.at("/spec/rules/6/backendRefs/0")).put("name", "docs");
        assertThat(SPLIT.problems(FIELD, seventeen, Set.of("x-canary"))).as("exactly 16 rules").isEmpty();
    }

    @Test
    void aHeaderTheRulesOwnMatchAlreadyTestsCannotBeAddedTwice() {
        ObjectNode route = route("{\"metadata\": {\"name\": \"shop\"}, \"spec\": {\"rules\": [{\"matches\": [{\"headers\":"
                + " [{\"name\": \"X-Canary\", \"value\": \"no\"}]}], \"backendRefs\": [{\"name\": \"shop\"}]}]}}");
        assertProblem(route, Set.of("x-canary"), "rule 0 of HTTPRoute 'shop' already matches on header 'X-Canary'");
        assertThat(SPLIT.problems(FIELD, route, Set.of("x-user"))).isEmpty();
    }

    @Test
    void theStableServiceIsTheOneInTheReleasesNamespace() {
        ObjectNode same = route(minimal("{\"name\": \"shop\", \"namespace\": \"prod\", \"port\": 8080}"));
        assertThat(SPLIT.problems(FIELD, same, Set.of())).isEmpty();
        assertThat(SPLIT.apply(same, weighted(30)).at("/spec/rules/0/backendRefs/1/weight").asInt()).isEqualTo(30);

        ObjectNode elsewhere = route(minimal("{\"name\": \"shop\", \"namespace\": \"staging\", \"port\": 8080}"));
        assertProblem(elsewhere, Set.of(), "has no rule with a backendRef to the stable Service 'shop'");
        ObjectNode mixed = route(minimal("{\"name\": \"shop\"}, {\"name\": \"shop\", \"namespace\": \"staging\"}"));
        assertProblem(mixed, Set.of(), "rule 0 of HTTPRoute 'shop' sends traffic to the stable Service 'shop' and to other backends");
    }

    private static Set<String> names(List<HeaderMatch> headers) {
        return headers.stream().map(h -> h.name).collect(Collectors.toSet());
    }

    private static void assertProblem(ObjectNode route, Set<String> headerNames, String problem) {
        assertThat(SPLIT.problems(FIELD, route, headerNames)).singleElement().asString()
                .startsWith(FIELD + ": ").contains(problem);
    }

    private static TrafficSplit weighted(int w) {
        return weighted(w, List.of());
    }

    private static TrafficSplit weighted(int w, List<HeaderMatch> headers) {
        return new TrafficSplit(true, w, headers);
    }

    private static String minimal(String backendRefs) {
        return "{\"metadata\": {\"name\": \"shop\", \"namespace\": \"prod\"}, \"spec\": {\"rules\": [{\"backendRefs\": ["
                + backendRefs + "]}]}}";
    }

    private static ObjectNode route(String text) {
        return (ObjectNode) json(text);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aRouteIsGivenBackWithTheServicesItsMarkNamesWhateverTheReleaseSaysNow() {
        ObjectNode original = route(ROUTE);
        ObjectNode routed = SPLIT.apply(original, weighted(25, HEADERS));
        assertThat(HttpRouteSplit.markedBy(routed, "prod", "cart", "cart", "cart-canary")).isEmpty();
        assertThat(HttpRouteSplit.markedBy(original, "prod", "shop", "shop", "shop-canary")).isEmpty();
        // The Release now names other Services (or none): the mark still knows which backends are its own.
        HttpRouteSplit back = HttpRouteSplit.markedBy(routed, "prod", "shop", "renamed", "renamed-canary").orElseThrow();
        assertThat(back.apply(routed, TrafficSplit.NONE)).isEqualTo(original);
    }
}
