package dev.glidepath.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * The CRUD dispatcher plus what the sandbox needs around it: a request log, discovery answers so kubectl
 * can talk to it, one-off injected failures (a 409 or 500 for the next matching request), and what a real API
 * server decides about Approvals (SubjectAccessReviews, the approval identity policy; see {@link SandboxAuthorization}).
 */
public final class SandboxDispatcher extends KubernetesCrudDispatcher {
    private final RequestLog log = new RequestLog();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final Map<String, String> discovery = new ConcurrentHashMap<>(Discovery.documents());
    private final TableRendering tables = new TableRendering();
    private final SandboxAuthorization authorization = new SandboxAuthorization();

    private record Fault(Predicate<RecordedRequest> matches, int code, String message) {
        MockResponse response() {
            String reason = switch (code) {
                case 409 -> "Conflict";
                case 422 -> "Invalid";
                case 403 -> "Forbidden";
                case 404 -> "NotFound";
                default -> "InternalError";
            };
            return new MockResponse().setResponseCode(code).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"reason\":\"" + reason + "\",\"message\":\"" + message.replace("\"", "\\\"")
                    + "\",\"code\":" + code + "}");
        }
    }

    private final java.util.List<Fault> lasting = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final java.util.regex.Pattern SCALE = java.util.regex.Pattern.compile(
            "/apis/glidepath\\.dev/v1alpha1/namespaces/([^/]+)/releases/([^/]+)/scale");
    private volatile ReleaseScale scales;

    /** Serves the Releases' scale subresource (what kubectl scale and an autoscaler use). */
    void serveScale() {
        this.scales = new ReleaseScale((method, path, body) -> super.dispatch(new RecordedRequest("HTTP/1.1",
                io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(method), path,
                new io.fabric8.mockwebserver.http.Headers.Builder().add("Content-Type", "application/json").build(),
                new io.fabric8.mockwebserver.http.Buffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
    }

    /** As an RBAC Role would: {@code subject} (a user or a group) may {@code verb} the {@code resource} (name null: any). */
    public void grant(String subject, String verb, String resource, String name) {
        authorization.grant(subject, verb, resource, name);
    }

    /** Plays the admission policy glidepath-approval-identity on writes of Approvals (the mock has no admission). */
    public void enforceApprovalPolicy(boolean on) {
        authorization.enforceApprovalPolicy(on);
    }

    /** An object as the sandbox stores it, or null. */
    private JsonNode stored(String path) {
        MockResponse response = super.dispatch(new RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.GET, path,
                new io.fabric8.mockwebserver.http.Headers.Builder().build(), new io.fabric8.mockwebserver.http.Buffer()));
        if (response.code() != 200 || response.getBody() == null) {
            return null;
        }
        return Serialization.unmarshal(new String(response.getBody().getBytes(), StandardCharsets.UTF_8), JsonNode.class);
    }

    public RequestLog log() {
        return log;
    }

    /** The next request matching {@code method} and a path containing {@code pathPart} fails with {@code code}. */
    public void failNext(String method, String pathPart, int code) {
        faults.add(new Fault(r -> r.getMethod().equals(method) && r.getPath().contains(pathPart), code, "injected by the sandbox"));
    }

    /**
     * Every request matching {@code method} and a path containing {@code pathPart} fails with {@code code} and
     * {@code message}, as an API server refusing it, until the returned handle is closed.
     */
    public AutoCloseable refuse(String method, String pathPart, int code, String message) {
        Fault fault = new Fault(r -> r.getMethod().equals(method) && r.getPath().contains(pathPart), code, message);
        lasting.add(fault);
        return () -> lasting.remove(fault);
    }

    /**
     * Takes an API group out of the sandbox, as in a cluster whose CRDs for it are not installed: its discovery
     * documents are gone and every request under it answers 404.
     */
    public void uninstall(String group) {
        discovery.keySet().removeIf(path -> path.startsWith("/apis/" + group + "/"));
        discovery.computeIfPresent("/apis", (k, v) -> v.replaceAll("\\{\"name\":\"" + java.util.regex.Pattern.quote(group)
                + "\"[^{}]*(\\{[^{}]*\\}[^{}]*)*\\},?", "").replaceAll(",\\s*]", "]"));
        lasting.add(new Fault(r -> r.getPath().startsWith("/apis/" + group + "/"), 404,
                "the server could not find the requested resource"));
    }

    /** Injected failures not yet served. */
    public int pendingFaults() {
        return faults.size();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = answer(request);
        log.record(request.getMethod(), request.getPath(), response.code());
        return response;
    }

    private MockResponse answer(RecordedRequest request) {
        for (Fault f : faults) {
            if (f.matches().test(request) && faults.remove(f)) {
                return f.response();
            }
        }
        for (Fault f : lasting) {
            if (f.matches().test(request)) {
                return f.response();
            }
        }
        String path = request.getPath();
        int q = path.indexOf('?');
        String bare = q >= 0 ? path.substring(0, q) : path;
        if ("POST".equals(request.getMethod()) && bare.endsWith("/selfsubjectreviews")) {
            return authorization.whoami(request);
        }
        if ("POST".equals(request.getMethod()) && bare.endsWith("/subjectaccessreviews")) {
            return authorization.review(request.getUtf8Body());
        }
        if (bare.startsWith("/apis/glidepath.dev/v1alpha1/namespaces/") && bare.contains("/approvals")) {
            // Reading the body consumes it: the request goes on with a copy.
            String body = request.getUtf8Body();
            Optional<MockResponse> refused = authorization.admitApproval(request, body, bare, this::stored);
            if (refused.isPresent()) {
                return refused.get();
            }
            request = new RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(request.getMethod()), path,
                    request.getHeaders(), new io.fabric8.mockwebserver.http.Buffer(body == null ? new byte[0]
                            : body.getBytes(StandardCharsets.UTF_8)));
        }
        if ("POST".equals(request.getMethod()) && bare.endsWith("/selfsubjectrulesreviews")) {
            // The leader elector asks what it may do with Leases; the sandbox has no authorization.
            return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody("""
                    {"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","metadata":{},"spec":{},
                     "status":{"resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],
                     "nonResourceRules":[],"incomplete":false}}""");
        }
        java.util.regex.Matcher scale = SCALE.matcher(bare);
        if (scale.matches() && scales != null) {
            String body = request.getUtf8Body();
            return scales.answer(request.getMethod(), scale.group(1), scale.group(2), body == null ? "" : body);
        }
        if ("GET".equals(request.getMethod()) && discovery.containsKey(bare)) {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody(discovery.get(bare));
        }
        String accept = request.getHeader("Accept");
        String plural = "GET".equals(request.getMethod()) && accept != null && accept.contains("as=Table")
                ? tables.pluralOf(path) : null;
        MockResponse response = super.dispatch(request);
        if (plural != null && response.code() == 200 && response.getBody() != null) {
            try {
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                        .setBody(tables.render(plural, new String(response.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8)));
            } catch (java.io.IOException | RuntimeException e) {
                return response;
            }
        }
        return response;
    }
}
