package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Command;
import dev.glidepath.api.v1alpha1.PromoteCommand;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.RollbackCommand;
import dev.glidepath.sandbox.Releases;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManualControlIT extends SandboxTest {

    @Test
    void pauseHoldsPromoteAdvancesAbortReturnsTrafficToStable() {
        create(Releases.canary(NS, "cart", "cart:1", 4, CanaryStep.weight(25), CanaryStep.pause(null), CanaryStep.weight(50),
                CanaryStep.pause(null)));
        awaitPhase("cart", "Healthy");
        update("cart", "cart:2");
        Release paused = awaitRelease("cart", "paused at step 1", r -> "Paused".equals(r.getStatus().phase));
        assertThat(paused.getStatus().currentStep).isEqualTo(1);
        assertThat(paused.getStatus().canaryWeight).isEqualTo(25);
        assertThat(replicasByRevision("cart")).isEqualTo(Map.of(1, 3, 2, 1));

        edit("cart", r -> {
            r.getSpec().promote = new PromoteCommand();
            r.getSpec().promote.id = "1";
            return r;
        });
        awaitRelease("cart", "paused at step 3", r -> Integer.valueOf(3).equals(r.getStatus().currentStep)
                && "Paused".equals(r.getStatus().phase));
        assertThat(replicasByRevision("cart")).isEqualTo(Map.of(1, 2, 2, 2));

        // Re-applying the same promote (a GitOps sync of an unchanged manifest) does nothing.
        edit("cart", r -> {
            r.getSpec().replicas = 4;
            r.getMetadata().getAnnotations();
            return r;
        });
        assertThat(get("cart").getStatus().currentStep).isEqualTo(3);

        edit("cart", r -> {
            r.getSpec().abort = new Command();
            r.getSpec().abort.id = "stop";
            return r;
        });
        Release aborted = awaitPhase("cart", "Degraded");
        assertThat(aborted.getStatus().message).contains("aborted");
        Eventually.until(() -> replicasByRevision("cart").equals(Map.of(1, 4, 2, 0)));
        assertThat(rollouts("cart").get(1).getStatus().phase).isEqualTo("Aborted");
        // Pinned to the stable revision while the aborted pods existed, back to the whole release once they are gone.
        Eventually.until(() -> !service("cart").getSpec().getSelector().containsKey("glidepath.dev/revision"));
    }

    @Test
    void specPausedFreezesTheCanaryUntilResumed() {
        create(Releases.canary(NS, "feed", "feed:1", 2, CanaryStep.weight(50), CanaryStep.pause("200ms")));
        awaitPhase("feed", "Healthy");
        edit("feed", r -> {
            r.getSpec().paused = true;
            setImage(r, "feed:2");
            return r;
        });
        Release held = awaitPhase("feed", "Paused");
        assertThat(held.getStatus().message).contains("spec.paused");
        assertThat(replicasByRevision("feed").getOrDefault(2, 0)).isZero();
        edit("feed", r -> {
            r.getSpec().paused = false;
            return r;
        });
        awaitRelease("feed", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
    }

    @Test
    void rollbackToAnOlderRevisionIsAScaleUpAndSticksThroughGitOpsSyncs() {
        create(Releases.blueGreen(NS, "shop", "shop:1", 2, "200ms"));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        awaitRelease("shop", "rev 2", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        update("shop", "shop:3");
        awaitRelease("shop", "rev 3", r -> Integer.valueOf(3).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 0, 2, 0, 3, 2));

        edit("shop", r -> {
            r.getSpec().rollback = new RollbackCommand();
            r.getSpec().rollback.id = "oncall-1";
            r.getSpec().rollback.revision = 1;
            return r;
        });
        Release back = awaitPhase("shop", "RolledBack");
        assertThat(back.getStatus().stableRevision).isEqualTo(1);
        assertThat(service("shop").getSpec().getSelector()).containsEntry("glidepath.dev/revision", "1");
        Eventually.until(() -> replicasByRevision("shop").equals(Map.of(1, 2, 2, 0, 3, 0)));
        var last = rollouts("shop").get(rollouts("shop").size() - 1);
        assertThat(last.getSpec().reason).isEqualTo("Rollback");
        assertThat(last.getSpec().fromRevision).isEqualTo(3);
        assertThat(last.getSpec().toRevision).isEqualTo(1);
        int historySize = rollouts("shop").size();

        // A GitOps sync that drops the command neither undoes the rollback nor rolls forward into revision 3.
        edit("shop", r -> {
            r.getSpec().rollback = null;
            return r;
        });
        // ...and a sync that re-applies the same command does not run it again.
        edit("shop", r -> {
            r.getSpec().rollback = new RollbackCommand();
            r.getSpec().rollback.id = "oncall-1";
            r.getSpec().rollback.revision = 1;
            return r;
        });
        awaitRelease("shop", "observed", r -> r.getStatus().observedGeneration.equals(r.getMetadata().getGeneration()));
        assertThat(get("shop").getStatus().phase).isEqualTo("RolledBack");
        assertThat(rollouts("shop")).hasSize(historySize);
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 2, 2, 0, 3, 0));

        // A new template rolls forward as usual.
        update("shop", "shop:4");
        awaitRelease("shop", "rev 4", r -> Integer.valueOf(4).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
    }

    @Test
    void rollbackToARevisionThatIsNotRetainedIsRejectedNamingTheField() {
        create(Releases.canary(NS, "news", "news:1", 1, CanaryStep.weight(100)));
        awaitPhase("news", "Healthy");
        edit("news", r -> {
            r.getSpec().rollback = new RollbackCommand();
            r.getSpec().rollback.id = "x";
            r.getSpec().rollback.revision = 7;
            return r;
        });
        Release rejected = awaitRelease("news", "rejected", r -> r.getStatus().conditions.stream()
                .anyMatch(c -> c.getType().equals("CommandRejected") && "True".equals(c.getStatus())));
        assertThat(rejected.getStatus().conditions.stream().filter(c -> c.getType().equals("CommandRejected")).findFirst()
                .orElseThrow().getMessage()).contains("spec.rollback.revision").contains("7");
        assertThat(rejected.getStatus().phase).isEqualTo("Healthy");
    }
}
