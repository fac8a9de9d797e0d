package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PromotionSpec;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Promotion chains that come back to where they started are found, whatever namespaces they cross. */
class PromotionCycleTest {
    private final Map<PromotionCycle.Ref, ReleaseSpec> specs = new HashMap<>();

    private ReleaseSpec release(String namespace, String name, String... upstreams) {
        ReleaseSpec spec = Specs.canary(2, CanaryStep.weight(50));
        if (upstreams.length > 0) {
            spec.promotion = new PromotionSpec();
            spec.promotion.from = Arrays.stream(upstreams).map(u -> {
                PromotionSpec.Upstream up = new PromotionSpec.Upstream();
                if (u.contains(":")) {
                    up.cluster = u.substring(0, u.indexOf(':'));
                    u = u.substring(u.indexOf(':') + 1);
                }
                if (u.contains("/")) {
                    up.namespace = u.substring(0, u.indexOf('/'));
                    up.release = u.substring(u.indexOf('/') + 1);
                } else {
                    up.release = u;
                }
                return up;
            }).toList();
        }
        specs.put(new PromotionCycle.Ref(namespace, name), spec);
        return spec;
    }

    private String cycle(String namespace, String name) {
        var ref = new PromotionCycle.Ref(namespace, name);
        return PromotionCycle.through(ref, specs.get(ref), specs::get).orElse(null);
    }

    @Test
    void twoReleasesNamingEachOtherAreBothOnTheCycle() {
        release("shop", "a", "b");
        release("shop", "b", "a");
        assertThat(cycle("shop", "a")).startsWith("spec.promotion.from[0]: promotion cycle shop/a -> shop/b -> shop/a");
        assertThat(cycle("shop", "b")).startsWith("spec.promotion.from[0]: promotion cycle shop/b -> shop/a -> shop/b");
    }

    @Test
    void aCycleAcrossThreeNamespacesIsNamedInFull() {
        release("dev", "shop", "prod/shop");
        release("staging", "shop", "dev/shop");
        release("prod", "shop", "staging/shop");
        assertThat(cycle("prod", "shop")).contains("prod/shop -> staging/shop -> dev/shop -> prod/shop");
    }

    @Test
    void aReleaseNamingItselfWithItsNamespaceWrittenOutIsACycle() {
        release("shop", "a", "other", "shop/a");
        assertThat(cycle("shop", "a")).startsWith("spec.promotion.from[1]: promotion cycle shop/a -> shop/a");
    }

    @Test
    void anUpstreamInAnotherClusterClosesNoCycleHereAndTheFieldNamedIsTheEntrysOwn() {
        release("shop", "a", "staging:shop/b", "b");
        release("shop", "b", "a");
        assertThat(cycle("shop", "a")).startsWith("spec.promotion.from[1]: promotion cycle shop/a -> shop/b -> shop/a");
        release("shop", "c", "staging:shop/c");
        assertThat(cycle("shop", "c")).isNull();
    }

    @Test
    void aChainOrADiamondIsNotACycle() {
        release("dev", "shop");
        release("staging", "shop", "dev/shop");
        release("eu", "shop", "staging/shop");
        release("us", "shop", "staging/shop");
        release("prod", "shop", "eu/shop", "us/shop", "dev/shop");
        assertThat(cycle("prod", "shop")).isNull();
        assertThat(cycle("staging", "shop")).isNull();
    }

    @Test
    void aCycleFurtherUpstreamThatDoesNotComeBackIsNotThisReleasesCycle() {
        release("shop", "a", "b");
        release("shop", "b", "c");
        release("shop", "c", "b");
        assertThat(cycle("shop", "a")).isNull();
        assertThat(cycle("shop", "b")).contains("shop/b -> shop/c -> shop/b");
        // An upstream not in the cache ends the search.
        release("shop", "d", "missing");
        assertThat(cycle("shop", "d")).isNull();
        assertThat(List.of(cycle("shop", "c"))).allMatch(c -> c.contains("shop/c -> shop/b -> shop/c"));
    }
}
