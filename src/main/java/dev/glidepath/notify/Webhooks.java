package dev.glidepath.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.NotificationSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.credentials.Credentials;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.EventReason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Webhook notifications: what the decision did, sent to each configured target asynchronously, with a
 * timeout and a few retries, so a slow or failing endpoint never delays a rollout. The URL comes from a
 * Secret read and checked before (see {@link dev.glidepath.credentials.CredentialCheck}) and is never logged; a
 * delivery that fails every attempt shows as an Event. Redirects are not followed.
 */
public final class Webhooks implements AutoCloseable {
    public static final List<String> EVENTS = EventReason.NOTIFICATIONS;
    private static final Logger LOG = Logger.getLogger(Webhooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int ATTEMPTS = 3;

    /** Each attempt's timeout ({@code glidepath.webhooks.timeout}). */
    public static final String TIMEOUT_PROPERTY = "glidepath.webhooks.timeout";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Duration timeout;
    private final HttpClient http;
    private final ExecutorService deliveries;

    /** {@code timeout} bounds each attempt; {@link #close} stops the delivery threads. */
    public Webhooks(Duration timeout) {
        this.timeout = timeout;
        // Never follow a redirect: it could lead to an address the allowlist does not admit.
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.deliveries = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "glidepath-webhooks");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardOldestPolicy());
    }

    /** The notification event a decision note stands for, if any. */
    static Optional<String> eventOf(Decision.Note note) {
        return note.kind().notification();
    }

    /** Nothing is sent while a Secret or address of the Release is refused. */
    public void notify(Release release, Decision decision, Map<String, Measurement> measurements, Credentials credentials,
            ReleaseEvents events, Clock clock) {
        List<NotificationSpec> targets = release.getSpec() == null ? null : release.getSpec().notifications;
        if (targets == null || targets.isEmpty() || !credentials.usable()) {
            return;
        }
        for (Decision.Note note : decision.events()) {
            Optional<String> event = eventOf(note);
            if (event.isEmpty()) {
                continue;
            }
            for (NotificationSpec target : targets) {
                if (target.events != null && !target.events.isEmpty() && !target.events.contains(event.get())) {
                    continue;
                }
                String body = payload(target, release, decision.status(), event.get(), note, measurements, clock);
                Credentials.Webhook webhook = credentials.webhook(target.secretName);
                deliveries.execute(() -> deliver(release, target, webhook, body, events));
            }
        }
    }

    static String payload(NotificationSpec target, Release release, ReleaseStatus status, String event, Decision.Note note,
            Map<String, Measurement> measurements, Clock clock) {
        String name = release.getMetadata().getName();
        String ns = release.getMetadata().getNamespace();
        if ("Slack".equals(target.format)) {
            ObjectNode slack = JSON.createObjectNode();
            slack.put("text", (note.warning() ? ":warning: " : "") + "*" + name + "* (" + ns + ") " + event + ": " + note.message());
            return slack.toString();
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("release", name);
        doc.put("namespace", ns);
        doc.put("event", event);
        doc.put("reason", note.reason());
        doc.put("message", note.message());
        if (status != null) {
            doc.put("phase", status.phase);
            doc.put("version", status.version);
            if (status.stableRevision != null) {
                doc.put("stableRevision", status.stableRevision);
            }
        }
        // Every payload names the transition it is about: from the note, else the rollout in flight.
        Integer from = note.toRevision() != null ? note.fromRevision()
                : status != null && status.rollout != null ? status.rollout.fromRevision : null;
        Integer to = note.toRevision() != null ? note.toRevision()
                : status != null && status.rollout != null ? status.rollout.toRevision
                : status == null ? null : status.currentRevision;
        if (from != null) {
            doc.put("fromRevision", from);
        }
        if (to != null) {
            doc.put("toRevision", to);
        }
        ObjectNode measured = doc.putObject("measurements");
        measurements.forEach((metric, m) -> {
            if (m.value != null) {
                measured.put(metric, m.value);
            }
        });
        doc.put("time", clock.instant().toString());
        return doc.toString();
    }

    private void deliver(Release release, NotificationSpec target, Credentials.Webhook webhook, String body, ReleaseEvents events) {
        String failure;
        try {
            failure = webhook.url() == null ? webhook.failure() : post(webhook.url(), body);
        } catch (RuntimeException e) {
            failure = e.getClass().getSimpleName();
        }
        if (failure != null) {
            LOG.warnf("notification %s for %s/%s not delivered: %s", target.name, release.getMetadata().getNamespace(),
                    release.getMetadata().getName(), failure);
            if (deliveries.isShutdown()) {
                return;
            }
            events.emit(release, List.of(new Decision.Note(true, EventReason.NOTIFICATION_FAILED,
                    "notification " + target.name + " not delivered after " + ATTEMPTS + " attempts: " + failure)));
        }
    }

    /** Posts with retries; null when delivered, else why not (never the URL). */
    private String post(String url, String body) {
        String why = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return null;
                }
                why = "HTTP " + r.statusCode();
            } catch (HttpTimeoutException e) {
                why = "no answer within " + timeout.toMillis() + "ms";
            } catch (IOException | IllegalArgumentException e) {
                why = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            if (attempt < ATTEMPTS) {
                try {
                    Thread.sleep(500L * attempt); // back off between delivery attempts, on the delivery thread only
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
        }
        return why;
    }

    /**
     * Stops taking deliveries; those under way get one timeout to finish, then are interrupted (and reported in
     * the log only: the operator is stopping).
     */
    @Override
    public void close() {
        deliveries.shutdown();
        try {
            if (!deliveries.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                deliveries.shutdownNow();
            }
        } catch (InterruptedException e) {
            deliveries.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
