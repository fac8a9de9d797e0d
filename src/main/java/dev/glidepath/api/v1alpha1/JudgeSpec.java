package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A sequential statistical comparison of the new revision with the stable revision, from counts (see the README's
 * "Statistical judge"): of failed requests (errors and requests), or of requests slower than the stable
 * revision's quantile (histogram).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.histogram) ? !has(self.errors) && !has(self.requests) : has(self.errors) && has(self.requests)",
        message = "a judge sets either errors and requests, or histogram")
@ValidationRule(value = "has(self.histogram) || !has(self.quantile)", message = "judge.quantile needs judge.histogram")
@ValidationRule(value = "!has(self.histogram) || !has(self.maxErrorRate)", message = "judge.maxErrorRate applies to errors, not to histogram")
public class JudgeSpec {
    public static final double DEFAULT_MAX_RATIO = 1.5;
    public static final double DEFAULT_ALPHA = 0.01;
    public static final long DEFAULT_MIN_REQUESTS = 100;
    public static final double DEFAULT_QUANTILE = 0.99;

    @JsonPropertyDescription("PromQL returning the cumulative count of failed requests of one revision, written with {{revision}} (also {{release}}, {{namespace}}), e.g. sum(http_requests_total{glidepath_dev_release=\"{{release}}\",glidepath_dev_revision=\"{{revision}}\",code=~\"5..\"}). It is evaluated for the new and for the stable revision.")
    public String errors;

    @JsonPropertyDescription("PromQL returning the cumulative count of all requests of one revision, written with {{revision}} like errors.")
    public String requests;

    @JsonPropertyDescription("Instead of errors and requests, a latency judge: PromQL returning the cumulative bucket counts of one revision's request-duration histogram, one series per le, written with {{revision}} like errors, e.g. sum by (le) (http_request_duration_seconds_bucket{glidepath_dev_release=\"{{release}}\",glidepath_dev_revision=\"{{revision}}\"}). At the first measurement the boundary is chosen from the stable revision's buckets (the smallest le holding the quantile) and kept for the rollout; requests slower than it count as failed.")
    public String histogram;

    @Min(0.5)
    @Max(0.9999)
    @JsonPropertyDescription("With histogram: the stable revision's quantile whose bucket boundary separates slow requests (default 0.99).")
    public Double quantile;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Tolerance: the new revision's error rate may be up to this multiple of the stable revision's (default 1.5). With histogram: its share of requests slower than the boundary may be up to this multiple of the stable revision's share.")
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
    @JsonPropertyDescription("Requests the new revision must have served before it can pass (default 100; with histogram, 10/(1 − quantile): 1000 at 0.99).")
    public Long minRequests;
}
