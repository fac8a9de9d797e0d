package dev.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.sandbox.Releases;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code status} as text: pure, from the Release, its Rollout and the time. */
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
}
