package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.BlueGreenStrategy;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.CanaryStrategy;
import dev.glidepath.api.v1alpha1.Command;
import dev.glidepath.api.v1alpha1.PromoteCommand;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.RollbackCommand;
import dev.glidepath.api.v1alpha1.ServiceSpec;
import dev.glidepath.api.v1alpha1.StrategySpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
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

    static ReleaseSpec release(String image, int replicas, StrategySpec strategy) {
        ReleaseSpec spec = new ReleaseSpec();
        spec.replicas = replicas;
        spec.template = template(image);
        spec.service = new ServiceSpec();
        spec.service.name = NAME;
        spec.service.ports = List.of(new ServicePortBuilder().withName("http").withPort(80).withNewTargetPort(8080).build());
        spec.strategy = strategy;
        return spec;
    }

    static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("app", NAME).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image)
                .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec()
                .build();
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
