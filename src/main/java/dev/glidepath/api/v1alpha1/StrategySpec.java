package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.blueGreen) != has(self.canary)", message = "strategy: set exactly one of blueGreen or canary")
public class StrategySpec {
    @JsonPropertyDescription("Blue-green: the new revision comes up at full size behind the preview Service, then the stable Service switches to it in one update.")
    public BlueGreenStrategy blueGreen;

    @JsonPropertyDescription("Canary: traffic moves to the new revision in steps, carried by replica counts behind the stable Service.")
    public CanaryStrategy canary;

    public String name() {
        return blueGreen != null ? "BlueGreen" : canary != null ? "Canary" : "None";
    }
}
