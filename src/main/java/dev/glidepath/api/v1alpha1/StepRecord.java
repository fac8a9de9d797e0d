package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepRecord {
    public Integer index;
    public String what;
    public String startedAt;
    public String finishedAt;
    public String outcome;

    public StepRecord() {
    }

    public StepRecord(int index, String what, String startedAt) {
        this.index = index;
        this.what = what;
        this.startedAt = startedAt;
    }
}
