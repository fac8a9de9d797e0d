package dev.glidepath.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders Glidepath's resources as a meta.k8s.io Table, as a real API server does from the CRD's printer
 * columns, so that `kubectl get releases` against the sandbox shows VERSION, PHASE, WEIGHT and the rest.
 */
final class TableRendering {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, List<CustomResourceColumnDefinition>> columns = new HashMap<>();

    TableRendering() {
        for (String plural : List.of("releases", "rollouts")) {
            try {
                var crd = Serialization.unmarshal(Files.readString(Path.of("crds", plural + ".glidepath.dev-v1.yml")),
                        CustomResourceDefinition.class);
                columns.put(plural, crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The plural when the path reads Glidepath resources, else null. */
    String pluralOf(String path) {
        if (!path.startsWith("/apis/glidepath.dev/v1alpha1/") || path.contains("watch=")) {
            return null;
        }
        for (String plural : columns.keySet()) {
            if (path.matches(".*/" + plural + "(/[^/?]+)?(\\?.*)?$")) {
                return plural;
            }
        }
        return null;
    }

    String render(String plural, String body) throws IOException {
        JsonNode doc = JSON.readTree(body);
        ArrayNode items = doc.has("items") ? (ArrayNode) doc.get("items") : JSON.createArrayNode().add(doc);
        ObjectNode table = JSON.createObjectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata");
        ArrayNode defs = table.putArray("columnDefinitions");
        defs.addObject().put("name", "Name").put("type", "string").put("format", "name").put("priority", 0);
        List<CustomResourceColumnDefinition> cols = columns.get(plural);
        for (CustomResourceColumnDefinition c : cols) {
            defs.addObject().put("name", c.getName()).put("type", c.getType()).put("format", "")
                    .put("priority", c.getPriority() == null ? 0 : c.getPriority());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(item.path("metadata").path("name").asText());
            for (CustomResourceColumnDefinition c : cols) {
                JsonNode v = at(item, c.getJsonPath());
                if (v.isMissingNode() || v.isNull()) {
                    cells.add("<none>");
                } else if ("date".equals(c.getType())) {
                    cells.add(age(v.asText()));
                } else {
                    cells.add(v);
                }
            }
            ObjectNode partial = row.putObject("object");
            partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", item.path("metadata"));
        }
        return JSON.writeValueAsString(table);
    }

    /** Ages as kubectl prints them: 42s, 7m, 3h, 2d. */
    private static String age(String timestamp) {
        try {
            long s = java.time.Duration.between(java.time.Instant.parse(timestamp), java.time.Instant.now()).getSeconds();
            return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
        } catch (RuntimeException e) {
            return timestamp;
        }
    }

    private static JsonNode at(JsonNode item, String jsonPath) {
        JsonNode node = item;
        for (String part : jsonPath.substring(1).split("\\.")) {
            node = node.path(part);
        }
        return node;
    }
}
