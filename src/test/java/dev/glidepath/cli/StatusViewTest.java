package dev.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code status} and {@code history} as text: pure, from the Release, its Rollouts and the time. */
class StatusViewTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:08Z");

    private static Release canary(String phase) {
        Release r = Releases.canary("apps", "shop", "shop:2", 2, CanaryStep.weight(20), CanaryStep.pause("20s"), CanaryStep.weight(60));
        ReleaseStatus s = new ReleaseStatus();
        s.phase = phase;
        s.stableRevision = 1;
        r.setStatus(s);
        return r;
    }

    private static Rollout rollout(String name, String startedAt, String finishedAt) {
        Rollout r = new Rollout();
        r.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName(name).build());
        r.setSpec(new RolloutSpec());
        r.getSpec().fromRevision = 1;
        r.getSpec().toRevision = 2;
        r.getSpec().reason = "Update";
        r.setStatus(new RolloutStatus());
        r.getStatus().phase = "Succeeded";
        r.getStatus().startedAt = startedAt;
        r.getStatus().finishedAt = finishedAt;
        r.getStatus().message = "revision 2 is stable";
        return r;
    }

    @Test
    void aTimedPauseReportedAsProgressingIsWaitingForThePauseWithItsTimeLeft() {
        Release r = canary("Progressing");
        r.getStatus().rollout = new RolloutProgress();
        r.getStatus().rollout.toRevision = 2;
        r.getStatus().rollout.stepIndex = 1;
        r.getStatus().rollout.stepStartedAt = "2026-03-01T10:00:00Z";
        String text = StatusView.render(r, null, List.of(), List.of(), NOW);
        assertThat(text).contains("Waiting for: pause (12s left)").contains("▶ 1: pause 20s  (12s left)").doesNotContain("pods");
    }

    @Test
    void aDegradedReleaseSaysOnceThatItNeedsYou() {
        Release r = canary("Degraded");
        r.getStatus().message = "error-rate 0.42 above max 0.05";
        String text = StatusView.render(r, null, List.of(), List.of(), NOW);
        assertThat(text).contains("Phase:       Degraded   (needs you: a retry or a new template (error-rate 0.42 above max 0.05))")
                .doesNotContain("you: you").doesNotContain("needs you: you");
    }

    @Test
    void historyPrintsStartTimesToTheSecondSoThatTheColumnsStayAligned() {
        String text = StatusView.history(List.of(rollout("shop-1", "2026-03-01T09:00:00.123456789Z", "2026-03-01T09:00:30.987654321Z"),
                rollout("shop-2", "2026-03-01T10:00:00Z", null)), NOW);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(1)).contains(" 2026-03-01T09:00:00Z ").doesNotContain(".123");
        assertThat(lines.get(2)).contains(" 2026-03-01T10:00:00Z ");
        int duration = lines.get(0).indexOf("DURATION");
        assertThat(lines.get(1).indexOf("30s")).isEqualTo(duration);
        assertThat(lines.get(2).indexOf("8s…")).isEqualTo(duration);
        assertThat(lines.get(1).indexOf("revision 2 is stable")).isEqualTo(lines.get(0).indexOf("WHY"));
    }

    @Test
    void aStartTimeThatIsNotATimestampIsShownAsItIsWithoutFailingTheHistory() {
        String text = StatusView.history(List.of(rollout("shop-1", "yesterday", null)), NOW);
        assertThat(text).contains(" yesterday ");
    }
}
