package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One container's image before and after a rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageChange {
    @JsonPropertyDescription("The container.")
    public String container;

    @JsonPropertyDescription("Its image in the revision traffic came from (absent: a new container).")
    public String from;

    @JsonPropertyDescription("Its image in the revision traffic goes to (absent: a removed container).")
    public String to;
}
