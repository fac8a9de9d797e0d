package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class HandledCommands {
    public String promote;
    public String abort;
    public String rollback;
    public String retry;
}
