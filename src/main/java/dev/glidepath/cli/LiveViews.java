package dev.glidepath.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The views pushed to the open pages as Server-Sent Events. A change reported by the feed marks its Release; within
 * {@link #DEBOUNCE_MILLIS} the marked views are rebuilt from the caches and each one that differs from what was last
 * sent goes out once to every page (a burst of events on one Release is one push). A tick every second rebuilds all
 * views from the caches (no API call) so that countdowns of timed pauses move; unchanged views are not sent.
 */
final class LiveViews implements AutoCloseable {
    static final long DEBOUNCE_MILLIS = 100;
    private static final long HEARTBEAT_SECONDS = 15;

    private final Clock clock;
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-push");
        t.setDaemon(true);
        return t;
    });
    private final List<Page> pages = new CopyOnWriteArrayList<>();
    /** Guarded by this: what each page has been sent, and what changed since. */
    private final Map<String, String> sent = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private boolean flushScheduled;
    private ReleaseFeed feed;

    LiveViews(Clock clock) {
        this.clock = clock;
    }

    /** Starts pushing; before this, changes are only remembered. */
    void start(ReleaseFeed feed) {
        synchronized (this) {
            this.feed = feed;
            dirty.addAll(feed.keys());
        }
        pusher.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        pusher.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        schedule();
    }

    /** Called by the feed's informers for every change of a Release, its Rollouts or its Jobs. */
    void changed(String key) {
        synchronized (this) {
            dirty.add(key);
        }
        schedule();
    }

    private void schedule() {
        synchronized (this) {
            if (flushScheduled || feed == null) {
                return;
            }
            flushScheduled = true;
        }
        pusher.schedule(this::flush, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        synchronized (this) {
            if (feed != null) {
                dirty.addAll(feed.keys());
                dirty.addAll(sent.keySet());
            }
        }
        flush();
    }

    private synchronized void flush() {
        flushScheduled = false;
        Instant now = clock.instant();
        for (String key : dirty) {
            ObjectNode view = feed.view(key, now);
            if (view == null) {
                if (sent.remove(key) != null) {
                    broadcast("removed", JsonNodeFactory.instance.objectNode().put("key", key).toString());
                }
                continue;
            }
            String json = view.toString();
            if (!json.equals(sent.get(key))) {
                sent.put(key, json);
                broadcast("release", json);
            }
        }
        dirty.clear();
    }

    /** All views now, as sent to a page that opens. */
    synchronized ArrayNode snapshot() {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        if (feed != null) {
            Instant now = clock.instant();
            for (String key : feed.keys()) {
                ObjectNode view = feed.view(key, now);
                if (view != null) {
                    all.add(view);
                }
            }
        }
        return all;
    }

    /**
     * Streams to {@code out} until the page goes away or the dashboard closes: first the snapshot, then each change.
     * Blocks the calling (HTTP) thread meanwhile.
     */
    void stream(OutputStream out) throws InterruptedException {
        Page page = new Page(out);
        synchronized (this) {
            // Pending changes go out first, so that the snapshot and what follows it agree.
            flush();
            page.send("snapshot", snapshot().toString());
            pages.add(page);
        }
        page.gone.await();
    }

    private void broadcast(String event, String data) {
        for (Page p : pages) {
            p.send(event, data);
        }
    }

    private synchronized void heartbeat() {
        for (Page p : pages) {
            p.write(": keep-alive\n\n");
        }
    }

    int pages() {
        return pages.size();
    }

    @Override
    public void close() {
        pusher.shutdownNow();
        for (Page p : pages) {
            p.close();
        }
    }

    /** One open page's event stream. */
    private final class Page {
        final OutputStream out;
        final CountDownLatch gone = new CountDownLatch(1);

        Page(OutputStream out) {
            this.out = out;
        }

        void send(String event, String data) {
            write("event: " + event + "\ndata: " + data + "\n\n");
        }

        void write(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            pages.remove(this);
            try {
                out.close();
            } catch (IOException e) {
                // the page is gone already
            }
            gone.countDown();
        }
    }
}
