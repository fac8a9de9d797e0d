package dev.glidepath.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glidepath.api.v1alpha1.PromotionSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamClustersTest {

    @Test
    void pairsOfNameAndSecretInTheirOrder() {
        UpstreamClusters clusters = UpstreamClusters.parse(List.of("staging=staging-kubeconfig", " eu-west = eu.kubeconfig "));
        assertThat(clusters.secrets()).containsExactly(Map.entry("staging", "staging-kubeconfig"), Map.entry("eu-west", "eu.kubeconfig"));
        assertThat(clusters.configured("staging")).isTrue();
        assertThat(clusters.configured("prod")).isFalse();
        assertThat(clusters.names()).isEqualTo("staging, eu-west");
        assertThat(clusters.secretOf("eu-west")).contains("eu.kubeconfig");
    }

    @Test
    void unsetOrEmptyMeansNone() {
        assertThat(UpstreamClusters.parse(Optional.empty())).isEqualTo(UpstreamClusters.NONE);
        assertThat(UpstreamClusters.parse(List.of("", " ")).secrets()).isEmpty();
        assertThat(UpstreamClusters.NONE.names()).isEqualTo("none (glidepath.upstream-clusters is empty)");
    }

    @Test
    void aBadEntryIsRefusedNamingThePropertyAndTheEntry() {
        assertThatThrownBy(() -> UpstreamClusters.parse(List.of("staging")))
                .hasMessage("glidepath.upstream-clusters: 'staging': not NAME=SECRET");
        assertThatThrownBy(() -> UpstreamClusters.parse(List.of("Staging_1=s")))
                .hasMessageStartingWith("glidepath.upstream-clusters: 'Staging_1=s': the cluster name 'Staging_1' is not a DNS label");
        assertThatThrownBy(() -> UpstreamClusters.parse(List.of("staging=")))
                .hasMessage("glidepath.upstream-clusters: 'staging=': the Secret name '' is not a Secret name");
        assertThatThrownBy(() -> UpstreamClusters.parse(List.of("staging=a", "staging=b")))
                .hasMessage("glidepath.upstream-clusters: 'staging=b': the cluster 'staging' is named twice");
        assertThatThrownBy(() -> UpstreamClusters.parse(List.of("a".repeat(64) + "=s")))
                .hasMessageContaining("is not a DNS label");
    }

    @Test
    void anUpstreamNamingAClusterThatIsNotConfiguredIsRefusedNamingItsFieldAndTheConfiguredNames() {
        UpstreamClusters clusters = UpstreamClusters.parse(List.of("staging=staging-kubeconfig"));
        PromotionSpec promotion = new PromotionSpec();
        PromotionSpec.Upstream local = new PromotionSpec.Upstream();
        local.release = "shop";
        PromotionSpec.Upstream known = new PromotionSpec.Upstream();
        known.cluster = "staging";
        known.release = "shop";
        PromotionSpec.Upstream unknown = new PromotionSpec.Upstream();
        unknown.cluster = "qa";
        unknown.release = "shop";
        promotion.from = List.of(local, known, unknown);
        assertThat(clusters.refusals(promotion)).containsExactly(
                "spec.promotion.from[2].cluster: 'qa' is not a configured upstream cluster (configured: staging)");
        assertThat(UpstreamClusters.NONE.refusals(promotion)).containsExactly(
                "spec.promotion.from[1].cluster: 'staging' is not a configured upstream cluster (configured: none (glidepath.upstream-clusters is empty))",
                "spec.promotion.from[2].cluster: 'qa' is not a configured upstream cluster (configured: none (glidepath.upstream-clusters is empty))");
    }
}
