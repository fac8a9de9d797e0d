package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.setWeight) ? 1 : 0) + (has(self.pause) ? 1 : 0) + (has(self.verify) ? 1 : 0) == 1",
        message = "each canary step sets exactly one of setWeight, pause or verify")
public class CanaryStep {
    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Percentage of the Release's replicas to run on the new revision (0..100). Completes when those pods are available.")
    public Integer setWeight;

    @JsonPropertyDescription("Wait: for the given duration, or, when empty ({}), until a promote command.")
    public Pause pause;

    @JsonPropertyDescription("Run a smoke-test Job against the new revision at the current weight; failure aborts and reverts.")
    public VerifySpec verify;

    public static CanaryStep weight(int w) {
        CanaryStep s = new CanaryStep();
        s.setWeight = w;
        return s;
    }

    public static CanaryStep pause(String duration) {
        CanaryStep s = new CanaryStep();
        s.pause = new Pause();
        s.pause.duration = duration;
        return s;
    }

    public String describe() {
        if (setWeight != null) {
            return "setWeight " + setWeight;
        }
        if (pause != null) {
            return pause.duration == null ? "pause until promoted" : "pause " + pause.duration;
        }
        if (verify != null) {
            return "verify";
        }
        return "empty step";
    }
}
