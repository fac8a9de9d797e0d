package dev.glidepath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Signoff;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The on-call commands: each writes exactly the merge patch the README documents (one-shot commands with a new
 * id) after checking that it means something now ({@link ReleaseAction}), and says what it did. The CLI and the
 * dashboard both use these.
 */
public final class ReleaseCommands {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final KubernetesClient client;
    private final Clock clock;

    public ReleaseCommands(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The Release, or a clear "not found". */
    public Release get(String namespace, String name) {
        Release r = Errors.call(() -> client.resources(Release.class).inNamespace(namespace).withName(name).get(), "get", namespace);
        if (r == null) {
            throw new CliException(CliException.NOT_FOUND, "release " + name + " not found in namespace " + namespace);
        }
        return r;
    }

    public String promote(String namespace, String name, boolean full) {
        Release r = get(namespace, name);
        refuseUnless(full ? ReleaseAction.PROMOTE_FULL : ReleaseAction.PROMOTE, r);
        ObjectNode promote = command();
        if (full) {
            promote.put("full", true);
        }
        patch(r, spec("promote", promote));
        return (full ? "full promote" : "promote") + " sent to " + ref(r) + " (id " + promote.get("id").asText() + "): "
                + (full ? "the new revision takes 100% now, skipping the remaining steps" : "the rollout goes past its current pause");
    }

    public String abort(String namespace, String name) {
        Release r = get(namespace, name);
        refuseUnless(ReleaseAction.ABORT, r);
        ObjectNode abort = command();
        patch(r, spec("abort", abort));
        Integer back = r.getStatus().rollout.fromRevision != null ? r.getStatus().rollout.fromRevision : r.getStatus().stableRevision;
        return "abort sent to " + ref(r) + " (id " + abort.get("id").asText() + "): all traffic goes back to revision " + back;
    }

    /** Rolls back to {@code revision}, or (null) to the revision that was stable before the current one. */
    public String rollback(String namespace, String name, Integer revision) {
        Release r = get(namespace, name);
        String refusal = ReleaseAction.rollbackRefusal(r, revision);
        if (refusal != null) {
            throw new CliException(CliException.REFUSED, refusal);
        }
        int target = revision != null ? revision : ReleaseAction.previousStable(r);
        ObjectNode rollback = command();
        rollback.put("revision", target);
        patch(r, spec("rollback", rollback));
        return "rollback to revision " + target + " sent to " + ref(r) + " (id " + rollback.get("id").asText() + ")";
    }

    public String retry(String namespace, String name) {
        Release r = get(namespace, name);
        refuseUnless(ReleaseAction.RETRY, r);
        ObjectNode retry = command();
        patch(r, spec("retry", retry));
        return "retry sent to " + ref(r) + " (id " + retry.get("id").asText() + "): its current template is rolled out again";
    }

    public String pause(String namespace, String name, boolean paused) {
        Release r = get(namespace, name);
        String already = (paused ? ReleaseAction.PAUSE : ReleaseAction.RESUME).refusal(r);
        if (already != null) {
            // Asking for the state it is in is not an error: a script may pause to be sure.
            return already + "; nothing changed";
        }
        patch(r, spec("paused", NODES.booleanNode(paused)));
        return paused ? ref(r) + " paused: no step advances and no traffic moves until resume"
                : ref(r) + " resumed";
    }

    /** Approves {@code revision}, or (null) the revision waiting for approval. */
    public String approve(String namespace, String name, Integer revision) {
        Release r = get(namespace, name);
        String refusal = ReleaseAction.approvalRefusal(r, revision);
        if (refusal != null) {
            throw new CliException(CliException.REFUSED, refusal);
        }
        Integer target = revision != null ? revision : r.getStatus().currentRevision;
        ObjectNode approval = NODES.objectNode().put("approvedRevision", target);
        patch(r, spec("approval", approval));
        return "revision " + target + " of " + ref(r) + " approved";
    }

    /**
     * Signs off {@code revision} (null: the one the Release runs or waits with) for {@code role} as the caller: an
     * Approval whose approver is the caller's identity as the API server reports it (a SelfSubjectReview, what
     * {@code kubectl auth whoami} shows), which the admission policy then checks.
     */
    public String approveAs(String namespace, String name, Integer revision, String role) {
        Release r = get(namespace, name);
        if (r.getSpec() == null || r.getSpec().approval == null || r.getSpec().approval.roles == null) {
            throw new CliException(CliException.REFUSED, ref(r) + " does not require approval by role (spec.approval.roles is not set)"
                    + "; approve NAME [REVISION] approves by revision number");
        }
        Integer target = revision != null ? revision : r.getStatus() == null ? null : r.getStatus().currentRevision;
        if (target == null) {
            throw new CliException(CliException.REFUSED, ref(r) + " is not reconciled yet: name the revision with --revision N");
        }
        SelfSubjectReview me = Errors.call(() -> client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview()),
                "create", "selfsubjectreviews (authentication.k8s.io)", null);
        UserInfo user = me == null || me.getStatus() == null ? null : me.getStatus().getUserInfo();
        if (user == null || user.getUsername() == null) {
            throw new CliException(CliException.REFUSED, "the API server did not say who you are (SelfSubjectReview); create the Approval"
                    + " by hand with the identity kubectl auth whoami shows");
        }
        Approval a = new Approval();
        // Owned by the Release: it goes with it, and never counts for another Release created later under the same name.
        a.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(approvalName(name, target, role, user.getUsername()))
                .addNewOwnerReference().withApiVersion(r.getApiVersion()).withKind(r.getKind()).withName(name)
                .withUid(r.getMetadata().getUid()).endOwnerReference().build());
        a.setSpec(new Signoff());
        a.getSpec().release = name;
        a.getSpec().revision = target;
        a.getSpec().role = role;
        a.getSpec().approver = new Signoff.Approver();
        a.getSpec().approver.username = user.getUsername();
        a.getSpec().approver.uid = user.getUid();
        a.getSpec().approver.groups = user.getGroups() == null || user.getGroups().isEmpty() ? null : user.getGroups();
        Approval created = Errors.call(() -> client.resource(a).create(), "create", "approvals", namespace);
        return "Approval " + created.getMetadata().getName() + ": " + user.getUsername() + " approves revision " + target + " of " + ref(r)
                + " for role " + role + "; whether it counts: kubectl get approval " + created.getMetadata().getName() + " -n " + namespace
                + " -o wide";
    }

    /** One name per person, role and revision: approving again is refused as already there, not counted twice. */
    static String approvalName(String release, int revision, String role, String username) {
        String who = username.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        String hash = Integer.toHexString(username.hashCode() & 0xfffffff);
        String base = release + "-r" + revision + "-" + role + "-" + (who.isEmpty() ? "user" : who);
        if (base.length() > 240) {
            base = base.substring(0, 240).replaceAll("-+$", "");
        }
        return base + "-" + hash;
    }

    /** Sets the image of one container of the pod template: a new revision. */
    public String setImage(String namespace, String name, String container, String image) {
        if (container.isBlank() || image.isBlank()) {
            throw new CliException(CliException.USAGE, "set image needs CONTAINER=IMAGE");
        }
        Release r = get(namespace, name);
        List<Container> containers = r.getSpec().template == null || r.getSpec().template.getSpec() == null ? List.of()
                : r.getSpec().template.getSpec().getContainers();
        int index = -1;
        for (int i = 0; i < containers.size(); i++) {
            if (container.equals(containers.get(i).getName())) {
                index = i;
            }
        }
        if (index < 0) {
            throw new CliException(CliException.REFUSED, ref(r) + " has no container " + container + " (containers: "
                    + containers.stream().map(Container::getName).collect(Collectors.joining(", ")) + ")");
        }
        if (image.equals(containers.get(index).getImage())) {
            return ref(r) + ": container " + container + " already runs " + image + "; nothing changed";
        }
        String path = "/spec/template/spec/containers/" + index;
        // The test guards against the list changing between the read and the write.
        String patch = NODES.arrayNode()
                .add(NODES.objectNode().put("op", "test").put("path", path + "/name").put("value", container))
                .add(NODES.objectNode().put("op", "replace").put("path", path + "/image").put("value", image)).toString();
        Errors.call(() -> client.resources(Release.class).inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON), patch),
                "patch", namespace);
        return ref(r) + ": container " + container + " set to " + image + " (a new revision rolls out)";
    }

    private static void refuseUnless(ReleaseAction action, Release r) {
        String refusal = action.refusal(r);
        if (refusal != null) {
            throw new CliException(CliException.REFUSED, refusal);
        }
    }

    private ObjectNode command() {
        // Unique per command even when two are sent in the same millisecond.
        return NODES.objectNode().put("id", clock.millis() + "-" + SEQUENCE.incrementAndGet());
    }

    private static ObjectNode spec(String field, JsonNode value) {
        ObjectNode patch = NODES.objectNode();
        patch.putObject("spec").set(field, value);
        return patch;
    }

    private void patch(Release r, ObjectNode patch) {
        String ns = r.getMetadata().getNamespace();
        Errors.call(() -> client.resources(Release.class).inNamespace(ns).withName(r.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()), "patch", ns);
    }

    static String ref(Release r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }

    /** Errors from the API server, in words: forbidden (quoting who may not do what), not found, unreachable. */
    static final class Errors {
        /** How an unreachable server's message starts; {@link Cli} adds the server's address after it. */
        static final String CANNOT_REACH = "cannot reach the API server";
        /** The reason when the server took the connection but sent no answer in time. */
        static final String NO_ANSWER = "no answer within the request timeout";

        private Errors() {
        }

        static <T> T call(Supplier<T> call, String verb, String namespace) {
            return call(call, verb, "releases", namespace);
        }

        /** {@code resource}: the plural of one of Glidepath's kinds, named in a refusal ("rollouts"). */
        static <T> T call(Supplier<T> call, String verb, String resource, String namespace) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                throw translate(e, verb, resource, namespace);
            }
        }

        static CliException translate(KubernetesClientException e, String verb, String namespace) {
            return translate(e, verb, "releases", namespace);
        }

        static CliException translate(KubernetesClientException e, String verb, String resource, String namespace) {
            String server = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : null;
            if (e.getCode() == 403) {
                return new CliException(CliException.FORBIDDEN, "forbidden: you may not " + verb + " " + resource + ".glidepath.dev"
                        + (namespace == null ? " in all namespaces" : " in namespace " + namespace) + (server == null ? "" : " (" + server + ")"));
            }
            if (e.getCode() == 404) {
                return new CliException(CliException.NOT_FOUND, server != null ? server
                        : "not found (are Glidepath's CRDs installed in this cluster? kubectl apply -f crds/)");
            }
            // No HTTP status: the request never got an answer. A refused or failed connection is an IOException, a server
            // that accepts connections and never answers (or never finishes TLS) a TimeoutException of the HTTP client.
            Throwable root = e;
            boolean timedOut = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                root = t;
                timedOut |= t instanceof TimeoutException;
            }
            if (timedOut) {
                return new CliException(CliException.UNREACHABLE, CANNOT_REACH + ": " + NO_ANSWER);
            }
            if (e.getCode() == 0 || e.getCause() instanceof IOException) {
                return new CliException(CliException.UNREACHABLE, CANNOT_REACH + ": " + root.getMessage());
            }
            if (e.getCode() < 0) {
                // No answer to quote (for example one that could not be read): not a refusal by the server.
                return new CliException(CliException.REFUSED, verb + " failed: " + e.getMessage());
            }
            return new CliException(CliException.REFUSED, "the API server refused (" + e.getCode() + "): " + (server == null ? e.getMessage() : server));
        }
    }
}
