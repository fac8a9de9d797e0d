package dev.glidepath.sandbox;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Requests counted by kind, "METHOD resource[/subresource][ watch]" (e.g. "PUT releases/status"). */
public record RequestCounts(Map<String, Long> byKind) {

    /** The kinds of the requests in a slice of the sandbox's log. */
    public static RequestCounts of(List<RequestLog.Entry> entries) {
        return new RequestCounts(entries.stream().collect(Collectors.groupingBy(e -> {
            int q = e.path().indexOf('?');
            return kind(e.method(), q < 0 ? e.path() : e.path().substring(0, q), q < 0 ? null : e.path().substring(q + 1));
        }, TreeMap::new, Collectors.counting())));
    }

    /** The kind of a request to a path such as /apis/glidepath.dev/v1alpha1/namespaces/ns/releases/x/status. */
    public static String kind(String method, String path, String query) {
        String[] parts = path.split("/");
        int ns = Arrays.asList(parts).indexOf("namespaces");
        String resource;
        if (ns >= 0 && parts.length > ns + 2) {
            resource = parts[ns + 2] + (parts.length > ns + 4 ? "/" + parts[ns + 4] : "");
        } else {
            resource = parts.length == 0 ? path : parts[parts.length - 1];
        }
        boolean watch = query != null && query.contains("watch=true");
        return method + " " + resource + (watch ? " watch" : "");
    }

    /** What was counted since {@code earlier}. */
    public RequestCounts minus(RequestCounts earlier) {
        Map<String, Long> diff = new TreeMap<>();
        byKind.forEach((k, v) -> {
            if (v > earlier.get(k)) {
                diff.put(k, v - earlier.get(k));
            }
        });
        return new RequestCounts(diff);
    }

    public long get(String kind) {
        return byKind.getOrDefault(kind, 0L);
    }

    public long reads() {
        return byKind.entrySet().stream().filter(e -> e.getKey().startsWith("GET ")).mapToLong(Map.Entry::getValue).sum();
    }

    public long writes() {
        return byKind.values().stream().mapToLong(Long::longValue).sum() - reads();
    }

    /** The most frequent kinds first. */
    @Override
    public String toString() {
        return byKind.isEmpty() ? "none" : byKind.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
