package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the operator makes of its settings at start-up. */
class OperatorBeansTest {

    @Test
    void aBadUpstreamClusterEntryStopsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> new OperatorBeans().upstreamClusters(Optional.of(List.of("staging=staging-kubeconfig", "qa"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("glidepath.upstream-clusters: 'qa': not NAME=SECRET");
        assertThat(new OperatorBeans().upstreamClusters(Optional.empty()).secrets()).isEmpty();
    }
}
