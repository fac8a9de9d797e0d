package dev.glidepath.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the sandbox plays of a real API server's authorization and admission for Approvals, since the mock has
 * neither: SubjectAccessReviews answered from grants the test gives (as RBAC Roles would), and the admission policy
 * glidepath-approval-identity (the request's user, from the impersonation headers a client sends, must be the
 * Approval's approver; an Approval's spec never changes). The policy's own CEL is tested against a CEL library.
 */
final class SandboxAuthorization {
    /** The user of a request without impersonation headers: the sandbox's administrator. */
    static final String ADMIN = "sandbox-admin";
    static final List<String> ADMIN_GROUPS = List.of("system:masters", "system:authenticated");

    private record Grant(String subject, String verb, String resource, String name) {
    }

    private final Set<Grant> grants = ConcurrentHashMap.newKeySet();
    private volatile boolean approvalPolicy;

    void grant(String subject, String verb, String resource, String name) {
        grants.add(new Grant(subject, verb, resource, name));
    }

    void enforceApprovalPolicy(boolean on) {
        approvalPolicy = on;
    }

    /** A SubjectAccessReview: allowed when a grant names the user or one of its groups, the verb, resource and name. */
    MockResponse review(String body) {
        ObjectNode review = (ObjectNode) Serialization.unmarshal(body, JsonNode.class);
        JsonNode spec = review.path("spec");
        JsonNode attributes = spec.path("resourceAttributes");
        List<String> subjects = new ArrayList<>();
        subjects.add(spec.path("user").asText());
        spec.path("groups").forEach(g -> subjects.add(g.asText()));
        String resource = attributes.path("resource").asText() + (attributes.path("subresource").asText("").isEmpty() ? ""
                : "/" + attributes.path("subresource").asText());
        String verb = attributes.path("verb").asText();
        String name = attributes.path("name").asText("");
        boolean allowed = grants.stream().anyMatch(g -> subjects.contains(g.subject()) && g.verb().equals(verb)
                && g.resource().equals(resource) && (g.name() == null || g.name().equals(name)));
        ObjectNode status = review.putObject("status");
        status.put("allowed", allowed);
        status.put("reason", allowed ? "granted by a sandbox Role" : "no RBAC policy matched");
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(review.toString());
    }

    /** A SelfSubjectReview (kubectl auth whoami): the request's user, from its impersonation headers. */
    MockResponse whoami(RecordedRequest request) {
        List<String> impersonated = request.getHeaders().headers("Impersonate-User");
        ObjectNode review = Serialization.jsonMapper().createObjectNode();
        review.put("kind", "SelfSubjectReview").put("apiVersion", "authentication.k8s.io/v1");
        review.putObject("metadata");
        ObjectNode user = review.putObject("status").putObject("userInfo");
        user.put("username", impersonated.isEmpty() ? ADMIN : impersonated.get(0));
        var groups = user.putArray("groups");
        (impersonated.isEmpty() ? ADMIN_GROUPS : request.getHeaders().headers("Impersonate-Group")).forEach(groups::add);
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(review.toString());
    }

    /**
     * The admission policy on a write of an Approval: empty to let it through, else the refusal. {@code stored} reads
     * the Approval as it is (for an update).
     */
    Optional<MockResponse> admitApproval(RecordedRequest request, String body, String path, Function<String, JsonNode> stored) {
        if (!approvalPolicy || path.endsWith("/status")) {
            return Optional.empty();
        }
        JsonNode object = body == null || body.isBlank() ? null : Serialization.unmarshal(body, JsonNode.class);
        if ("POST".equals(request.getMethod()) && object != null) {
            List<String> impersonated = request.getHeaders().headers("Impersonate-User");
            String user = impersonated.isEmpty() ? ADMIN : impersonated.get(0);
            List<String> groups = request.getHeaders().headers("Impersonate-Group");
            Set<String> userGroups = Set.copyOf(impersonated.isEmpty() ? ADMIN_GROUPS : groups);
            JsonNode approver = object.path("spec").path("approver");
            Set<String> claimed = ConcurrentHashMap.newKeySet();
            approver.path("groups").forEach(g -> claimed.add(g.asText()));
            if (!user.equals(approver.path("username").asText(null))) {
                return Optional.of(denied("spec.approver.username must be your own username as the API server authenticated you"
                        + " (kubectl auth whoami)"));
            }
            if (!claimed.equals(userGroups)) {
                return Optional.of(denied("spec.approver.groups must be exactly your groups as the API server authenticated you"
                        + " (kubectl auth whoami)"));
            }
        }
        if (("PUT".equals(request.getMethod()) || "PATCH".equals(request.getMethod())) && object != null
                && object.has("spec")) {
            JsonNode before = stored.apply(path);
            if (before != null && !Objects.equals(before.path("spec"), object.path("spec"))) {
                return Optional.of(denied("an Approval cannot be changed: delete it and create a new one"));
            }
        }
        return Optional.empty();
    }

    private static MockResponse denied(String message) {
        String text = "approvals.glidepath.dev is forbidden: ValidatingAdmissionPolicy 'glidepath-approval-identity' with binding"
                + " 'glidepath-approval-identity' denied request: " + message;
        ObjectNode status = Serialization.jsonMapper().createObjectNode();
        status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("reason", "Invalid").put("code", 422)
                .put("message", text);
        return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json").setBody(status.toString());
    }
}
