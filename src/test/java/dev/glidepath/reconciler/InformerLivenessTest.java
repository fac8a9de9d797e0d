package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InformerLivenessTest {

    private record Informer(boolean isRunning, boolean hasSynced) implements InformerHealthIndicator {
        @Override
        public boolean isWatching() {
            return isRunning;
        }

        @Override
        public Status getStatus() {
            return isRunning ? Status.HEALTHY : Status.UNHEALTHY;
        }

        @Override
        public String getTargetNamespace() {
            return null;
        }
    }

    @Test
    void anInformerThatRanAndStoppedMakesThePodNotLive() {
        Set<String> seen = new HashSet<>();
        assertThat(InformerLiveness.stopped(Map.of("release/releases", new Informer(true, true)), seen)).isEmpty();
        // Its watch gave up: it no longer runs, and nothing restarts it but a new pod.
        assertThat(InformerLiveness.stopped(Map.of("release/releases", new Informer(false, false)), seen))
                .containsExactly("release/releases");
    }

    @Test
    void aSyncedInformerThatStoppedBeforeAnyProbeCountsToo() {
        assertThat(InformerLiveness.stopped(Map.of("release/jobs", new Informer(false, true)), new HashSet<>()))
                .containsExactly("release/jobs");
    }

    @Test
    void informersThatNeverRanDoNotCount() {
        // A standby replica waiting for the leader Lease has started none of them.
        assertThat(InformerLiveness.stopped(Map.of("release/releases", new Informer(false, false),
                "release/deployments", new Informer(false, false)), new HashSet<>())).isEmpty();
    }
}
