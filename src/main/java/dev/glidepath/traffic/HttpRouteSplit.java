package dev.glidepath.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.HeaderMatch;
import dev.glidepath.strategy.TrafficSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The edit of one HTTPRoute, on its JSON as read, so that every field Glidepath does not own survives as it
 * was, including fields newer than the types it knows. Glidepath owns only: the weight of the stable Service's
 * backendRef in the rules whose only backend it is, the canary Service's backendRef next to it, the header rules
 * (whose only backend is the canary Service) placed before the route's own rules, and one annotation marking
 * the route while a rollout runs. The mark records the stable backends' weights as their owner wrote them, so
 * they come back exactly when the rollout ends.
 */
final class HttpRouteSplit {
    /** Marks a route while a rollout of a Release routes through it: {"release": NAME, "stableWeights": [...]} */
    static final String MARK = "glidepath.dev/traffic";
    /** An HTTPRoute holds at most this many rules, and a match at most this many header conditions. */
    static final int MAX_RULES = 16;
    static final int MAX_HEADERS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String namespace;
    private final String release;
    private final String stableService;
    private final String canaryService;

    HttpRouteSplit(String namespace, String release, String stableService, String canaryService) {
        this.namespace = namespace;
        this.release = release;
        this.stableService = stableService;
        this.canaryService = canaryService;
    }

    /**
     * Why the route cannot carry this Release's split, each naming {@code field}; empty when it can.
     * {@code headerNames} are the headers the Release's header routes match on (any case).
     */
    List<String> problems(String field, ObjectNode route, Set<String> headerNames) {
        Set<String> headers = headerNames.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        String name = route.path("metadata").path("name").asText();
        Optional<String> markedBy = mark(route).map(m -> m.path("release").asText());
        if (markedBy.isPresent() && !markedBy.get().equals(release)) {
            problems.add(field + ": HTTPRoute '" + name + "' is in use by the rollout of Release '" + markedBy.get()
                    + "' (annotation " + MARK + ")");
        }
        for (JsonNode owner : route.path("metadata").path("ownerReferences")) {
            if ("Release".equals(owner.path("kind").asText()) && owner.path("controller").asBoolean(false)
                    && !release.equals(owner.path("name").asText())) {
                problems.add(field + ": HTTPRoute '" + name + "' is owned by Release '" + owner.path("name").asText() + "'");
            }
        }
        List<JsonNode> own = ownRules(route);
        int routed = 0;
        for (int i = 0; i < own.size(); i++) {
            JsonNode rule = own.get(i);
            boolean stable = false;
            boolean other = false;
            for (JsonNode ref : rule.path("backendRefs")) {
                if (refersTo(ref, stableService)) {
                    stable = true;
                } else if (!refersTo(ref, canaryService)) {
                    other = true;
                }
            }
            if (stable && other) {
                problems.add(field + ": rule " + i + " of HTTPRoute '" + name + "' sends traffic to the stable Service '"
                        + stableService + "' and to other backends; Glidepath splits only rules whose only backend is the stable Service");
            }
            routed += stable ? 1 : 0;
            if (stable) {
                // A match may test a header once, and at most 16: a header route cannot add a condition the rule
                // already has, nor go over 16.
                for (JsonNode match : rule.path("matches")) {
                    if (!headers.isEmpty() && match.path("headers").size() + headers.size() > MAX_HEADERS) {
                        problems.add(field + ": rule " + i + " of HTTPRoute '" + name + "' already matches on "
                                + match.path("headers").size() + " headers; with the " + headers.size() + " a setHeaderRoute step"
                                + " adds that is over the " + MAX_HEADERS + " a match may have");
                    }
                    for (JsonNode h : match.path("headers")) {
                        if (headers.contains(h.path("name").asText().toLowerCase(Locale.ROOT))) {
                            problems.add(field + ": rule " + i + " of HTTPRoute '" + name + "' already matches on header '"
                                    + h.path("name").asText() + "', which a setHeaderRoute step adds to it; use another header");
                        }
                    }
                }
            }
        }
        if (routed == 0) {
            problems.add(field + ": HTTPRoute '" + name + "' has no rule with a backendRef to the stable Service '" + stableService + "'");
        } else if (!headers.isEmpty() && own.size() + routed > MAX_RULES) {
            problems.add(field + ": HTTPRoute '" + name + "' has " + own.size() + " rules; a header route adds " + routed
                    + " more, over the " + MAX_RULES + " an HTTPRoute may have");
        }
        return problems;
    }

