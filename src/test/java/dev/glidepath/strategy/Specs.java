package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.BlueGreenStrategy;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.CanaryStrategy;
import dev.glidepath.api.v1alpha1.Command;
import dev.glidepath.api.v1alpha1.PromoteCommand;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.RollbackCommand;
import dev.glidepath.api.v1alpha1.StrategySpec;
import dev.glidepath.api.v1alpha1.TrafficRoutingSpec;
import dev.glidepath.api.v1alpha1.GatewayApiRouting;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.List;

/** Release specs for the decision-core tests. */
final class Specs {
    static final String NAME = "shop";

    private Specs() {
    }

    static ReleaseSpec canary(int replicas, CanaryStep... steps) {
        StrategySpec strategy = new StrategySpec();
        strategy.canary = new CanaryStrategy();
        strategy.canary.steps = new ArrayList<>(List.of(steps));
        return release("shop:1.0", replicas, strategy);
    }

    static ReleaseSpec blueGreen(int replicas) {
        StrategySpec strategy = new StrategySpec();
        strategy.blueGreen = new BlueGreenStrategy();
        strategy.blueGreen.previewService = NAME + "-preview";
        return release("shop:1.0", replicas, strategy);
    }

    /** The spec, routed through the Gateway API HTTPRoute "shop". */
    static ReleaseSpec routed(ReleaseSpec spec) {
        spec.trafficRouting = new TrafficRoutingSpec();
        spec.trafficRouting.gatewayAPI = new GatewayApiRouting();
        spec.trafficRouting.gatewayAPI.httpRoutes = List.of(NAME);
        return spec;
    }

    static ReleaseSpec release(String image, int replicas, StrategySpec strategy) {
        return Releases.spec(NAME, image, replicas, strategy);
    }

    static PodTemplateSpec template(String image) {
        return Releases.template(NAME, image);
    }

    static PromoteCommand promote(String id) {
        PromoteCommand c = new PromoteCommand();
        c.id = id;
        return c;
    }

    static PromoteCommand promoteFull(String id) {
        PromoteCommand c = promote(id);
        c.full = true;
        return c;
    }

    static Command command(String id) {
        Command c = new Command();
        c.id = id;
        return c;
    }

    static RollbackCommand rollback(String id, Integer revision) {
        RollbackCommand c = new RollbackCommand();
        c.id = id;
        c.revision = revision;
        return c;
    }
}
