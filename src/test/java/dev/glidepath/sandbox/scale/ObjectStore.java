package dev.glidepath.sandbox.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The objects of the scale API, indexed: by kind, then by "namespace/name" in order (a namespace's objects are one
 * range), and by each label "key=value" of a kind. Every write takes a new resourceVersion from one counter and is
 * kept in a bounded history, so a watch can start from any recent resourceVersion; an older one answers 410 Gone and
 * the informer lists again. One lock guards it all: the mock web server calls it from one event loop anyway.
 */
final class ObjectStore {
    /** How many past changes a watch can start from. */
    static final int HISTORY = 20_000;

    private final Clock clock;
    private final Map<ApiResource, NavigableMap<String, StoredObject>> objects = new HashMap<>();
    private final Map<ApiResource, Map<String, NavigableSet<String>>> byLabel = new HashMap<>();
    private final Deque<Change> history = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    /** Changes up to this resourceVersion have left the history. */
    private long historyStart;
    private long resourceVersion;

    ObjectStore(Clock clock) {
        this.clock = clock;
    }

    /** One page of a list: the objects, the resourceVersion to watch from, and where the next page starts (or null). */
    record Page(List<StoredObject> items, long resourceVersion, String continueKey) {
    }

    synchronized Optional<StoredObject> get(ApiResource resource, String namespace, String name) {
        return Optional.ofNullable(kind(resource).get(StoredObject.key(namespace, name)));
    }

    synchronized Page list(ApiResource resource, String namespace, LabelSelector labels, FieldSelector fields, Long limit,
            String continueKey) {
        List<StoredObject> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (String key : candidates(resource, namespace, labels, continueKey)) {
            StoredObject o = kind(resource).get(key);
            if (o == null || (namespace != null && !namespace.equals(o.namespace())) || !labels.matches(o.labels())
                    || !fields.matches(o)) {
                continue;
            }
            if (limit != null && limit > 0 && items.size() == limit) {
                more = true;
                break;
            }
            items.add(o);
            last = key;
        }
        return new Page(items, resourceVersion, more ? last : null);
    }

    synchronized StoredObject create(ApiResource resource, String namespace, ObjectNode body) {
        ObjectNode metadata = metadata(body);
        String name = metadata.path("name").asText("");
        if (name.isEmpty() && metadata.hasNonNull("generateName")) {
            name = metadata.get("generateName").asText() + UUID.randomUUID().toString().substring(0, 5);
        }
        if (name.isEmpty()) {
            throw new ApiError(422, "Invalid", resource.kind() + " is invalid: metadata.name: Required value");
        }
        if (namespace != null && metadata.hasNonNull("namespace") && !namespace.equals(metadata.get("namespace").asText())) {
            throw ApiError.badRequest("the namespace of the object does not match the namespace of the request");
        }
        if (kind(resource).containsKey(StoredObject.key(namespace, name))) {
            throw new ApiError(409, "AlreadyExists", resource.plural() + " \"" + name + "\" already exists");
        }
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", now());
        metadata.put("generation", 1);
        metadata.remove("deletionTimestamp");
        metadata.put("resourceVersion", String.valueOf(++resourceVersion));
        body.put("apiVersion", resource.apiVersion());
        body.put("kind", resource.kind());
        if (resource.statusSubresource()) {
            body.remove("status");
        }
        StoredObject created = StoredObject.of(resource, body);
        put(created);
        publish(new Change("ADDED", created, null));
        return created;
    }

    /**
     * Replaces an object with what {@code change} makes of the stored one (a PUT's body, a patch applied). A
     * resourceVersion in the result that is not the stored one is a conflict. A write of {@code status} changes only
     * the status; a write of the main resource keeps the stored status of a kind with a status subresource. A change
     * outside metadata and status bumps metadata.generation. A write that changes nothing stores nothing.
     */
    synchronized StoredObject update(ApiResource resource, String namespace, String name, boolean status,
            UnaryOperator<ObjectNode> change) {
        StoredObject current = get(resource, namespace, name)
                .orElseThrow(() -> ApiError.notFound(resource.plural() + " \"" + name + "\""));
        ObjectNode stored = current.tree();
        ObjectNode proposed = change.apply(current.tree());
        String expected = proposed.path("metadata").path("resourceVersion").asText("");
        if (!expected.isEmpty() && !expected.equals(String.valueOf(current.resourceVersion()))) {
            throw ApiError.conflict(resource.plural() + " \"" + name + "\"");
        }
        ObjectNode next;
        if (status) {
            next = current.tree();
            setOrRemove(next, "status", proposed.get("status"));
        } else {
            next = proposed;
            ObjectNode metadata = metadata(next);
            for (String managed : List.of("name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp")) {
                setOrRemove(metadata, managed, stored.path("metadata").get(managed));
            }
            next.put("apiVersion", resource.apiVersion());
            next.put("kind", resource.kind());
            if (resource.statusSubresource()) {
                setOrRemove(next, "status", stored.get("status"));
            }
        }
        metadata(next).put("resourceVersion", String.valueOf(current.resourceVersion()));
        if (next.equals(stored)) {
            return current;
        }
        if (!withoutMetadataAndStatus(next).equals(withoutMetadataAndStatus(stored))) {
            metadata(next).put("generation", stored.path("metadata").path("generation").asLong(1) + 1);
        }
        metadata(next).put("resourceVersion", String.valueOf(++resourceVersion));
        StoredObject updated = StoredObject.of(resource, next);
        if (updated.deleting() && updated.finalizers().isEmpty()) {
            remove(current);
            publish(new Change("DELETED", updated, current));
            return updated;
        }
        put(updated);
        publish(new Change("MODIFIED", updated, current));
        return updated;
    }

