package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Command;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.status.Conditions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressDeadlineIT extends SandboxTest {

    @Test
    void aBrokenCanaryIsAbortedAndNotRetriedUntilAsked() {
        Release r = Releases.canary(NS, "api", "api:1.0", 2, CanaryStep.weight(50), CanaryStep.pause(null));
        r.getSpec().progressDeadline = "1s";
        create(r);
        awaitPhase("api", "Healthy");

        update("api", "api:broken");
        Release degraded = awaitPhase("api", "Degraded");
        var cond = degraded.getStatus().conditions.stream().filter(c -> c.getType().equals(Conditions.DEGRADED)).findFirst().orElseThrow();
        assertThat(cond.getStatus()).isEqualTo("True");
        assertThat(cond.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(degraded.getStatus().stableRevision).isEqualTo(1);
        Eventually.until(() -> replicasByRevision("api").equals(Map.of(1, 2, 2, 0)));
        var history = rollouts("api");
        assertThat(history).hasSize(2);
        assertThat(history.get(1).getStatus().phase).isEqualTo("Aborted");
        assertThat(history.get(1).getStatus().message).startsWith("ProgressDeadlineExceeded");

        // Not retried on its own: a later reconcile (replicas change) keeps it aborted.
        edit("api", x -> {
            x.getSpec().replicas = 3;
            return x;
        });
        Eventually.until(() -> replicasByRevision("api").get(1) == 3);
        assertThat(rollouts("api")).hasSize(2);
        assertThat(get("api").getStatus().phase).isEqualTo("Degraded");

        edit("api", x -> {
            x.getSpec().retry = new Command();
            x.getSpec().retry.id = "again";
            return x;
        });
        awaitRelease("api", "retried", x -> rollouts("api").size() == 3);
        awaitPhase("api", "Degraded");
        assertThat(rollouts("api").get(2).getStatus().phase).isEqualTo("Aborted");
    }

    @Test
    void aBrokenBlueGreenNeverTakesTraffic() {
        Release r = Releases.blueGreen(NS, "web", "web:1.0", 2, "1s");
        r.getSpec().progressDeadline = "1s";
        create(r);
        awaitPhase("web", "Healthy");
        update("web", "web:broken");
        awaitPhase("web", "Degraded");
        assertThat(service("web").getSpec().getSelector()).containsEntry("glidepath.dev/revision", "1");
        Eventually.until(() -> replicasByRevision("web").equals(Map.of(1, 2, 2, 0)));
    }
}
