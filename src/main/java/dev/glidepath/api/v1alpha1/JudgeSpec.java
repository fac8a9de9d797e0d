package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * A sequential statistical comparison of the new revision's error rate with the stable revision's, from counts
 * (see the README's "Statistical judge").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JudgeSpec {
    public static final double DEFAULT_MAX_RATIO = 1.5;
    public static final double DEFAULT_ALPHA = 0.01;
    public static final long DEFAULT_MIN_REQUESTS = 100;

    @Required
    @JsonPropertyDescription("PromQL returning the cumulative count of failed requests of one revision, written with {{revision}} (also {{release}}, {{namespace}}), e.g. sum(http_requests_total{glidepath_dev_release=\"{{release}}\",glidepath_dev_revision=\"{{revision}}\",code=~\"5..\"}). It is evaluated for the new and for the stable revision.")
    public String errors;

    @Required
    @JsonPropertyDescription("PromQL returning the cumulative count of all requests of one revision, written with {{revision}} like errors.")
    public String requests;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Tolerance: the new revision's error rate may be up to this multiple of the stable revision's (default 1.5).")
    public Double maxRatio;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Absolute tolerance (optional): an error rate up to this share of requests is never a failure, whatever the stable revision's.")
    public Double maxErrorRate;

    @Min(0.0001)
    @Max(0.2)
    @JsonPropertyDescription("The chance of reverting a tolerable revision, bounded at every measurement however often one looks (default 0.01).")
    public Double alpha;

    @Min(1)
    @Max(1000000000)
    @JsonPropertyDescription("Requests the new revision must have served before it can pass (default 100).")
    public Long minRequests;
}
