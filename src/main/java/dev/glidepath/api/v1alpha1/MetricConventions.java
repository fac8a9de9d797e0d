package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * The names the standard metrics are written with, for a Prometheus whose metrics or labels are named
 * otherwise than the usual convention. Each unset field keeps the default given in its description.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricConventions {
    public static final String METRIC_NAME = "^[a-zA-Z_:][a-zA-Z0-9_:]*$";
    public static final String LABEL_NAME = "^[a-zA-Z_][a-zA-Z0-9_]*$";
    public static final String CODE_MATCHER = "^[a-zA-Z0-9_.|()\\[\\]*+?-]+$";

    @Pattern(METRIC_NAME)
    @JsonPropertyDescription("Counter of served requests, labelled with the response code (default http_requests_total).")
    public String requestsMetric;

    @Pattern(METRIC_NAME)
    @JsonPropertyDescription("Histogram of request durations in seconds, without its _bucket suffix (default http_request_duration_seconds).")
    public String durationHistogram;

    @Pattern(LABEL_NAME)
    @JsonPropertyDescription("Label holding the Release's namespace (default namespace).")
    public String namespaceLabel;

    @Pattern(LABEL_NAME)
    @JsonPropertyDescription("Label holding the pod label glidepath.dev/release (default glidepath_dev_release).")
    public String releaseLabel;

    @Pattern(LABEL_NAME)
    @JsonPropertyDescription("Label holding the pod label glidepath.dev/revision (default glidepath_dev_revision).")
    public String revisionLabel;

    @Pattern(LABEL_NAME)
    @JsonPropertyDescription("Label holding the response code (default code).")
    public String codeLabel;

    @Pattern(CODE_MATCHER)
    @JsonPropertyDescription("Regular expression matching the codes that count as errors (default 5..).")
    public String errorCodes;
}
