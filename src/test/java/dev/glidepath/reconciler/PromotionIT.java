package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PromotionSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A production Release gated on the staging Release of another namespace, read from the operator's cache. */
class PromotionIT extends SandboxTest {

    @Test
    void productionTakesAVersionOnlyAfterStagingRanItHealthyForTheSoak() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("staging").endMetadata().build()).create();
        client.resource(Releases.canary("staging", "shop", "shop:1", 1, CanaryStep.weight(50))).create();
        Release production = Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(50));
        production.getSpec().promotion = new PromotionSpec();
        PromotionSpec.Upstream staging = new PromotionSpec.Upstream();
        staging.namespace = "staging";
        staging.release = "shop";
        staging.soak = "2s";
        production.getSpec().promotion.from = List.of(staging);
        create(production);
        awaitPhase("shop", "Healthy");

        update("shop", "shop:2");
        Release waiting = awaitPhase("shop", "AwaitingPromotion");
        assertThat(waiting.getStatus().message).isEqualTo("revision 2 (2) waits for staging/shop to run shop:2; it runs shop:1 (revision 1)");
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 2));

        Releases.edit(client, "staging", "shop", r -> {
            r.getSpec().template.getSpec().getContainers().get(0).setImage("shop:2");
            return r;
        });
        Release promoted = awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        Release upstream = client.resources(Release.class).inNamespace("staging").withName("shop").get();
        Rollout rollout = rollouts("shop").stream().filter(r -> Integer.valueOf(2).equals(r.getSpec().toRevision)).findFirst().orElseThrow();
        assertThat(rollout.getSpec().promotedFrom).singleElement().satisfies(e -> {
            assertThat(e.namespace + "/" + e.release + " revision " + e.revision).isEqualTo("staging/shop revision 2");
            assertThat(e.rollout).isEqualTo(upstream.getStatus().stableRollout);
            assertThat(e.since).isEqualTo(upstream.getStatus().stableSince);
        });
        assertThat(java.time.Duration.between(java.time.Instant.parse(upstream.getStatus().stableSince),
                java.time.Instant.parse(rollout.getStatus().startedAt))).as("the soak").isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(promoted.getStatus().stableRevision).isEqualTo(2);
    }
}
