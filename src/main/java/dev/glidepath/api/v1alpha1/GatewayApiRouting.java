package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayApiRouting {
    public static final int MAX_ROUTES = 16;

    @Required
    @Size(min = 1, max = MAX_ROUTES)
    @JsonPropertyDescription("Names of HTTPRoutes (gateway.networking.k8s.io/v1) in the Release's namespace, owned by you or your GitOps tool. Each must have rules whose only backend is the stable Service; during a rollout those rules get the canary Service at the step's weight, and nothing else in the route changes.")
    public List<String> httpRoutes;
}
