package dev.glidepath.sandbox.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.sandbox.Discovery;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A Kubernetes API for benchmarks at tens of thousands of objects, served by fabric8's mock web server: the kinds
 * of {@link ApiResource#ALL} with get, list (label and field selectors, limit/continue), watch from a
 * resourceVersion, create, update, JSON Patch and JSON Merge Patch, delete with finalizers, and the status
 * subresource; the discovery documents of the sandbox. Anything else answers 404 (an unknown path or subresource)
 * or 405 (a method a path does not take); strategic merge and apply patches answer 415. Requests are counted per
 * client token in {@link #tally()}.
 */
public final class ScaleApi extends Dispatcher {
    private static final String JSON_PATCH = "application/json-patch+json";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final ObjectStore store;
    private final RequestTally tally = new RequestTally();
    private final Map<String, String> discovery = Discovery.documents();

    public ScaleApi(Clock clock) {
        this.store = new ObjectStore(clock);
    }

    public RequestTally tally() {
        return tally;
    }

    /** How many objects of each kind are stored (plural → count). */
    public Map<String, Integer> counts() {
        return store.counts();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String target = request.getPath();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        MockResponse response;
        try {
            response = answer(request.getMethod(), path, parameters(query), request);
        } catch (ApiError e) {
            response = json(e.code, e.statusJson());
        } catch (RuntimeException e) {
            response = json(500, new ApiError(500, "InternalError", String.valueOf(e)).statusJson());
        }
        tally.count(client(request), request.getMethod(), path, query, response.code());
        return response;
    }

    private MockResponse answer(String method, String path, Map<String, String> query, RecordedRequest request) {
        if (method.equals("GET") && discovery.containsKey(path)) {
            return json(200, discovery.get(path));
        }
        ApiPath at = ApiPath.parse(path).filter(p -> p.subresource() == null || p.isStatus())
                .orElseThrow(() -> new ApiError(404, "NotFound", "the server could not find the requested resource"));
        boolean named = at.name() != null;
        return switch (method) {
            case "GET" -> named ? object(200, store.get(at.resource(), at.namespace(), at.name())
                    .orElseThrow(() -> notFound(at))) : collection(at, query);
            case "POST" -> {
                requireCollection(at, !named && !at.isStatus());
                yield object(201, store.create(at.resource(), at.namespace(), body(request)));
            }
            case "PUT" -> {
                requireCollection(at, named);
                ObjectNode body = body(request);
                yield object(200, store.update(at.resource(), at.namespace(), at.name(), at.isStatus(), stored -> body));
            }
            case "PATCH" -> {
                requireCollection(at, named);
                yield object(200, patch(at, request));
            }
            case "DELETE" -> {
                requireCollection(at, named && !at.isStatus());
                yield object(200, store.delete(at.resource(), at.namespace(), at.name()));
            }
            default -> throw methodNotAllowed(at);
        };
    }

    private MockResponse collection(ApiPath at, Map<String, String> query) {
        if (at.isStatus()) {
            throw methodNotAllowed(at);
        }
        LabelSelector labels;
        try {
            labels = LabelSelector.parse(query.get("labelSelector"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        FieldSelector fields = FieldSelector.parse(query.get("fieldSelector"));
        if ("true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
            long from = query.containsKey("resourceVersion") && !query.get("resourceVersion").isEmpty()
                    ? Long.parseLong(query.get("resourceVersion")) : 0;
            return new MockResponse().withWebSocketUpgrade(new WatchStream(store, at, labels, fields, from));
        }
        Long limit = query.containsKey("limit") ? Long.valueOf(query.get("limit")) : null;
        ObjectStore.Page page = store.list(at.resource(), at.namespace(), labels, fields, limit, query.get("continue"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + page.items().size() * 2048);
        out.writeBytes(("{\"apiVersion\":\"" + at.resource().apiVersion() + "\",\"kind\":\"" + at.resource().kind()
                + "List\",\"metadata\":{\"resourceVersion\":\"" + page.resourceVersion() + "\""
                + (page.continueKey() == null ? "" : ",\"continue\":\"" + page.continueKey() + "\"") + "},\"items\":[")
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < page.items().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(page.items().get(i).json());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(out.toByteArray());
    }

    private StoredObject patch(ApiPath at, RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        String mediaType = type == null ? "" : type.split(";")[0].trim();
        JsonNode patch = parse(request);
        return switch (mediaType) {
            case JSON_PATCH -> store.update(at.resource(), at.namespace(), at.name(), at.isStatus(), stored -> {
                try {
                    return (ObjectNode) JsonPatch.apply(patch, stored);
                } catch (JsonPatchException e) {
                    throw new ApiError(422, "Invalid", "the JSON patch cannot be applied: " + e.getMessage());
                }
            });
            case MERGE_PATCH -> store.update(at.resource(), at.namespace(), at.name(), at.isStatus(),
                    stored -> (ObjectNode) JsonMergePatch.apply(stored, patch));
            default -> throw new ApiError(415, "UnsupportedMediaType", "the scale API takes " + JSON_PATCH + " and "
                    + MERGE_PATCH + " patches, not " + mediaType);
        };
    }

    private static void requireCollection(ApiPath at, boolean allowed) {
        if (!allowed) {
            throw methodNotAllowed(at);
        }
    }

    private static ApiError methodNotAllowed(ApiPath at) {
        return new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource ("
                + at.resource().plural() + (at.subresource() == null ? "" : "/" + at.subresource()) + ")");
    }

    private static ApiError notFound(ApiPath at) {
        return ApiError.notFound(at.resource().plural() + (at.resource().group().isEmpty() ? "" : "." + at.resource().group())
                + " \"" + at.name() + "\"");
    }

    private static ObjectNode body(RecordedRequest request) {
        if (parse(request) instanceof ObjectNode object) {
            return object;
        }
        throw ApiError.badRequest("the request body is not a JSON object");
    }

    private static JsonNode parse(RecordedRequest request) {
        try {
            byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
            if (bytes.length == 0) {
                throw ApiError.badRequest("the request has no body");
            }
            return StoredObject.JSON.readTree(bytes);
        } catch (IOException e) {
            throw ApiError.badRequest("the request body is not JSON: " + e.getMessage());
        }
    }

    private static MockResponse object(int code, StoredObject o) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(o.json());
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    /** Who sent a request: its bearer token, as the API server authenticates a service account. */
    private static String client(RecordedRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7)
                : RequestTally.ANONYMOUS;
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new HashMap<>();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            parameters.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
