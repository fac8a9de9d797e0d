package dev.glidepath.install;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a document against a CRD's structural schema the way the API server does for what matters to an
 * example: unknown fields, types, required fields, enums, patterns, numeric and size bounds. Embedded
 * Kubernetes types that keep unknown fields (x-kubernetes-preserve-unknown-fields) are not descended into.
 */
final class SchemaCheck {
    private final List<String> problems = new ArrayList<>();

    static List<String> check(JSONSchemaProps schema, JsonNode doc) {
        SchemaCheck c = new SchemaCheck();
        c.walk(schema, doc, "");
        return c.problems;
    }

    private void walk(JSONSchemaProps schema, JsonNode node, String path) {
        if (schema == null || Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields()) && schema.getProperties() == null) {
            return;
        }
        String type = schema.getType();
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (node.isNumber()) {
                bounds(schema, node, path);
            } else if (!node.isTextual()) {
                problems.add(path + ": expected an integer or a string");
            }
            return;
        }
        switch (type == null ? "" : type) {
            case "object" -> {
                if (!node.isObject()) {
                    problems.add(path + ": expected an object");
                    return;
                }
                Map<String, JSONSchemaProps> props = schema.getProperties();
                if (schema.getRequired() != null) {
                    for (String r : schema.getRequired()) {
                        if (!node.has(r)) {
                            problems.add(path + "." + r + ": required");
                        }
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (props != null && props.containsKey(e.getKey())) {
                        walk(props.get(e.getKey()), e.getValue(), path + "." + e.getKey());
                    } else if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
                        walk(schema.getAdditionalProperties().getSchema(), e.getValue(), path + "." + e.getKey());
                    } else if (props != null && !Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
                        problems.add(path + "." + e.getKey() + ": unknown field");
                    }
                }
            }
            case "array" -> {
                if (!node.isArray()) {
                    problems.add(path + ": expected an array");
                    return;
                }
                if (schema.getMinItems() != null && node.size() < schema.getMinItems()) {
                    problems.add(path + ": at least " + schema.getMinItems() + " items");
                }
                for (int i = 0; i < node.size(); i++) {
                    walk(schema.getItems() == null ? null : schema.getItems().getSchema(), node.get(i), path + "[" + i + "]");
                }
            }
            case "string" -> {
                if (!node.isTextual()) {
                    problems.add(path + ": expected a string");
                } else if (schema.getPattern() != null && !java.util.regex.Pattern.compile(schema.getPattern()).matcher(node.asText()).find()) {
                    problems.add(path + ": '" + node.asText() + "' does not match " + schema.getPattern());
                }
            }
            case "integer", "number" -> {
                if (!node.isNumber() || "integer".equals(type) && !node.canConvertToLong()) {
                    problems.add(path + ": expected " + type);
                    return;
                }
                bounds(schema, node, path);
            }
            case "boolean" -> {
                if (!node.isBoolean()) {
                    problems.add(path + ": expected a boolean");
                }
            }
            default -> {
            }
        }
    }

    private void bounds(JSONSchemaProps schema, JsonNode node, String path) {
        if (schema.getMinimum() != null && node.asDouble() < schema.getMinimum()) {
            problems.add(path + ": below minimum " + schema.getMinimum());
        }
        if (schema.getMaximum() != null && node.asDouble() > schema.getMaximum()) {
            problems.add(path + ": above maximum " + schema.getMaximum());
        }
    }
}
