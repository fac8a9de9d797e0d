package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.sandbox.RealPrometheus;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.SyntheticTraffic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real Prometheus stopped in the middle of a canary: the rollout holds, then reverts (fail closed). */
class PrometheusOutageE2EIT extends SandboxTest {

    @Test
    void prometheusStoppedMidRolloutHoldsThenReverts() throws Exception {
        PrometheusE2EIT.requirePrometheus();
        try (SyntheticTraffic traffic = new SyntheticTraffic(); RealPrometheus prometheus = RealPrometheus.start(traffic.target())) {
            traffic.set(NS, "gone", 1, PrometheusE2EIT.HEALTHY);
            traffic.set(NS, "gone", 2, PrometheusE2EIT.HEALTHY);
            prometheus.awaitSample("rate(http_requests_total{glidepath_dev_release=\"gone\",glidepath_dev_revision=\"2\"}[5s])", Duration.ofSeconds(30));
            Release r = Releases.canary(NS, "gone", "gone:1", 2, CanaryStep.weight(50), CanaryStep.pause(null),
                    CanaryStep.weight(100));
            r.getSpec().analysis = PrometheusE2EIT.analysis(prometheus.address());
            r.getSpec().analysis.inconclusiveLimit = 4;
            create(r);
            awaitPhase("gone", "Healthy");
            update("gone", "gone:2");
            await().atMost(Duration.ofSeconds(45)).until(() -> "Paused".equals(get("gone").getStatus().phase));
            prometheus.close();
            // A promote cannot move it past the pause while measurements are inconclusive...
            edit("gone", x -> {
                x.getSpec().promote = new dev.glidepath.api.v1alpha1.PromoteCommand();
                x.getSpec().promote.id = "now";
                return x;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> "Degraded".equals(get("gone").getStatus().phase));
            List<Rollout> all = rollouts("gone");
            Rollout rollout = all.get(all.size() - 1);
            // ...and after four inconclusive measurements in a row it reverts.
            assertThat(rollout.getStatus().phase).isEqualTo("RolledBack");
            assertThat(rollout.getStatus().message).contains("inconclusive 4 times in a row").contains("unreachable");
            assertThat(rollout.getStatus().steps).extracting(s -> s.index).containsExactly(0, 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> replicasByRevision("gone").equals(Map.of(1, 2, 2, 0)));
        }
    }
}
