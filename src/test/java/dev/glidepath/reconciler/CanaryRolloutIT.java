package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.workload.Labels;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryRolloutIT extends SandboxTest {

    @Test
    void firstRevisionIsDeployedDirectlyThenAnUpdateWalksTheSteps() {
        create(Releases.canary(NS, "shop", "shop:1.0", 4, CanaryStep.weight(25), CanaryStep.pause("300ms"),
                CanaryStep.weight(50)));
        Release healthy = awaitPhase("shop", "Healthy");
        assertThat(healthy.getStatus().stableRevision).isEqualTo(1);
        assertThat(healthy.getStatus().version).isEqualTo("1.0");
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 4));
        assertThat(service("shop").getSpec().getSelector()).containsEntry(Labels.RELEASE, "shop")
                .doesNotContainKey(Labels.REVISION);

        update("shop", "shop:2.0");
        Release done = awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 0, 2, 4));
        assertThat(done.getStatus().revisions).extracting(r -> r.number + ":" + r.outcome)
                .containsExactly("2:Stable", "1:Replaced");
        var history = rollouts("shop");
        assertThat(history).hasSize(2);
        assertThat(history.get(1).getStatus().phase).isEqualTo("Succeeded");
        assertThat(history.get(1).getStatus().steps).extracting(s -> s.what + "=" + s.outcome)
                .containsExactly("setWeight 25=Succeeded", "pause 300ms=Succeeded", "setWeight 50=Succeeded",
                        "setWeight 100 (promote)=Succeeded");
    }
}
