package dev.glidepath.notify;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.NotificationSpec;
import dev.glidepath.api.v1alpha1.Release;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Webhook notifications: what the decision did, with the deployment record fields it concerns ({@link Notice}), sent
 * to each configured target asynchronously, with a timeout and a few retries, so a slow or failing endpoint never
 * delays a rollout. The URL comes from a Secret read and checked before (see
 * {@link dev.glidepath.credentials.CredentialCheck}) and is never logged; a delivery that fails every attempt shows as
 * an Event. Redirects are not followed.
 */
public final class Webhooks implements AutoCloseable {
    public static final List<String> EVENTS = EventReason.NOTIFICATIONS;
    private static final Logger LOG = Logger.getLogger(Webhooks.class);
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

    /**
     * Notice names an Event also stands for, beside its own ({@link EventReason#notification()}): {@code completed}
     * for a rollout that succeeded, {@code rolledBack} for traffic back on an earlier revision (a rollback done, or
     * analysis reverting a rollout), {@code scheduled} for a rollout waiting for its deployment window. Each is sent
     * only once it is one of the names a Release may ask for ({@link EventReason#NOTIFICATIONS}, which the spec's
     * validation uses too), so that a target asking for all does not get a name it could not ask for by itself.
     */
    static final Map<EventReason, List<String>> ALSO = Map.of(
            EventReason.ROLLOUT_SUCCEEDED, List.of("completed"),
            EventReason.ROLLED_BACK, List.of("rolledBack"),
            EventReason.ANALYSIS_FAILED, List.of("rolledBack"),
            EventReason.PHASE_WAITING_FOR_WINDOW, List.of("scheduled"));

    /** The notice names a decision note stands for, its own first; empty when it is no notice. */
    static List<String> namesOf(Decision.Note note) {
        List<String> names = new ArrayList<>();
        note.kind().notification().ifPresent(names::add);
        for (String also : ALSO.getOrDefault(note.kind(), List.of())) {
            if (EVENTS.contains(also) && !names.contains(also)) {
                names.add(also);
            }
        }
        return names;
    }

    /**
     * The name {@code target} gets a notice under, if it wants it at all: the first of {@code names} it asks for, or
     * (asking for all) the note's own. One note is one notice to a target, whatever the names it matches.
     */
    static Optional<String> nameFor(NotificationSpec target, List<String> names) {
        if (target.events == null || target.events.isEmpty()) {
            return names.stream().findFirst();
        }
        return names.stream().filter(target.events::contains).findFirst();
    }

    /** Nothing is sent while a Secret or address of the Release is refused. */
    public void notify(Release release, Decision decision, Map<String, Measurement> measurements, Credentials credentials,
            ReleaseEvents events, Clock clock) {
        List<NotificationSpec> targets = release.getSpec() == null ? null : release.getSpec().notifications;
        if (targets == null || targets.isEmpty() || !credentials.usable()) {
            return;
        }
        for (Decision.Note note : decision.events()) {
            List<String> names = namesOf(note);
            if (names.isEmpty()) {
                continue;
            }
            for (NotificationSpec target : targets) {
                Optional<String> event = nameFor(target, names);
                if (event.isEmpty()) {
                    continue;
                }
                String body = payload(target, Notice.of(event.get(), release, decision, note), measurements, clock);
                Credentials.Webhook webhook = credentials.webhook(target.secretName);
                deliveries.execute(() -> deliver(release, target, webhook, body, events));
            }
        }
    }

    static String payload(NotificationSpec target, Notice notice, Map<String, Measurement> measurements, Clock clock) {
        return "Slack".equals(target.format) ? notice.slack() : notice.json(measurements, clock.instant());
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
