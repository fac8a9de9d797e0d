package dev.glidepath.sandbox.scale;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link ScaleApi} on a loopback port, with clients that identify themselves by a bearer token (so the API can
 * count each one's requests) and a kubeconfig for a process of its own, such as the packaged operator.
 */
public final class ScaleSandbox implements AutoCloseable {
    private final ScaleApi api = new ScaleApi(Clock.systemUTC());
    private final KubernetesMockServer server;
    private final KubernetesClient admin;
    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

    /** The mock web server logs every request at INFO: at this scale that costs more than answering. Held so it stays set. */
    private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

    private ScaleSandbox() {
        QUIET.setLevel(Level.WARNING);
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(), api,
                false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        admin = client("admin");
    }

    public static ScaleSandbox start() {
        return new ScaleSandbox();
    }

    public ScaleApi api() {
        return api;
    }

    public String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    /** A client of the {@code admin} token: the benchmark's and the tests'. */
    public KubernetesClient client() {
        return admin;
    }

    /** A new client presenting {@code token}; closed with the sandbox. */
    public KubernetesClient client(String token) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.createClient()
                .getConfiguration()).withOauthToken(token).build()).build();
        clients.add(client);
        return client;
    }

    /** Writes a kubeconfig whose current context reaches this API with {@code token}. */
    public Path kubeconfig(Path file, String token) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: scale-api
                      cluster:
                        server: %s
                    users:
                    - name: %s
                      user:
                        token: %s
                    contexts:
                    - name: %s
                      context:
                        cluster: scale-api
                        user: %s
                        namespace: default
                    current-context: %s
                    """.formatted(url(), token, token, token, token, token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }
}
