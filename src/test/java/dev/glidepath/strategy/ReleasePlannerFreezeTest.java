package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.WindowOverride;
import dev.glidepath.workflow.FreezeHold;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Freezes in front of and in the middle of a rollout, with an explicit clock. */
class ReleasePlannerFreezeTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static SimulatedCluster deployed() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50), CanaryStep.pause("1m"), CanaryStep.weight(75)))
                .deployed();
        cluster.now = NOW;
        return cluster;
    }

    private static FreezeHold freeze(Instant until, boolean allowOverride) {
        return new FreezeHold("glidepath-system", "incident", "INC-1234: payments down", until, allowOverride);
    }

    @Test
    void aNewRolloutWaitsNamingTheFreezeAndStartsWhenItIsLifted() {
        var cluster = deployed();
        cluster.freezes.add(freeze(null, false));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Frozen");
        assertThat(cluster.status.message).isEqualTo("revision 2 (2.0) waits: frozen by Freeze glidepath-system/incident"
                + " (INC-1234: payments down); it starts once the Freeze is deleted");
        assertThat(cluster.status.frozenBy).isEqualTo("Freeze glidepath-system/incident (INC-1234: payments down)");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2));
        assertThat(cluster.eventReasons()).contains("PhaseFrozen");

        cluster.freezes.clear();
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.status.frozenBy).isNull();
    }

    @Test
    void aFreezeWithAnEndWakesTheReleaseThenAndStandsNoLonger() {
        var cluster = deployed();
        cluster.freezes.add(freeze(NOW.plus(Duration.ofHours(2)), false));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Frozen");
        assertThat(cluster.status.message).contains("until 2026-12-01T12:00:00Z").contains("deleted or ends");
        assertThat(cluster.last.requeueAfter().orElseThrow()).isLessThanOrEqualTo(Duration.ofHours(2));

        // Each tick is one second later.
        cluster.now = NOW.plus(Duration.ofHours(2)).minusMillis(1001);
        cluster.tick();
        assertThat(cluster.status.phase).as("one millisecond before its end").isEqualTo("Frozen");
        cluster.now = NOW.plus(Duration.ofHours(2)).minusSeconds(1);
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
    }

    @Test
    void aRolloutInFlightFinishesItsStepAndHoldsBeforeTheNext() {
        var cluster = deployed();
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> Integer.valueOf(50).equals(c.status.canaryWeight) && c.status.rollout != null
                && Integer.valueOf(1).equals(c.status.rollout.stepIndex));
        cluster.freezes.add(freeze(null, false));
        cluster.now = cluster.now.plus(Duration.ofMinutes(5)); // the timed pause is long over
        cluster.tick();
        cluster.tick();
        assertThat(cluster.status.canaryWeight).isEqualTo(50);
        assertThat(cluster.status.message).contains("frozen by Freeze glidepath-system/incident").contains("holding before the next step");
        assertThat(cluster.status.frozenBy).isNotNull();

        cluster.freezes.clear();
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);
    }

    @Test
    void rollbacksAndAbortsNeverWait() {
        var cluster = deployed();
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
        cluster.freezes.add(freeze(null, false));
        cluster.spec.rollback = Specs.rollback("r", 1);
        cluster.tickUntil(c -> "RolledBack".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(1);
    }

    @Test
    void theHotfixOverridePassesOnlyAFreezeThatAllowsIt() {
        var cluster = deployed();
        cluster.freezes.add(freeze(null, false));
        cluster.spec.windowOverride = new WindowOverride();
        cluster.spec.windowOverride.revision = 2;
        cluster.spec.windowOverride.reason = "fix for INC-1234";
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).as("this freeze allows no override").isEqualTo("Frozen");

        cluster.freezes.set(0, freeze(null, true));
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(cluster.events).anySatisfy(n -> {
            assertThat(n.reason()).isEqualTo(EventReason.FREEZE_OVERRIDE.wire());
            assertThat(n.warning()).isTrue();
            assertThat(n.message()).contains("revision 2 starts during Freeze glidepath-system/incident").contains("fix for INC-1234");
        });
    }
}
