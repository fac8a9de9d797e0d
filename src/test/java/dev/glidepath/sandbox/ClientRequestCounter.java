package dev.glidepath.sandbox;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests one client sends (an interceptor of its HTTP client), so the benchmark can tell the
 * operator's requests from the simulator's and its own, which all reach the same sandbox.
 */
public final class ClientRequestCounter implements Interceptor {
    private final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        byKind.computeIfAbsent(RequestCounts.kind(request.method(), request.uri().getPath(), request.uri().getQuery()),
                k -> new AtomicLong()).incrementAndGet();
    }

    /** The counts so far. */
    public RequestCounts now() {
        Map<String, Long> snapshot = new TreeMap<>();
        byKind.forEach((k, v) -> snapshot.put(k, v.get()));
        return new RequestCounts(snapshot);
    }
}
