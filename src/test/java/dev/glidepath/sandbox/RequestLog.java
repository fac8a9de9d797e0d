package dev.glidepath.sandbox;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** Every request the sandbox API served: method and path, in order. */
public final class RequestLog {
    /** A request and the status code it was answered with. */
    public record Entry(String method, String path, int code) {
        public boolean isWrite() {
            return !method.equals("GET");
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> byMethod = new ConcurrentHashMap<>();

    void record(String method, String path, int code) {
        entries.add(new Entry(method, path, code));
        byMethod.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
    }

    public int size() {
        return entries.size();
    }

    public List<Entry> since(int mark) {
        return List.copyOf(entries.subList(mark, entries.size()));
    }

    public long count(Predicate<Entry> filter) {
        return entries.stream().filter(filter).count();
    }
}
