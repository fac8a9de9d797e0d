package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PromoteCommand;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilienceIT extends SandboxTest {

    @Test
    void restartBetweenStepsResumesWhereItStood() {
        create(Releases.canary(NS, "cat", "cat:1", 4, CanaryStep.weight(50), CanaryStep.pause(null), CanaryStep.weight(75)));
        awaitPhase("cat", "Healthy");
        update("cat", "cat:2");
        awaitPhase("cat", "Paused");
        operator.stop();
        int rolloutsBefore = rollouts("cat").size();
        Map<Integer, Integer> before = replicasByRevision("cat");
        operator = dev.glidepath.sandbox.OperatorHarness.start(sandbox.newClient());
        // The restarted operator changes nothing while the pause holds...
        awaitRelease("cat", "still paused after restart", r -> "Paused".equals(r.getStatus().phase));
        assertThat(replicasByRevision("cat")).isEqualTo(before);
        assertThat(rollouts("cat")).hasSize(rolloutsBefore);
        // ...and carries on from the pause on promote.
        edit("cat", r -> {
            r.getSpec().promote = new PromoteCommand();
            r.getSpec().promote.id = "go";
            return r;
        });
        awaitRelease("cat", "done", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        assertThat(rollouts("cat")).hasSize(rolloutsBefore);
        assertThat(rollouts("cat").get(1).getStatus().steps).extracting(s -> s.index).containsExactly(0, 1, 2, 3);
    }

    @Test
    void restartAfterTheBlueGreenSwitchDoesNotSwitchTwice() {
        create(Releases.blueGreen(NS, "bg", "bg:1", 2, "2s"));
        awaitPhase("bg", "Healthy");
        int mark = sandbox.requests().size();
        update("bg", "bg:2");
        Eventually.until(() -> "2".equals(service("bg").getSpec().getSelector().get("glidepath.dev/revision")));
        restartOperator();
        awaitRelease("bg", "done", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        long serviceWrites = sandbox.requests().since(mark).stream()
                .filter(e -> e.method().equals("PUT") && e.path().equals("/api/v1/namespaces/apps/services/bg")).count();
        assertThat(serviceWrites).as("one write: selector switch and stable-revision record").isEqualTo(1);
        assertThat(replicasByRevision("bg")).isEqualTo(Map.of(1, 0, 2, 2));
    }

    @Test
    void anInjected409IsRetriedOnFreshState() {
        create(Releases.canary(NS, "dog", "dog:1", 2, CanaryStep.weight(50)));
        awaitPhase("dog", "Healthy");
        sandbox.dispatcher().failNext("PUT", "/deployments/dog-", 409);
        sandbox.dispatcher().failNext("PUT", "/releases/dog/status", 409);
        update("dog", "dog:2");
        awaitRelease("dog", "done", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        assertThat(sandbox.dispatcher().pendingFaults()).as("both conflicts were served").isZero();
        assertThat(replicasByRevision("dog")).isEqualTo(Map.of(1, 0, 2, 2));
        assertThat(rollouts("dog")).hasSize(2);
    }

    @Test
    void availablePodsNeverDropBelowTheReleaseDuringACanaryShift() throws Exception {
        create(Releases.canary(NS, "fox", "fox:1", 5, CanaryStep.weight(20), CanaryStep.weight(60), CanaryStep.weight(30),
                CanaryStep.weight(90)));
        awaitPhase("fox", "Healthy");
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger minimum = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger samples = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                int total = availableByRevision("fox").values().stream().mapToInt(Integer::intValue).sum();
                minimum.accumulateAndGet(total, Math::min);
                samples.incrementAndGet();
            }
        });
        sampler.start();
        update("fox", "fox:2");
        awaitRelease("fox", "done", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        sampling.set(false);
        sampler.join();
        assertThat(samples.get()).isGreaterThan(10);
        assertThat(minimum.get()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aTemplateChangeMidRolloutSupersedesIt() {
        create(Releases.canary(NS, "owl", "owl:1", 2, CanaryStep.weight(50), CanaryStep.pause(null)));
        awaitPhase("owl", "Healthy");
        update("owl", "owl:2");
        awaitPhase("owl", "Paused");
        update("owl", "owl:3");
        Release next = awaitRelease("owl", "rollout to 3", r -> r.getStatus().rollout != null
                && Integer.valueOf(3).equals(r.getStatus().rollout.toRevision) && "Paused".equals(r.getStatus().phase));
        assertThat(next.getStatus().rollout.fromRevision).isEqualTo(1);
        Eventually.until(() -> replicasByRevision("owl").equals(Map.of(1, 1, 2, 0, 3, 1)));
        var history = rollouts("owl");
        assertThat(history).extracting(r -> r.getStatus().phase).containsExactly("Succeeded", "Superseded", "Paused");
        assertThat(next.getStatus().revisions).extracting(r -> r.number + ":" + r.outcome)
                .containsExactly("3:Progressing", "2:Superseded", "1:Stable");
    }
}
