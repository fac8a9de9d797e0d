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
                java.time.Instant.parse(rollout.getStatus().startedAt))).as("the soak").isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(2))
                // Woken by staging's change (not found at the next look, 15 s later): the soak, then at once.
                .isLessThan(java.time.Duration.ofSeconds(8));
        assertThat(promoted.getStatus().stableRevision).isEqualTo(2);
    }

    private static PromotionSpec from(String namespace, String release) {
        PromotionSpec promotion = new PromotionSpec();
        PromotionSpec.Upstream up = new PromotionSpec.Upstream();
        up.namespace = namespace;
        up.release = release;
        promotion.from = List.of(up);
        return promotion;
    }

    private String invalidSpec(String name) {
        Release r = get(name);
        return r.getStatus() == null || r.getStatus().conditions == null ? null : r.getStatus().conditions.stream()
                .filter(c -> "InvalidSpec".equals(c.getType()) && "True".equals(c.getStatus())).map(c -> c.getMessage())
                .findFirst().orElse(null);
    }

    @Test
    void releasesNamingEachOtherAsUpstreamAreRefusedNamingTheCycleAndLetGoOnceItIsBroken() {
        Release a = Releases.canary(NS, "a", "shop:1", 1, CanaryStep.weight(50));
        a.getSpec().promotion = from(null, "b");
        Release b = Releases.canary(NS, "b", "shop:1", 1, CanaryStep.weight(50));
        b.getSpec().promotion = from(null, "a");
        Release self = Releases.canary(NS, "self", "shop:1", 1, CanaryStep.weight(50));
        self.getSpec().promotion = from(NS, "self");
        create(a);
        create(b);
        create(self);
        awaitRelease("a", "refused", r -> invalidSpec("a") != null);
        assertThat(invalidSpec("a")).contains("promotion cycle " + NS + "/a -> " + NS + "/b -> " + NS + "/a");
        awaitRelease("b", "refused", r -> invalidSpec("b") != null);
        assertThat(invalidSpec("b")).contains("promotion cycle " + NS + "/b -> " + NS + "/a -> " + NS + "/b");
        awaitRelease("self", "refused", r -> invalidSpec("self") != null);
        assertThat(invalidSpec("self")).contains("promotion cycle " + NS + "/self -> " + NS + "/self");

        // Breaking the cycle lets both go, without waiting for a periodic look.
        edit("a", r -> {
            r.getSpec().promotion = null;
            return r;
        });
        awaitPhase("a", "Healthy");
        awaitPhase("b", "Healthy");
    }
}
