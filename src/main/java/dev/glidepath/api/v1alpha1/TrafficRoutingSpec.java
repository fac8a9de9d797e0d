package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrafficRoutingSpec {
    @Required
    @JsonPropertyDescription("Route through the Gateway API: Glidepath sets only the weights of the named HTTPRoutes' rules that send traffic to the stable Service.")
    public GatewayApiRouting gatewayAPI;

    @Pattern("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Name of the canary Service Glidepath creates and owns, selecting only the new revision's pods during a rollout. Default: the stable Service's name with -canary appended.")
    public String canaryService;

    /** The canary Service's name for a Release whose stable Service is {@code stableService}. */
    public String canaryServiceName(String stableService) {
        return canaryService != null ? canaryService : stableService + "-canary";
    }
}
