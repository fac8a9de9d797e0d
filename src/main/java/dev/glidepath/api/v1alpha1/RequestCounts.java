package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Failed (or slow) and all requests of the new and the stable revision, as counted by a judged metric. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RequestCounts {
    @JsonPropertyDescription("Failed requests of the new revision (with judge.histogram: its requests slower than the boundary).")
    public Double newErrors;

    @JsonPropertyDescription("Requests of the new revision.")
    public Double newRequests;

    @JsonPropertyDescription("Failed requests of the stable revision (with judge.histogram: its requests slower than the boundary).")
    public Double stableErrors;

    @JsonPropertyDescription("Requests of the stable revision.")
    public Double stableRequests;

    public RequestCounts() {
    }

    public RequestCounts(double newErrors, double newRequests, double stableErrors, double stableRequests) {
        this.newErrors = newErrors;
        this.newRequests = newRequests;
        this.stableErrors = stableErrors;
        this.stableRequests = stableRequests;
    }
}
