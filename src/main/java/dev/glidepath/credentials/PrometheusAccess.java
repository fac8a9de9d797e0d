package dev.glidepath.credentials;

/** How to reach a Prometheus, read from the Release's opted-in Secret: token or basic auth, and a CA; all optional. */
public record PrometheusAccess(String bearerToken, String username, String password, String caPem) {
    public static final PrometheusAccess NONE = new PrometheusAccess(null, null, null, null);
}
