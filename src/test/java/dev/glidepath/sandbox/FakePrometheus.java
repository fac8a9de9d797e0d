package dev.glidepath.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in for the Prometheus HTTP API on a loopback port: answers /api/v1/query with whatever the test
 * decides for each query, and remembers every query it was sent.
 */
public final class FakePrometheus implements AutoCloseable {
    /** One answer: a value, no sample, an error, optionally late. */
    public record Answer(String body, int status, long delayMillis) {
        public static Answer value(double v) {
            String text = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
            return new Answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                    + "\"value\":[1700000000.0,\"" + text + "\"]}]}}", 200, 0);
        }

        /** A vector of one series per {@code le}, as {@code sum by (le) (..._bucket)} returns (+Inf as the infinite key). */
        public static Answer buckets(Map<Double, Double> byLe) {
            StringBuilder result = new StringBuilder();
            byLe.forEach((le, count) -> result.append(result.isEmpty() ? "" : ",").append("{\"metric\":{\"le\":\"")
                    .append(le.isInfinite() ? "+Inf" : le.toString()).append("\"},\"value\":[1700000000.0,\"").append(count)
                    .append("\"]}"));
            return new Answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}", 200, 0);
        }

        public static Answer noSample() {
            return new Answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", 200, 0);
        }

        public static Answer error(String message) {
            return new Answer("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"" + message + "\"}", 400, 0);
        }

        public Answer late(long millis) {
            return new Answer(body, status, millis);
        }
    }

    private final HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile Function<String, Answer> answers = q -> Answer.value(0);

    public FakePrometheus() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-prometheus");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api/v1/query", this::handle);
        server.start();
    }

    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Decides the answer to each query from its text. */
    public void answer(Function<String, Answer> answers) {
        this.answers = answers;
    }

    /** The Authorization header of each query ("" when there was none). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    public List<String> queries() {
        return List.copyOf(queries);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawQuery();
        String query = "";
        for (String part : raw == null ? new String[0] : raw.split("&")) {
            if (part.startsWith("query=")) {
                query = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
            }
        }
        queries.add(query);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        Answer a = answers.apply(query);
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis()); // plays a slow server; bounded by the test's answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(a.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
