package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PromoteCommand;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.SimulatedAutoscaler;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Release's scale subresource: kubectl scale and an autoscaler during rollouts. */
class ScalingIT extends SandboxTest {

    private void promote(String name, String id) {
        edit(name, r -> {
            r.getSpec().promote = new PromoteCommand();
            r.getSpec().promote.id = id;
            return r;
        });
    }

    @Test
    void scalingThroughTheScaleSubresourceMidCanaryResplitsWithoutANewRevision() {
        create(Releases.canary(NS, "shop", "shop:1", 4, CanaryStep.weight(50), CanaryStep.pause(null)));
        awaitPhase("shop", "Healthy");
        assertThat(client.resources(Release.class).inNamespace(NS).withName("shop").scale().getStatus().getSelector())
                .isEqualTo("glidepath.dev/release=shop");
        update("shop", "shop:2");
        awaitPhase("shop", "Paused");
        int mark = sandbox.requests().size();

        client.resources(Release.class).inNamespace(NS).withName("shop").scale(8);
        assertThat(sandbox.requests().since(mark)).anySatisfy(e -> assertThat(e.path()).endsWith("/releases/shop/scale"));
        Eventually.untilAsserted(() -> assertThat(availableByRevision("shop")).isEqualTo(Map.of(1, 4, 2, 4)));
        Release paused = awaitPhase("shop", "Paused");
        assertThat(paused.getStatus().currentStep).isEqualTo(1);
        assertThat(paused.getStatus().replicas).isEqualTo(8);
        assertThat(deployments("shop")).hasSize(2);
        assertThat(rollouts("shop")).hasSize(2);

        promote("shop", "go");
        awaitRelease("shop", "revision 2 stable at 8", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        Eventually.untilAsserted(() -> assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 0, 2, 8)));
    }

    @Test
    void anAutoscalerDuringARoutedCanaryKeepsTheStableSideAtWhatTheLoadNeedsNotItsMaximum() {
        client.resource(Releases.httpRoute(NS, "shop", "shop")).create();
        Release r = Releases.routed(Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(5), CanaryStep.pause(null)), "shop");
        r.getSpec().replicas = null;
        create(r);
        AtomicInteger load = new AtomicInteger(300);
        // 300 requests/s, 50 per pod: 6 pods, whatever else runs during a rollout; at most 20.
        try (SimulatedAutoscaler hpa = new SimulatedAutoscaler(client, NS, "shop", load::get, 50, 2, 20).start()) {
            awaitRelease("shop", "6 pods", x -> "Healthy".equals(x.getStatus().phase) && Integer.valueOf(6).equals(x.getStatus().replicas));
            update("shop", "shop:2");
            awaitPhase("shop", "Paused");
            // The canary's extra pod shares the load: the autoscaler still wants 6, not more.
            Eventually.untilAsserted(() -> assertThat(availableByRevision("shop")).isEqualTo(Map.of(1, 6, 2, 1)));
            assertThat(get("shop").getSpec().replicas).isEqualTo(6);

            load.set(600);
            Eventually.untilAsserted(() -> assertThat(availableByRevision("shop")).isEqualTo(Map.of(1, 12, 2, 1)));
            Release during = awaitPhase("shop", "Paused");
            assertThat(during.getStatus().canaryWeight).isEqualTo(5);
            load.set(150);
            Eventually.untilAsserted(() -> assertThat(availableByRevision("shop")).isEqualTo(Map.of(1, 3, 2, 1)));

            promote("shop", "go");
            awaitRelease("shop", "revision 2 stable", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision)
                    && "Healthy".equals(x.getStatus().phase));
            Eventually.untilAsserted(() -> assertThat(availableByRevision("shop")).isEqualTo(Map.of(1, 0, 2, 3)));
            assertThat(hpa.written()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(12)).contains(6, 12, 3);
            assertThat(deployments("shop")).hasSize(2);
        }
    }

    @Test
    void anAutoscalerScalingDuringARevertSizesTheStableRevision() {
        create(Releases.canary(NS, "shop", "shop:1", 4, CanaryStep.weight(50), CanaryStep.pause(null)));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        awaitPhase("shop", "Paused");
        edit("shop", x -> {
            x.getSpec().abort = new dev.glidepath.api.v1alpha1.Command();
            x.getSpec().abort.id = "stop";
            return x;
        });
        client.resources(Release.class).inNamespace(NS).withName("shop").scale(6);
        awaitPhase("shop", "Degraded");
        Eventually.untilAsserted(() -> assertThat(availableByRevision("shop")).isEqualTo(Map.of(1, 6, 2, 0)));
    }
}
