package dev.glidepath.analysis;

import dev.glidepath.credentials.PrometheusAccess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Instant queries against the Prometheus HTTP API (/api/v1/query), asynchronous, each with a timeout. */
public final class PrometheusClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final PrometheusAccess access;
    private final Duration timeout;

    public PrometheusClient(String address, PrometheusAccess access, Duration timeout) {
        this(address, access, timeout, null);
    }

    /** With {@code answers} handling the responses (null: the HTTP client's own threads). */
    PrometheusClient(String address, PrometheusAccess access, Duration timeout, Executor answers) {
        this.base = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        this.access = access == null ? PrometheusAccess.NONE : access;
        this.timeout = timeout;
        // Never follow a redirect: it could lead the credentials to an address the allowlist does not admit.
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (answers != null) {
            builder.executor(answers);
        }
        if (this.access.caPem() != null && !this.access.caPem().isBlank()) {
            builder.sslContext(trusting(this.access.caPem()));
        }
        this.http = builder.build();
    }

    public CompletableFuture<QueryResult> query(String promql) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET();
        if (access.bearerToken() != null) {
            request.header("Authorization", "Bearer " + access.bearerToken().trim());
        } else if (access.username() != null) {
            String basic = access.username() + ":" + (access.password() == null ? "" : access.password());
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(PrometheusClient::parse)
                    .exceptionally(PrometheusClient::unreachable)
                    .completeOnTimeout(QueryResult.failed("no answer within " + timeout.toMillis() + "ms"),
                            timeout.toMillis() + 250, TimeUnit.MILLISECONDS);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(QueryResult.failed("bad Prometheus address: " + e.getMessage()));
        }
    }

    static QueryResult parse(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return QueryResult.failed("HTTP " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            return QueryResult.failed("Prometheus answered HTTP " + response.statusCode() + ": "
                    + body.path("errorType").asText("") + " " + body.path("error").asText(""));
        }
        JsonNode data = body.path("data");
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        return switch (type) {
            case "scalar" -> number(result.path(1).asText());
            case "vector" -> {
                if (result.size() == 0) {
                    yield QueryResult.noSample();
                }
                QueryResult one = result.size() > 1 ? QueryResult.failed("the query returned " + result.size()
                        + " series; aggregate it to one number, e.g. with sum(...)")
                        : number(result.path(0).path("value").path(1).asText());
                yield byLe(result).map(one::withBuckets).orElse(one);
            }
            default -> QueryResult.failed("the query returned a " + type + "; an instant vector or scalar is needed");
        };
    }

    /**
     * The vector's values by {@code le}, when every series has that label and no two the same (a histogram's
     * buckets aggregated by le); none otherwise. A value that is not a number reads as NaN.
     */
    private static Optional<SortedMap<Double, Double>> byLe(JsonNode result) {
        SortedMap<Double, Double> buckets = new TreeMap<>();
        for (JsonNode series : result) {
            JsonNode le = series.path("metric").path("le");
            if (!le.isTextual()) {
                return Optional.empty();
            }
            QueryResult bound = number(le.asText());
            QueryResult count = number(series.path("value").path(1).asText());
            if (bound.value().isEmpty() || Double.isNaN(bound.value().getAsDouble())) {
                return Optional.empty();
            }
            if (buckets.put(bound.value().getAsDouble(), count.value().orElse(Double.NaN)) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(buckets);
    }

    private static QueryResult number(String text) {
        return switch (text) {
            case "NaN" -> QueryResult.of(Double.NaN);
            case "+Inf" -> QueryResult.of(Double.POSITIVE_INFINITY);
            case "-Inf" -> QueryResult.of(Double.NEGATIVE_INFINITY);
            default -> {
                try {
                    yield QueryResult.of(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    yield QueryResult.failed("not a number: '" + text + "'");
                }
            }
        };
    }

    private static QueryResult unreachable(Throwable t) {
        Throwable cause = t.getCause() != null ? t.getCause() : t;
        if (cause instanceof HttpTimeoutException) {
            return QueryResult.failed("no answer within the query timeout");
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return QueryResult.failed("Prometheus unreachable: " + message);
    }

    private static SSLContext trusting(String pem) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalArgumentException("ca.crt is not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