    /**
     * Deletes an object; one with finalizers only gets a deletionTimestamp and goes when its last finalizer is
     * removed. Returns the object as deleted (or marked).
     */
    synchronized StoredObject delete(ApiResource resource, String namespace, String name) {
        StoredObject current = get(resource, namespace, name)
                .orElseThrow(() -> ApiError.notFound(resource.plural() + " \"" + name + "\""));
        if (current.deleting()) {
            return current;
        }
        ObjectNode tree = current.tree();
        if (!current.finalizers().isEmpty()) {
            metadata(tree).put("deletionTimestamp", now());
        }
        metadata(tree).put("resourceVersion", String.valueOf(++resourceVersion));
        StoredObject next = StoredObject.of(resource, tree);
        if (current.finalizers().isEmpty()) {
            remove(current);
            publish(new Change("DELETED", next, current));
        } else {
            put(next);
            publish(new Change("MODIFIED", next, current));
        }
        return next;
    }

    /**
     * Starts a watch: with {@code fromResourceVersion} 0 every selected object is sent as ADDED first; otherwise the
     * changes after it are replayed from the history, or 410 Gone is sent when they have left it. Then every change
     * that concerns the watch is sent as it happens, until {@link #unsubscribe}.
     */
    synchronized void subscribe(Subscription subscription, long fromResourceVersion) {
        if (fromResourceVersion <= 0) {
            list(subscription.resource(), subscription.namespace(), subscription.labels(), subscription.fields(), null, null)
                    .items().forEach(o -> subscription.send("ADDED", o));
        } else if (fromResourceVersion < historyStart) {
            subscription.expired();
            return;
        } else {
            history.stream().filter(c -> c.object().resourceVersion() > fromResourceVersion).forEach(subscription::deliver);
        }
        subscriptions.add(subscription);
    }

    synchronized void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    /** How many objects of each kind are stored (plural → count), for reports. */
    synchronized Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        objects.forEach((r, m) -> counts.put(r.plural(), m.size()));
        return counts;
    }

    synchronized long resourceVersion() {
        return resourceVersion;
    }

    /** The keys to look at for a list, in key order: one label's index when the selector requires a label value. */
    private Iterable<String> candidates(ApiResource resource, String namespace, LabelSelector labels, String after) {
        Map<String, NavigableSet<String>> index = byLabel.getOrDefault(resource, Map.of());
        Optional<NavigableSet<String>> narrowest = labels.equalities().stream()
                .map(kv -> index.getOrDefault(kv, new TreeSet<>())).min(Comparator.comparingInt(Set::size));
        if (narrowest.isPresent()) {
            NavigableSet<String> keys = narrowest.get();
            return List.copyOf(after == null ? keys : keys.tailSet(after, false));
        }
        NavigableMap<String, StoredObject> all = kind(resource);
        NavigableMap<String, StoredObject> range = namespace == null ? all
                : all.subMap(namespace + "/", true, namespace + "/\uffff", false);
        return List.copyOf((after == null ? range : range.tailMap(after, false)).keySet());
    }

    private NavigableMap<String, StoredObject> kind(ApiResource resource) {
        return objects.computeIfAbsent(resource, r -> new TreeMap<>());
    }

    private void put(StoredObject o) {
        StoredObject previous = kind(o.resource()).put(o.key(), o);
        if (previous != null) {
            unindex(previous);
        }
        Map<String, NavigableSet<String>> index = byLabel.computeIfAbsent(o.resource(), r -> new HashMap<>());
        o.labels().forEach((k, v) -> index.computeIfAbsent(k + "=" + v, kv -> new TreeSet<>()).add(o.key()));
    }

    private void remove(StoredObject o) {
        kind(o.resource()).remove(o.key());
        unindex(o);
    }

    private void unindex(StoredObject o) {
        Map<String, NavigableSet<String>> index = byLabel.getOrDefault(o.resource(), Map.of());
        o.labels().forEach((k, v) -> {
            NavigableSet<String> keys = index.get(k + "=" + v);
            if (keys != null) {
                keys.remove(o.key());
                if (keys.isEmpty()) {
                    index.remove(k + "=" + v);
                }
            }
        });
    }

    private void publish(Change change) {
        history.addLast(change);
        while (history.size() > HISTORY) {
            historyStart = history.removeFirst().object().resourceVersion();
        }
        for (Subscription s : List.copyOf(subscriptions)) {
            s.deliver(change);
        }
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static ObjectNode metadata(ObjectNode tree) {
        JsonNode metadata = tree.get("metadata");
        if (metadata instanceof ObjectNode o) {
            return o;
        }
        return tree.putObject("metadata");
    }

    private static void setOrRemove(ObjectNode tree, String field, JsonNode value) {
        if (value == null || value.isNull()) {
            tree.remove(field);
        } else {
            tree.set(field, value.deepCopy());
        }
    }

    private static ObjectNode withoutMetadataAndStatus(ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        copy.remove("metadata");
        copy.remove("status");
        return copy;
    }
}
