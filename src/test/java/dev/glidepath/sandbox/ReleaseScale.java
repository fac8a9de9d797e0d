package dev.glidepath.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The scale subresource of Releases, as the CRD declares it ({@code .spec.replicas}, {@code .status.replicas},
 * {@code .status.selector}), which the mock server does not serve by itself: GET answers an autoscaling/v1
 * Scale; PUT (a Scale) and PATCH (a merge patch of one) set the Release's spec.replicas. It works on the
 * store through the dispatcher ({@code store}), never through a client: the server answers one request at a time.
 */
final class ReleaseScale {
    /** A request served by the CRUD store directly: method, path, body → response. */
    interface Store {
        MockResponse call(String method, String path, String body);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;
    private final Store store;

    ReleaseScale(Store store) {
        this.store = store;
    }

    MockResponse answer(String method, String namespace, String name, String body) {
        String path = "/apis/glidepath.dev/v1alpha1/namespaces/" + namespace + "/releases/" + name;
        try {
            if (!method.equals("GET") && !method.equals("PUT") && !method.equals("PATCH")) {
                return status(405, "MethodNotAllowed", method + " is not allowed on scale");
            }
            JsonNode replicas = method.equals("GET") ? null : JSON.readTree(body).path("spec").path("replicas");
            if (replicas != null && (!replicas.isInt() || replicas.asInt() < 0)) {
                return status(422, "Invalid", "spec.replicas: must be a non-negative integer");
            }
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                MockResponse read = store.call("GET", path, "");
                if (read.code() != 200) {
                    return read;
                }
                ObjectNode release = (ObjectNode) JSON.readTree(text(read));
                if (replicas != null && release.path("spec").path("replicas").asInt(1) != replicas.asInt()) {
                    release.withObject("/spec").put("replicas", replicas.asInt());
                    MockResponse written = store.call("PUT", path, release.toString());
                    if (written.code() == 409) {
                        continue;
                    }
                    if (written.code() != 200) {
                        return written;
                    }
                    release = (ObjectNode) JSON.readTree(text(written));
                }
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                        .setBody(scale(release, namespace, name).toString());
            }
            return status(409, "Conflict", "the Release kept changing");
        } catch (IOException e) {
            return status(400, "BadRequest", "not a Scale: " + e.getMessage());
        }
    }

    private static ObjectNode scale(JsonNode release, String namespace, String name) {
        ObjectNode scale = JSON.createObjectNode();
        scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        scale.putObject("metadata").put("name", name).put("namespace", namespace)
                .put("resourceVersion", release.path("metadata").path("resourceVersion").asText());
        scale.putObject("spec").put("replicas", release.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", release.path("status").path("replicas").asInt(0));
        if (release.path("status").hasNonNull("selector")) {
            status.put("selector", release.path("status").path("selector").asText());
        }
        return scale;
    }

    private static String text(MockResponse response) {
        return new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
                        + "\",\"message\":" + JSON.valueToTree(message) + ",\"code\":" + code + "}");
    }
}
