package dev.glidepath.credentials;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Secrets Releases name, read by name through the API server and each kept for a short time, so that a
 * Release naming Secrets does not GET them in every reconcile. Secrets are never listed or watched (the
 * operator may only get them), so a change to one (its label, its data, its creation or deletion) is seen
 * within the time a read is kept ({@code glidepath.credentials.cache-ttl}). A read that fails is not kept.
 */
public final class SecretCache {
    public static final String TTL_PROPERTY = "glidepath.credentials.cache-ttl";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private record Key(String namespace, String name) {
    }

    /** What one read found (null: no such Secret) and when. */
    private record Read(Secret secret, Instant at) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<Key, Read> reads = new ConcurrentHashMap<>();
    private volatile Instant sweptAt = Instant.MIN;

    public SecretCache(Clock clock, Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException(TTL_PROPERTY + " must not be negative, got " + ttl);
        }
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Every read goes to the API server. */
    public static SecretCache uncached() {
        return new SecretCache(Clock.systemUTC(), Duration.ZERO);
    }

    /**
     * The Secret, from a read of the last {@code ttl}, else read now through {@code client}; null when there is
     * none. A failed read throws, as the client does.
     */
    public Secret get(KubernetesClient client, String namespace, String name) {
        Instant now = clock.instant();
        Key key = new Key(namespace, name);
        Read kept = reads.get(key);
        if (kept != null && fresh(kept, now)) {
            return kept.secret();
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (!ttl.isZero()) {
            reads.put(key, new Read(secret, now));
            sweep(now);
        }
        return secret;
    }

    private boolean fresh(Read read, Instant now) {
        return !now.isBefore(read.at()) && now.isBefore(read.at().plus(ttl));
    }

    /** Drops stale reads (of Secrets no Release names any more), at most once per ttl. */
    private void sweep(Instant now) {
        if (now.isBefore(sweptAt.plus(ttl)) && !now.isBefore(sweptAt)) {
            return;
        }
        sweptAt = now;
        reads.values().removeIf(r -> !fresh(r, now));
    }
}
