package dev.glidepath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.glidepath.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code kubectl glidepath dashboard}: a live page on 127.0.0.1 with the user's own permissions. It holds no
 * credentials and installs nothing: it reads through the client of the user's kubeconfig (informers on Releases,
 * Rollouts and Jobs), pushes views to the page as Server-Sent Events, and runs the buttons through the same
 * {@link ReleaseCommands} as the CLI.
 *
 * <p>Only this machine can reach it, and other web sites cannot drive it: every request must name 127.0.0.1 or
 * localhost with this port as its Host (no DNS rebinding), and a command must be a POST carrying the header
 * {@code X-Glidepath: 1} (which a cross-site form cannot send, and a cross-site script only after a CORS preflight
 * this server never allows) and, when the browser sends one, an Origin of this server.
 */
final class Dashboard implements AutoCloseable {
    static final String COMMAND_HEADER = "X-Glidepath";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final HttpServer server;
    private final ExecutorService threads;
    private final ReleaseFeed feed;
    private final LiveViews views;
    private final ReleaseCommands commands;
    private final String namespace;
    private final CountDownLatch closed = new CountDownLatch(1);

    private Dashboard(HttpServer server, ExecutorService threads, ReleaseFeed feed, LiveViews views, ReleaseCommands commands,
            String namespace) {
        this.server = server;
        this.threads = threads;
        this.feed = feed;
        this.views = views;
        this.commands = commands;
        this.namespace = namespace;
    }

