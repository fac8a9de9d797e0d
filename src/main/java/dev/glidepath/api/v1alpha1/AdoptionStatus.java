package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The adoption of a Deployment that served the application before the Release. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdoptionStatus {
    @JsonPropertyDescription("The adopted Deployment.")
    public String deployment;

    @JsonPropertyDescription("Its available pods when the adoption started: available pods never drop below this (or spec.replicas when lower).")
    public Integer replicasBefore;

    @JsonPropertyDescription("When the adoption started.")
    public String startedAt;

    @JsonPropertyDescription("When the existing Service was taken over (it then selects the Release's pods); empty when there was none to take over.")
    public String serviceTakenAt;

    @JsonPropertyDescription("When the adopted Deployment reached zero replicas: the adoption is done.")
    public String finishedAt;
}
