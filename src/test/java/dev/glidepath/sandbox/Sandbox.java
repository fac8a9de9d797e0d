package dev.glidepath.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.stream.Stream;

/**
 * An embedded Kubernetes API for tests, the demo and the benchmark: fabric8's mock server in CRUD mode,
 * with Glidepath's CRDs registered (so the status subresource behaves), discovery answers for kubectl,
 * and a count of every request it serves.
 */
public final class Sandbox implements AutoCloseable {
    private final KubernetesMockServer server;
    private final SandboxDispatcher dispatcher;
    private final KubernetesClient client;

    /** The mock server logs every request at INFO; the sandbox keeps its own log instead. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private Sandbox(int port) {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        dispatcher = new SandboxDispatcher();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        try {
            server.init(InetAddress.getLoopbackAddress(), port);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the sandbox API on port " + port, e);
        }
        client = server.createClient();
        registerCrds();
        dispatcher.serveScale();
    }

    /** Starts on a free loopback port. */
    public static Sandbox start() {
        return new Sandbox(0);
    }

    public static Sandbox start(int port) {
        return new Sandbox(port);
    }

    public KubernetesClient client() {
        return client;
    }

    /**
     * A new client for the operator, as a restarted operator process would have. It records what it
     * sends in {@link OperatorRequests}, for the least-privilege test.
     */
    public KubernetesClient newClient() {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("operator-requests", OperatorRequests.RECORDER))
                .build();
    }

    /** A client of its own for a user of the sandbox (the CLI, the dashboard): its requests are not the operator's. */
    public KubernetesClient userClient() {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    }

    /**
     * A client acting as {@code user} in {@code groups} (impersonation headers): who the sandbox's Approval policy and
     * SubjectAccessReviews see.
     */
    public KubernetesClient clientAs(String user, String... groups) {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                client.getConfiguration()).withImpersonateUsername(user).withImpersonateGroups(groups).build()).build();
    }

    /**
     * Installs the admission policy glidepath-approval-identity and its binding (as the chart does) and plays them on
     * writes of Approvals.
     */
    public void installApprovalPolicy() {
        client.admissionRegistration().v1().validatingAdmissionPolicies().resource(
                new io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder()
                        .withNewMetadata().withName("glidepath-approval-identity").endMetadata()
                        .withNewSpec().withFailurePolicy("Fail").endSpec().build()).create();
        client.admissionRegistration().v1().validatingAdmissionPolicyBindings().resource(
                new io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder()
                        .withNewMetadata().withName("glidepath-approval-identity").endMetadata()
                        .withNewSpec().withPolicyName("glidepath-approval-identity").withValidationActions("Deny").endSpec().build())
                .create();
        dispatcher.enforceApprovalPolicy(true);
    }

    /** How {@code kubectl glidepath} reaches the sandbox: a user client each time, {@code namespace} as the context's. */
    public dev.glidepath.cli.Cli.Clients cliClients(String namespace) {
        return new dev.glidepath.cli.Cli.Clients() {
            @Override
            public KubernetesClient client(String context) {
                return userClient();
            }

            @Override
            public String namespace(String context) {
                return namespace;
            }
        };
    }

    public String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    /** A kubeconfig reaching this sandbox, as an upstream cluster's Secret holds one. */
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: sandbox, cluster: {server: "%s"}}]
                users: [{name: reader, user: {token: t}}]
                contexts: [{name: sandbox, context: {cluster: sandbox, user: reader}}]
                current-context: sandbox
                """.formatted(url());
    }

    public RequestLog requests() {
        return dispatcher.log();
    }

    public SandboxDispatcher dispatcher() {
        return dispatcher;
    }

    private void registerCrds() {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            files.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(p -> {
                try {
                    var crd = Serialization.unmarshal(Files.readString(p), CustomResourceDefinition.class);
                    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("crds/ not found: run from the project directory", e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
