package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.workload.Labels;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlueGreenRolloutIT extends SandboxTest {

    @Test
    void previewFirstThenOneAtomicSwitchThenOldScaledDownAfterDelay() {
        create(Releases.blueGreen(NS, "pay", "pay:1.0", 3, "1s"));
        awaitPhase("pay", "Healthy");
        assertThat(service("pay").getSpec().getSelector()).containsEntry(Labels.REVISION, "1");
        assertThat(service("pay-preview").getSpec().getSelector()).containsEntry(Labels.REVISION, "1");
        int mark = sandbox.requests().size();

        edit("pay", r -> {
            r.getSpec().strategy.blueGreen.autoPromote = false;
            setImage(r, "pay:2.0");
            return r;
        });
        Release waiting = awaitRelease("pay", "waiting for promote", r -> "Paused".equals(r.getStatus().phase));
        assertThat(waiting.getStatus().message).contains("waiting for promote");
        assertThat(replicasByRevision("pay")).isEqualTo(Map.of(1, 3, 2, 3));
        assertThat(service("pay-preview").getSpec().getSelector()).containsEntry(Labels.REVISION, "2");
        assertThat(service("pay").getSpec().getSelector()).containsEntry(Labels.REVISION, "1");

        edit("pay", r -> {
            r.getSpec().promote = new dev.glidepath.api.v1alpha1.PromoteCommand();
            r.getSpec().promote.id = "p1";
            return r;
        });
        Eventually.until(() -> "2".equals(service("pay").getSpec().getSelector().get(Labels.REVISION)));
        // Right after the switch the old revision is still up for scaleDownDelay: an instant way back. The
        // revision the stable Service serves is recorded as stable by the switch itself.
        assertThat(replicasByRevision("pay").get(1)).isEqualTo(3);
        assertThat(service("pay").getMetadata().getAnnotations()).containsEntry(Labels.STABLE_REVISION, "2");
        Release done = awaitRelease("pay", "old revision scaled down",
                r -> "Healthy".equals(r.getStatus().phase) && Integer.valueOf(2).equals(r.getStatus().stableRevision));
        assertThat(replicasByRevision("pay")).isEqualTo(Map.of(1, 0, 2, 3));
        assertThat(done.getStatus().canaryWeight).isZero();
        long selectorWrites = sandbox.requests().since(mark).stream()
                .filter(e -> e.method().equals("PUT") && e.path().startsWith("/api/v1/namespaces/apps/services/pay")
                        && !e.path().contains("pay-preview"))
                .count();
        // One write switches the selector and records the new stable revision at once.
        assertThat(selectorWrites).isEqualTo(1);
        var history = rollouts("pay");
        assertThat(history.get(history.size() - 1).getStatus().steps).extracting(s -> s.what)
                .containsExactly("scale up revision 2 to 3", "wait for promotion", "switch stable Service to revision 2",
                        "scale down revision 1 after 1s");
    }
}
