package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.VerifySpec;
import dev.glidepath.sandbox.Releases;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerificationIT extends SandboxTest {

    static CanaryStep verify(String image, String log) {
        CanaryStep s = new CanaryStep();
        s.verify = new VerifySpec();
        s.verify.template = MigrationIT.job(image, log);
        return s;
    }

    @Test
    void aPassingSmokeTestLetsTheCanaryGoOn() {
        create(Releases.canary(NS, "sm", "sm:1", 2, CanaryStep.weight(50), verify("smoke:1", "ok")));
        awaitPhase("sm", "Healthy");
        update("sm", "sm:2");
        awaitRelease("sm", "done", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        var job = client.batch().v1().jobs().inNamespace(NS).withName("sm-r2-verify-s1").get();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("GLIDEPATH_TARGET_ADDRESS=sm", "GLIDEPATH_TARGET_SELECTOR=glidepath.dev/release=sm,glidepath.dev/revision=2");
        assertThat(rollouts("sm").get(1).getStatus().steps).extracting(s -> s.what + "=" + s.outcome)
                .contains("verify=Succeeded");
    }

    @Test
    void aFailingSmokeTestAbortsAndRevertsTheCanary() {
        create(Releases.canary(NS, "sf", "sf:1", 2, CanaryStep.weight(50), verify("smoke:broken", "GET /health: 503")));
        awaitPhase("sf", "Healthy");
        update("sf", "sf:2");
        Release failed = awaitPhase("sf", "Degraded");
        assertThat(failed.getStatus().message).contains("VerificationFailed").contains("GET /health: 503");
        Eventually.until(() -> replicasByRevision("sf").equals(Map.of(1, 2, 2, 0)));
    }

    @Test
    void aFailingPrePromotionSmokeTestKeepsTheBlueGreenSwitchFromHappening() {
        Release r = Releases.blueGreen(NS, "pv", "pv:1", 2, "1s");
        r.getSpec().strategy.blueGreen.prePromotionVerify = new VerifySpec();
        r.getSpec().strategy.blueGreen.prePromotionVerify.template = MigrationIT.job("smoke:broken", "login page: 500");
        create(r);
        awaitPhase("pv", "Healthy");
        update("pv", "pv:2");
        Release failed = awaitPhase("pv", "Degraded");
        assertThat(failed.getStatus().message).contains("login page: 500");
        assertThat(service("pv").getSpec().getSelector()).containsEntry("glidepath.dev/revision", "1");
        var job = client.batch().v1().jobs().inNamespace(NS).withName("pv-r2-verify").get();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("GLIDEPATH_TARGET_ADDRESS=pv-preview");
    }
}