    /**
     * The split that gives back a route {@code release} marked, with the Services its mark names (the ones given
     * when the mark names none): empty when the route is not marked by {@code release}.
     */
    static Optional<HttpRouteSplit> markedBy(ObjectNode route, String namespace, String release, String stableService,
            String canaryService) {
        return mark(route).filter(m -> release.equals(m.path("release").asText())).map(m -> new HttpRouteSplit(namespace, release,
                m.path("stableService").asText(stableService), m.path("canaryService").asText(canaryService)));
    }

    /** The canary Service's share of the first routed rule, in percent; empty when no rule sends it traffic. */
    Optional<Integer> canaryWeight(ObjectNode route) {
        for (JsonNode rule : ownRules(route)) {
            JsonNode stable = null;
            JsonNode canary = null;
            for (JsonNode ref : rule.path("backendRefs")) {
                stable = refersTo(ref, stableService) ? ref : stable;
                canary = refersTo(ref, canaryService) ? ref : canary;
            }
            if (stable != null && canary != null) {
                int c = canary.path("weight").asInt(1);
                int total = c + stable.path("weight").asInt(1);
                return Optional.of(total == 0 ? 0 : Math.round(c * 100f / total));
            }
        }
        return Optional.empty();
    }

    /** The route carrying {@code split}; equal to the route when it already does. */
    ObjectNode apply(ObjectNode route, TrafficSplit split) {
        ObjectNode next = route.deepCopy();
        ArrayNode rules = NODES.arrayNode();
        List<JsonNode> own = ownRules(route);
        ArrayNode recorded = mark(route).map(m -> m.path("stableWeights")).filter(JsonNode::isArray).map(a -> (ArrayNode) a)
                .orElse(null);
        ArrayNode weights = NODES.arrayNode();
        List<ObjectNode> headerRules = new ArrayList<>();
        int k = 0;
        for (JsonNode rule : own) {
            ObjectNode copy = rule.deepCopy();
            Optional<ObjectNode> stable = backends(copy).stream().filter(r -> refersTo(r, stableService)).findFirst();
            if (stable.isEmpty()) {
                rules.add(copy);
                continue;
            }
            ObjectNode stableRef = stable.get();
            JsonNode original = recorded != null && k < recorded.size() ? recorded.get(k) : stableRef.get("weight");
            weights.add(original == null ? NODES.nullNode() : original);
            k++;
            ArrayNode refs = NODES.arrayNode();
            for (ObjectNode ref : backends(copy)) {
                if (refersTo(ref, canaryService)) {
                    continue;
                }
                refs.add(ref);
                if (ref == stableRef && split.active()) {
                    ref.put("weight", 100 - split.canaryWeight());
                    ObjectNode canaryRef = serviceRef(ref);
                    canaryRef.put("weight", split.canaryWeight());
                    refs.add(canaryRef);
                } else if (ref == stableRef) {
                    if (original == null || original.isNull()) {
                        ref.remove("weight");
                    } else {
                        ref.set("weight", original);
                    }
                }
            }
            copy.set("backendRefs", refs);
            rules.add(copy);
            if (split.active() && !split.headers().isEmpty()) {
                headerRules.add(headerRule(rule, stableRef, split.headers()));
            }
        }
        ArrayNode all = NODES.arrayNode();
        headerRules.forEach(all::add);
        all.addAll(rules);
        next.withObject("/spec").set("rules", all);
        ObjectNode metadata = next.withObject("/metadata");
        if (split.active()) {
            ObjectNode mark = NODES.objectNode();
            mark.put("release", release);
            mark.put("stableService", stableService);
            mark.put("canaryService", canaryService);
            mark.set("stableWeights", weights);
            metadata.withObject("/annotations").put(MARK, mark.toString());
        } else if (metadata.path("annotations").has(MARK)) {
            ((ObjectNode) metadata.get("annotations")).remove(MARK);
            if (metadata.get("annotations").isEmpty()) {
                metadata.remove("annotations");
            }
        }
        return next;
    }

