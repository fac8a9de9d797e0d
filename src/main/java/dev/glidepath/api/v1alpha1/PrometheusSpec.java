package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusSpec {
    @Required
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090. The operator's configuration may restrict which addresses are allowed (glidepath.allowed-prometheus-urls); redirects are not followed.")
    public String address;

    @JsonPropertyDescription("Name of a Secret in the Release's namespace with either `token` (bearer) or `username` and `password` (basic), and optionally `ca.crt` (PEM) to trust. Read by name only, and used only when the Secret carries the label glidepath.dev/credentials=true.")
    public String secretName;

    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "prometheus.timeout must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "prometheus.timeout " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("Timeout of one query (default 5s). A query that takes longer is inconclusive.")
    public String timeout;
}
