package dev.glidepath.sandbox.scale;

import dev.glidepath.sandbox.RequestCounts;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Counts of the requests the scale API answered, by client (the bearer token it presented), kind
 * ("PUT deployments/status", see {@link RequestCounts#kind}) and answer code. Counters rather than a log: a
 * benchmark at 10 000 Releases sends millions of requests.
 */
public final class RequestTally {
    /** Clients that present no token. */
    public static final String ANONYMOUS = "anonymous";

    /** What is counted: who sent a request of which kind, and the code it was answered with. */
    public record Request(String client, String kind, int code) {
        public boolean isWrite() {
            return !kind.startsWith("GET ");
        }
    }

    private final Map<Request, LongAdder> counts = new ConcurrentHashMap<>();

    void count(String client, String method, String path, String query, int code) {
        counts.computeIfAbsent(new Request(client, RequestCounts.kind(method, path, query), code), r -> new LongAdder())
                .increment();
    }

    public Snapshot now() {
        Map<Request, Long> snapshot = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        counts.forEach((r, n) -> snapshot.put(r, n.sum()));
        return new Snapshot(snapshot);
    }

    /** The counts at one moment; {@link #minus} gives those of an interval. */
    public record Snapshot(Map<Request, Long> counts) {
        public Snapshot minus(Snapshot earlier) {
            Map<Request, Long> diff = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            counts.forEach((r, n) -> {
                long d = n - earlier.counts.getOrDefault(r, 0L);
                if (d > 0) {
                    diff.put(r, d);
                }
            });
            return new Snapshot(diff);
        }

        public long count(Predicate<Request> filter) {
            return counts.entrySet().stream().filter(e -> filter.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        }

        /** One client's requests by kind, whatever their answer. */
        public RequestCounts of(String client) {
            return new RequestCounts(counts.entrySet().stream().filter(e -> e.getKey().client().equals(client)).collect(
                    Collectors.groupingBy(e -> e.getKey().kind(), TreeMap::new, Collectors.summingLong(Map.Entry::getValue))));
        }
    }
}
