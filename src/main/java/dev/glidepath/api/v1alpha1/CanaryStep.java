package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.setWeight) ? 1 : 0) + (has(self.pause) ? 1 : 0) + (has(self.verify) ? 1 : 0)"
        + " + (has(self.setHeaderRoute) ? 1 : 0) == 1",
        message = "each canary step sets exactly one of setWeight, pause, verify or setHeaderRoute")
public class CanaryStep {
    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Percentage of traffic for the new revision (0..100). With trafficRouting it is the route's exact weight and the new revision runs ceil(replicas x weight / 100) pods (at least one) next to a full-size stable revision; without, it is carried by replica counts. Completes when those pods are available.")
    public Integer setWeight;

    @JsonPropertyDescription("Wait: for the given duration, or, when empty ({}), until a promote command.")
    public Pause pause;

    @JsonPropertyDescription("Run a smoke-test Job against the new revision at the current weight; failure aborts and reverts.")
    public VerifySpec verify;

    @JsonPropertyDescription("Needs trafficRouting: send requests matching these header conditions to the new revision, from this step until the rollout ends (or a later setHeaderRoute with no match removes it).")
    public HeaderRoute setHeaderRoute;

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

    public static CanaryStep headerRoute(HeaderMatch... matches) {
        CanaryStep s = new CanaryStep();
        s.setHeaderRoute = new HeaderRoute();
        s.setHeaderRoute.match = List.of(matches);
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
        if (setHeaderRoute != null) {
            return setHeaderRoute.match == null || setHeaderRoute.match.isEmpty() ? "remove header route"
                    : "header route " + String.join(", ", setHeaderRoute.match.stream().map(HeaderMatch::describe).toList());
        }
        return "empty step";
    }
}
