package dev.glidepath.credentials;

/**
 * Where the operator's configuration lets Releases send measurements queries and notifications
 * ({@code glidepath.allowed-prometheus-urls}, {@code glidepath.allowed-webhook-urls}).
 */
public record AddressPolicy(UrlAllowlist prometheus, UrlAllowlist webhooks) {
    public static final String PROMETHEUS_PROPERTY = "glidepath.allowed-prometheus-urls";
    public static final String WEBHOOK_PROPERTY = "glidepath.allowed-webhook-urls";
    /** No restriction: any address. */
    public static final AddressPolicy ANY = new AddressPolicy(UrlAllowlist.ANY, UrlAllowlist.ANY);

    public AddressPolicy {
        prometheus = prometheus == null ? UrlAllowlist.ANY : prometheus;
        webhooks = webhooks == null ? UrlAllowlist.ANY : webhooks;
    }
}
