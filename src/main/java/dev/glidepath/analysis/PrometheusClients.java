package dev.glidepath.analysis;

import dev.glidepath.credentials.PrometheusAccess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Prometheus clients of one measurement source, reused across rounds and Releases that share an address,
 * credentials and timeout. Their answers are handled on threads of their own (never a reconciler's), which
 * {@link #close} stops.
 */
final class PrometheusClients implements AutoCloseable {
    /** More distinct clients than this and the lot is dropped: a client costs a connection pool. */
    private static final int MAX_CLIENTS = 256;

    private record Key(String address, PrometheusAccess access, Duration timeout) {
    }

    private final Map<Key, PrometheusClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService answers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "glidepath-prometheus");
        t.setDaemon(true);
        return t;
    });

    /** The client for this address, credentials and timeout; an IllegalArgumentException for an unusable CA. */
    PrometheusClient client(String address, PrometheusAccess access, Duration timeout) {
        if (clients.size() > MAX_CLIENTS) {
            clients.clear();
        }
        return clients.computeIfAbsent(new Key(address, access, timeout),
                k -> new PrometheusClient(k.address(), k.access(), k.timeout(), answers));
    }

    @Override
    public void close() {
        clients.clear();
        answers.shutdownNow();
    }
}