    /** Serves until the process ends; {@code namespace} null for all namespaces. */
    static void serve(KubernetesClient client, ReleaseCommands commands, String namespace, int port, Clock clock, PrintStream out) {
        Dashboard d = start(client, commands, namespace, port, clock);
        Thread stop = new Thread(d::close, "dashboard-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        out.println("Glidepath dashboard: " + d.url() + "  (" + (namespace == null ? "all namespaces" : "namespace " + namespace)
                + ", your kubeconfig's permissions; Ctrl-C stops it)");
        out.flush();
        try {
            d.closed.await();
        } catch (InterruptedException e) {
            // Stopped by its caller rather than by the end of the process.
            Thread.currentThread().interrupt();
            Runtime.getRuntime().removeShutdownHook(stop);
        } finally {
            d.close();
        }
    }

    /** Starts the informers and the server on 127.0.0.1:{@code port} (0: a free port); {@link #close()} stops both. */
    static Dashboard start(KubernetesClient client, ReleaseCommands commands, String namespace, int port, Clock clock) {
        LiveViews views = new LiveViews(clock);
        ReleaseFeed feed = ReleaseFeed.start(client, namespace, views::changed);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        } catch (IOException e) {
            feed.close();
            throw new CliException(CliException.REFUSED, "cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dashboard-http");
            t.setDaemon(true);
            return t;
        });
        Dashboard d = new Dashboard(server, threads, feed, views, commands, namespace);
        server.setExecutor(threads);
        server.createContext("/", d::handle);
        views.start(feed);
        server.start();
        return d;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        views.close();
        server.stop(0);
        threads.shutdownNow();
        feed.close();
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            x.getResponseHeaders().set("Content-Security-Policy", POLICY);
            x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            x.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            x.getResponseHeaders().set("Cache-Control", "no-store");
            if (!ownHost(x.getRequestHeaders().getFirst("Host"))) {
                error(x, 403, "this dashboard answers only to 127.0.0.1:" + port() + " or localhost:" + port());
                return;
            }
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            if (path.equals("/api/command")) {
                if (!method.equals("POST")) {
                    error(x, 405, "commands are POSTs");
                    return;
                }
                command(x);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                error(x, 405, method + " is not served here");
            } else if (path.equals("/api/releases")) {
                send(x, 200, "application/json", views.snapshot().toString());
            } else if (path.equals("/api/record")) {
                record(x);
            } else if (path.equals("/api/events")) {
                events(x);
            } else if (ASSETS.containsKey(path)) {
                asset(x, ASSETS.get(path));
            } else {
                error(x, 404, "not found: " + path);
            }
        } catch (RuntimeException e) {
            error(x, 500, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            x.close();
        }
    }

    /** Host (and Origin, when sent) must be this server under a loopback name. */
    private boolean ownHost(String host) {
        return host != null && Set.of("127.0.0.1:" + port(), "localhost:" + port()).contains(host.toLowerCase());
    }

    private void command(HttpExchange x) throws IOException {
        if (!"1".equals(x.getRequestHeaders().getFirst(COMMAND_HEADER))) {
            error(x, 403, "a command needs the header " + COMMAND_HEADER + ": 1 (sent by the dashboard's page)");
            return;
        }
        String origin = x.getRequestHeaders().getFirst("Origin");
        if (origin != null && !(origin.startsWith("http://") && ownHost(origin.substring("http://".length())))) {
            error(x, 403, "commands are accepted only from this dashboard's own page, not from " + origin);
            return;
        }
        JsonNode body;
        try (InputStream in = x.getRequestBody()) {
            body = JSON.readTree(in.readNBytes(64 * 1024));
        } catch (IOException e) {
            error(x, 400, "the body must be JSON: " + e.getMessage());
            return;
        }
        try {
            String message = run(body);
            send(x, 200, "application/json", JsonNodeFactory.instance.objectNode().put("message", message).toString());
        } catch (CliException e) {
            error(x, status(e.exitCode()), e.getMessage());
        }
    }

    /** One command, exactly as the CLI runs it. */
    private String run(JsonNode body) {
        String ns = text(body, "namespace");
        String name = text(body, "name");
        String action = text(body, "action");
        if (namespace != null && !namespace.equals(ns)) {
            throw new CliException(CliException.USAGE, "this dashboard serves namespace " + namespace + " only");
        }
        Integer revision = null;
        if (body != null && body.hasNonNull("revision")) {
            JsonNode r = body.get("revision");
            if (!r.isIntegralNumber() || !r.canConvertToInt()) {
                throw new CliException(CliException.USAGE, "revision must be a number, got " + r);
            }
            revision = r.asInt();
        }
        return switch (ReleaseAction.of(action)) {
            case PROMOTE -> commands.promote(ns, name, false);
            case PROMOTE_FULL -> commands.promote(ns, name, true);
            case ABORT -> commands.abort(ns, name);
            case ROLLBACK -> commands.rollback(ns, name, revision);
            case RETRY -> commands.retry(ns, name);
            case APPROVE -> commands.approve(ns, name, revision);
            case PAUSE -> commands.pause(ns, name, true);
            case RESUME -> commands.pause(ns, name, false);
        };
    }

    private static String text(JsonNode body, String field) {
        if (body == null || !body.hasNonNull(field) || body.get(field).asText().isBlank()) {
            throw new CliException(CliException.USAGE, "the command needs " + field);
        }
        return body.get(field).asText();
    }

    /**
     * {@code GET /api/record?namespace=NS&name=ROLLOUT}: the deployment record of a Rollout of a Release shown here, as
     * the Markdown text {@code kubectl glidepath record} prints, read from the cache (no request to the API server).
     */
    private void record(HttpExchange x) throws IOException {
        Map<String, String> query;
        try {
            query = query(x.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            error(x, 400, "the query cannot be read: " + e.getMessage());
            return;
        }
        String ns = query.get("namespace");
        String name = query.get("name");
        if (ns == null || ns.isBlank() || name == null || name.isBlank()) {
            error(x, 400, "a record needs namespace and name (of the Rollout)");
            return;
        }
        Rollout rollout = feed.rollout(ns, name);
        if (rollout == null) {
            error(x, 404, "no Rollout " + name + " of a Release in namespace " + ns + " here");
            return;
        }
        send(x, 200, "text/plain", DeploymentRecord.markdown(rollout));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    /** The CLI's exit code as an HTTP status. */
    static int status(int exitCode) {
        return switch (exitCode) {
            case CliException.USAGE -> 400;
            case CliException.FORBIDDEN -> 403;
            case CliException.NOT_FOUND -> 404;
            case CliException.UNREACHABLE -> 502;
            default -> 409;
        };
    }

    private void events(HttpExchange x) throws IOException {
        x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        x.sendResponseHeaders(200, 0);
        try {
            views.stream(x.getResponseBody());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void asset(HttpExchange x, String file) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                error(x, 404, "missing asset " + file);
                return;
            }
            String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
            x.getResponseHeaders().set("Content-Type", type);
            byte[] bytes = in.readAllBytes();
            x.sendResponseHeaders(200, x.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
            if (!x.getRequestMethod().equals("HEAD")) {
                x.getResponseBody().write(bytes);
            }
        }
    }

    private static void error(HttpExchange x, int status, String message) {
        try {
            send(x, status, "application/json", JsonNodeFactory.instance.objectNode().put("error", message).toString());
        } catch (IOException e) {
            // The page went away (or the answer had started already): nobody to tell.
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type + (type.contains("charset") ? "" : "; charset=utf-8"));
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
