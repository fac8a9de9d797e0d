package dev.glidepath.sandbox.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One version of an object, kept as compact JSON (what reads, lists and watch events send as is) with the
 * fields the store indexes by read out once. Immutable: a write stores a new version.
 */
record StoredObject(ApiResource resource, String namespace, String name, long resourceVersion, Map<String, String> labels,
        List<String> finalizers, boolean deleting, byte[] json) {
    static final ObjectMapper JSON = new ObjectMapper();

    static StoredObject of(ApiResource resource, ObjectNode tree) {
        JsonNode metadata = tree.path("metadata");
        Map<String, String> labels = new HashMap<>();
        metadata.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> finalizers = new java.util.ArrayList<>();
        metadata.path("finalizers").forEach(f -> finalizers.add(f.asText()));
        try {
            return new StoredObject(resource, metadata.path("namespace").asText(""), metadata.path("name").asText(),
                    Long.parseLong(metadata.path("resourceVersion").asText("0")), Map.copyOf(labels), List.copyOf(finalizers),
                    metadata.hasNonNull("deletionTimestamp"), JSON.writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "namespace/name" ("/name" when cluster-scoped): the key in the store, ordered so a namespace's objects are adjacent. */
    String key() {
        return key(namespace, name);
    }

    static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }

    /** A fresh tree of the stored JSON, for a write to change. */
    ObjectNode tree() {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String jsonText() {
        return new String(json, StandardCharsets.UTF_8);
    }
}
