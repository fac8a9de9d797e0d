package dev.glidepath.credentials;

import java.util.List;
import java.util.Map;

/**
 * What a Release may use of the Secrets it names, as read and checked in one reconcile. {@code problems} name
 * the field of each Secret or address that must not be used (a Secret not labelled for Glidepath, an address
 * outside the operator's allowlist); while there is any, nothing is sent anywhere. A Secret that is missing
 * or cannot be read is not a problem of the spec: its use fails as it happens (an inconclusive measurement,
 * a failed notification).
 */
public record Credentials(PrometheusAccess prometheus, String prometheusFailure, Map<String, Webhook> webhooks,
        List<String> problems) {
    /** Nothing named, nothing wrong. */
    public static final Credentials NONE = new Credentials(PrometheusAccess.NONE, null, Map.of(), List.of());

    public Credentials {
        webhooks = Map.copyOf(webhooks);
        problems = List.copyOf(problems);
    }

    /** A webhook's URL read from its Secret, or why it cannot be used; the URL is never shown. */
    public record Webhook(String url, String failure) {
    }

    /** The Prometheus credentials, or an IllegalStateException saying why they could not be read. */
    public PrometheusAccess prometheusAccess() {
        if (prometheusFailure != null) {
            throw new IllegalStateException(prometheusFailure);
        }
        return prometheus;
    }

    /** The webhook of a notification's Secret; a failure when that Secret was not read. */
    public Webhook webhook(String secretName) {
        Webhook w = webhooks.get(secretName);
        return w != null ? w : new Webhook(null, "Secret " + secretName + " was not read");
    }

    public boolean usable() {
        return problems.isEmpty();
    }
}
