package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.ApprovalSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.DeploymentWindow;
import dev.glidepath.api.v1alpha1.WindowOverride;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Approval gates and deployment windows in front of a rollout. */
class ReleasePlannerGatesTest {

    @Test
    void anUpdateWaitsForApprovalOfItsOwnRevision() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.spec.approval = new ApprovalSpec();
        cluster.spec.approval.required = true;
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");
        assertThat(cluster.status.message).contains("approvedRevision\":2");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2));
        assertThat(cluster.rollouts).hasSize(1);

        cluster.spec.approval.approvedRevision = 1; // an older revision's approval does not count
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");

        cluster.spec.approval.approvedRevision = 2;
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);

        cluster.setImage("shop:3.0");
        cluster.tick();
        assertThat(cluster.status.phase).as("approving 2 did not approve 3").isEqualTo("AwaitingApproval");
    }

    @Test
    void rollbacksNeverWaitForApprovalOrAWindow() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
        cluster.spec.approval = new ApprovalSpec();
        cluster.spec.approval.required = true;
        cluster.spec.windows = List.of(window("Sun"));
        cluster.now = Instant.parse("2026-11-23T12:00:00Z"); // a Monday: no window open
        cluster.spec.rollback = Specs.rollback("r", 1);
        cluster.tickUntil(c -> "RolledBack".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(1);
    }

    static DeploymentWindow window(String day) {
        DeploymentWindow w = new DeploymentWindow();
        w.days = List.of(day);
        w.start = "09:00";
        w.end = "17:00";
        w.timeZone = "UTC";
        return w;
    }

    @Test
    void anUpdateOutsideTheWindowsWaitsAndStartsWhenOneOpens() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.spec.windows = List.of(window("Mon"));
        cluster.now = Instant.parse("2026-11-22T12:00:00Z"); // Sunday
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("WaitingForWindow");
        assertThat(cluster.status.message).contains("the next opens at 2026-11-23T09:00:00Z");
        assertThat(cluster.last.requeueAfter().orElseThrow()).isBetween(Duration.ofHours(20), Duration.ofHours(21));
        cluster.now = Instant.parse("2026-11-23T09:00:00Z");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);
    }

    @Test
    void theHotfixOverrideStartsItsRevisionOutsideTheWindows() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        cluster.spec.windows = List.of(window("Mon"));
        cluster.now = Instant.parse("2026-11-22T12:00:00Z");
        cluster.setImage("shop:2.0");
        cluster.spec.windowOverride = new WindowOverride();
        cluster.spec.windowOverride.revision = 2;
        cluster.spec.windowOverride.reason = "INC-42";
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);
        assertThat(cluster.eventReasons()).contains("WindowOverride");
    }

    @Test
    void aRolloutRunningWhenItsWindowClosesFinishesItsStepThenHolds() {
        var cluster = new SimulatedCluster(Specs.canary(4, CanaryStep.weight(25), CanaryStep.pause("1h"), CanaryStep.weight(50)))
                .deployed();
        cluster.spec.windows = List.of(window("Mon"));
        cluster.now = Instant.parse("2026-11-23T16:30:00Z");
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> Integer.valueOf(1).equals(c.status.currentStep));
        cluster.now = Instant.parse("2026-11-23T17:45:00Z"); // the pause is over, the window closed at 17:00
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.status.message).contains("deployment window closed");
        assertThat(cluster.status.currentStep).isEqualTo(2);
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 3, 2, 1));
        cluster.now = Instant.parse("2026-11-30T09:00:00Z");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
    }

    @Test
    void aBlackoutHoldsAnUpdateInsideItsWindowAndSaysWhichDateButNotARollback() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50))).deployed();
        DeploymentWindow holiday = new DeploymentWindow();
        holiday.blackoutDates = List.of("2026-11-23");
        cluster.spec.windows = List.of(window("Mon"), holiday);
        cluster.now = Instant.parse("2026-11-23T10:00:00Z"); // Monday, inside the window, but a blackout date
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("WaitingForWindow");
        assertThat(cluster.status.message).contains("waits for a deployment window: 2026-11-23 is a blackout date"
                + " (spec.windows[1].blackoutDates[0]: 2026-11-23); the next opens at 2026-11-30T09:00:00Z");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2));

        cluster.spec.rollback = Specs.rollback("r", 1);
        cluster.tick();
        assertThat(cluster.status.phase).as("a rollback needs no window").isEqualTo("RolledBack");
    }
}