    /**
     * A header rule for one routed rule: its matches, each with the header conditions added (so it is more
     * specific than the rule itself and wins), its filters and timeouts, and the canary Service as its only backend.
     */
    private ObjectNode headerRule(JsonNode rule, JsonNode stableRef, List<HeaderMatch> headers) {
        ObjectNode out = NODES.objectNode();
        ArrayNode matches = NODES.arrayNode();
        List<JsonNode> own = new ArrayList<>();
        rule.path("matches").forEach(own::add);
        if (own.isEmpty()) {
            // The API server's default for a rule without matches: every path.
            ObjectNode all = NODES.objectNode();
            all.putObject("path").put("type", "PathPrefix").put("value", "/");
            own.add(all);
        }
        for (JsonNode m : own) {
            ObjectNode match = m.deepCopy();
            ArrayNode conditions = match.has("headers") ? (ArrayNode) match.get("headers") : match.putArray("headers");
            for (HeaderMatch h : headers) {
                ObjectNode c = conditions.addObject();
                c.put("type", h.exact != null ? "Exact" : "RegularExpression");
                c.put("name", h.name);
                c.put("value", h.exact != null ? h.exact : h.regex);
            }
            matches.add(match);
        }
        out.set("matches", matches);
        if (rule.has("filters")) {
            out.set("filters", rule.get("filters").deepCopy());
        }
        if (rule.has("timeouts")) {
            out.set("timeouts", rule.get("timeouts").deepCopy());
        }
        out.putArray("backendRefs").add(serviceRef(stableRef).put("weight", 1));
        return out;
    }

    /**
     * A backendRef to the canary Service on the stable one's port, with the fields the API server would default
     * (group, kind), so a route read back equals the one written and is not written again.
     */
    private ObjectNode serviceRef(JsonNode stableRef) {
        ObjectNode ref = NODES.objectNode();
        ref.put("group", "");
        ref.put("kind", "Service");
        ref.put("name", canaryService);
        if (stableRef.has("port")) {
            ref.set("port", stableRef.get("port"));
        }
        return ref;
    }

    /** The route's own rules: all but the header rules Glidepath added (their only backend is the canary Service). */
    private List<JsonNode> ownRules(JsonNode route) {
        List<JsonNode> own = new ArrayList<>();
        for (JsonNode rule : route.path("spec").path("rules")) {
            JsonNode refs = rule.path("backendRefs");
            boolean ours = refs.size() == 1 && refersTo(refs.get(0), canaryService);
            if (!ours) {
                own.add(rule);
            }
        }
        return own;
    }

    private static List<ObjectNode> backends(ObjectNode rule) {
        List<ObjectNode> refs = new ArrayList<>();
        rule.path("backendRefs").forEach(r -> refs.add((ObjectNode) r));
        return refs;
    }

    /** A backendRef to the Service {@code name} in the route's (and the Release's) namespace. */
    private boolean refersTo(JsonNode ref, String name) {
        String kind = ref.path("kind").asText("Service");
        String group = ref.path("group").asText("");
        String ns = ref.path("namespace").asText(namespace);
        return name.equals(ref.path("name").asText()) && "Service".equals(kind) && group.isEmpty() && namespace.equals(ns);
    }

    private static Optional<JsonNode> mark(JsonNode route) {
        JsonNode value = route.path("metadata").path("annotations").path(MARK);
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(value.asText()));
        } catch (JsonProcessingException e) {
            // Edited by hand: not knowing whose it is, the route is left alone until the annotation is removed.
            return Optional.of(NODES.objectNode().put("release", "(unreadable annotation; remove it if no rollout runs)"));
        }
    }
}
