package dev.glidepath.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What {@code make cli} runs once to record the classes the commands load (a class data sharing archive): the
 * real {@code list} and {@code status} paths, from reading a kubeconfig file to printing, against a stand-in API
 * on a loopback port that answers with one Release. Classes a run loads from the archive start several times
 * faster than classes read and verified from the jars, and a command loads about six thousand.
 */
final class Warmup {
    private static final String RELEASE = """
            {"apiVersion":"glidepath.dev/v1alpha1","kind":"Release","metadata":{"name":"w","namespace":"w","uid":"u",
             "resourceVersion":"1","labels":{"glidepath.dev/shard":"s"},"creationTimestamp":"2026-01-01T00:00:00Z"},
             "spec":{"service":{"name":"w","ports":[{"port":80}]},"strategy":{"canary":{"steps":[{"setWeight":5},{"pause":{}}]}},
              "template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"w","image":"w:1",
               "ports":[{"containerPort":8080}],"env":[{"name":"A","value":"b"}],"resources":{"limits":{"cpu":"1"}}}]}}},
             "status":{"phase":"Paused","stableRevision":1,"currentRevision":2,"version":"1","canaryWeight":5,
              "rollout":{"name":"w-2","toRevision":2,"stepIndex":1},"conditions":[{"type":"Ready","status":"False",
              "reason":"Paused","message":"m","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""";

    private Warmup() {
    }

    static void run(Clock clock) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String body = path.endsWith("/releases") ? "{\"apiVersion\":\"glidepath.dev/v1alpha1\",\"kind\":\"ReleaseList\","
                        + "\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[" + RELEASE + "]}"
                        : path.endsWith("/releases/w") ? RELEASE
                        : "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(bytes);
                }
            });
            server.start();
            Path dir = Files.createTempDirectory("glidepath-warmup");
            Path kubeconfig = dir.resolve("config");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: w, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: w, user: {token: w}}]
                    contexts: [{name: w, context: {cluster: w, user: w, namespace: w}}]
                    current-context: w
                    """.formatted(server.getAddress().getPort()));
            try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream())) {
                Cli cli = new Cli(KubeconfigClients.fromEnvironment(), clock, nowhere, nowhere);
                cli.run(new String[] {"list", "--kubeconfig", kubeconfig.toString()});
                cli.run(new String[] {"status", "w", "-n", "w", "--kubeconfig", kubeconfig.toString()});
            } finally {
                server.stop(0);
                Files.deleteIfExists(kubeconfig);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
