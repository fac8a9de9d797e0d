package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.ApprovalSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.ChangeSpec;
import dev.glidepath.api.v1alpha1.HotfixSpec;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Approvals by role for each deployment type, hotfixes, and the deployment record a Rollout keeps. */
class ReleasePlannerChangeManagementTest {

    private static SimulatedCluster withRoles() {
        var cluster = new SimulatedCluster(Specs.canary(2, CanaryStep.weight(50), CanaryStep.pause("1m"))).deployed();
        cluster.spec.approval = new ApprovalSpec();
        cluster.spec.approval.roles = new ApprovalSpec.Roles();
        cluster.spec.approval.roles.standard = List.of("manager");
        cluster.spec.approval.roles.hotfix = List.of("manager", "security");
        return cluster;
    }

    private static void hotfix(SimulatedCluster cluster, int revision, String reason) {
        cluster.spec.hotfix = new HotfixSpec();
        cluster.spec.hotfix.revision = revision;
        cluster.spec.hotfix.reason = reason;
    }

    private static ApprovalVote vote(String name, int revision, String role, String who, Instant at) {
        return new ApprovalVote(name, revision, role, who, at.toString(), "looked at it", null);
    }

    private static RolloutSpec rolloutSpec(SimulatedCluster cluster, int to) {
        return cluster.last.rolloutWrites().stream().flatMap(w -> w.create().stream()).filter(s -> s.toRevision == to).findFirst()
                .orElseThrow();
    }

    @Test
    void aHotfixWaitsForManagerAndSecurityAndStartsOnceBothApproved() {
        var cluster = withRoles();
        cluster.setImage("shop:2.1");
        hotfix(cluster, 2, "INC-4711 checkout 500s");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");
        assertThat(cluster.status.deploymentType).isEqualTo("Hotfix");
        assertThat(cluster.status.message).contains("revision 2 (2.1, Hotfix) awaits approval: needs manager and security")
                .contains("kubectl glidepath approve");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2));

        cluster.approvals.add(vote("m", 2, "manager", "bob", cluster.now));
        cluster.tick();
        assertThat(cluster.status.message).contains("needs security; approved: manager by bob");

        Instant approved = cluster.now;
        cluster.approvals.add(vote("s", 2, "security", "carol", approved));
        cluster.triggeredBy = "kubectl-client-side-apply";
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        RolloutSpec record = rolloutSpec(cluster, 2);
        assertThat(record.type).isEqualTo("Hotfix");
        assertThat(record.hotfixReason).isEqualTo("INC-4711 checkout 500s");
        assertThat(record.triggeredBy).isEqualTo("kubectl-client-side-apply");
        assertThat(record.approvals).extracting(a -> a.role + "=" + a.approver).containsExactly("manager=bob", "security=carol");
        assertThat(record.changes).singleElement().satisfies(c -> {
            assertThat(c.from).isEqualTo("shop:1.0");
            assertThat(c.to).isEqualTo("shop:2.1");
        });
    }

    @Test
    void onePersonCountsForOneRoleOnly() {
        var cluster = withRoles();
        cluster.setImage("shop:2.1");
        hotfix(cluster, 2, "INC-1");
        cluster.approvals.add(vote("m", 2, "manager", "bob", cluster.now));
        cluster.approvals.add(vote("s", 2, "security", "bob", cluster.now));
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");
        assertThat(cluster.status.message).contains("needs a different person for each of manager, security");

        cluster.approvals.add(vote("s2", 2, "security", "carol", cluster.now));
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(rolloutSpec(cluster, 2).approvals).extracting(a -> a.approver).containsExactly("bob", "carol");
    }

    @Test
    void anApprovalCountsForTheRevisionItNamesAndNoOtherAndARefusedOneNotAtAll() {
        var cluster = withRoles();
        cluster.approvals.add(vote("old", 1, "manager", "bob", cluster.now));
        cluster.approvals.add(new ApprovalVote("forged", 2, "manager", "mallory", cluster.now.toString(), null,
                "mallory may not approve for role manager: RBAC grants no 'approve' on releases/manager of shop"));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");
        assertThat(cluster.status.deploymentType).isEqualTo("Standard");
        assertThat(cluster.status.message).contains("needs manager")
                .contains("Approval forged of mallory for manager does not count: mallory may not approve");

        cluster.approvals.add(vote("three", 3, "manager", "bob", cluster.now));
        cluster.tick();
        assertThat(cluster.status.phase).as("an approval of revision 3 does not start revision 2").isEqualTo("AwaitingApproval");

        cluster.approvals.add(vote("two", 2, "manager", "bob", cluster.now));
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
    }

    @Test
    void aRollbackNeverWaitsAndIsRecordedAsOne() {
        var cluster = withRoles();
        cluster.approvals.add(vote("two", 2, "manager", "bob", cluster.now));
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
        cluster.spec.rollback = Specs.rollback("r", 1);
        cluster.tickUntil(c -> "RolledBack".equals(c.status.phase));
        assertThat(cluster.status.deploymentType).isEqualTo("Rollback");
        assertThat(cluster.rollouts.values()).anySatisfy(r -> {
            assertThat(r.toRevision()).isEqualTo(1);
            assertThat(r.status().outcome).isEqualTo("SUCCESS");
        });
    }

    @Test
    void anUpdateInsideDeploymentWindowsIsScheduledAndNeedsTheScheduledRolesOrElseTheStandardOnes() {
        var cluster = withRoles();
        cluster.spec.windows = List.of(ReleasePlannerGatesTest.window("Mon"));
        cluster.now = Instant.parse("2026-11-23T08:00:00Z"); // a Monday before the 09:00 window
        cluster.approvals.add(vote("two", 2, "manager", "bob", cluster.now));
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("WaitingForWindow");
        assertThat(cluster.status.deploymentType).isEqualTo("Scheduled");
        // What the "scheduled" notice carries: when it starts, and how long its steps take.
        assertThat(cluster.status.message).contains("the next opens at 2026-11-23T09:00:00Z")
                .contains("its steps then take at least 1m (their timed pauses)");
        cluster.now = Instant.parse("2026-11-23T09:30:00Z");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("Progressing");
        assertThat(rolloutSpec(cluster, 2).type).isEqualTo("Scheduled");
    }

    @Test
    void aFinishedRolloutsRecordHoldsItsTimelineOutcomeDurationAndChange() {
        var cluster = withRoles();
        cluster.spec.change = new ChangeSpec();
        cluster.spec.change.summary = "Faster checkout";
        cluster.spec.change.link = "https://git.example/shop/pull/42";
        cluster.setImage("shop:2.0");
        cluster.tick();
        cluster.tick(Duration.ofMinutes(5));
        cluster.approvals.add(vote("two", 2, "manager", "bob", cluster.now));
        cluster.tick();
        RolloutSpec spec = rolloutSpec(cluster, 2);
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
        var rollout = cluster.rollouts.values().stream().filter(r -> Integer.valueOf(2).equals(r.toRevision())).findFirst().orElseThrow();
        RolloutStatus status = rollout.status();
        assertThat(status.outcome).isEqualTo("SUCCESS");
        assertThat(status.duration).isNotBlank();
        assertThat(status.timeline).extracting(e -> e.what).containsSubsequence(
                "revision 2: waiting for approval", "approved by bob (manager)", "started: Standard update from revision 1 to revision 2",
                "step 0: setWeight 50", "succeeded");
        assertThat(status.timeline.size()).isLessThanOrEqualTo(40);
        assertThat(cluster.status.waitedFor).isNull();
        assertThat(spec.change.summary).isEqualTo("Faster checkout");
        assertThat(spec.change.link).isEqualTo("https://git.example/shop/pull/42");
    }

    @Test
    void aRevisionNumberIsNeverGivenTwiceSoAnOldApprovalNeverStartsAnotherTemplate() {
        var cluster = withRoles();
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.currentRevision).isEqualTo(2);
        cluster.approvals.add(vote("two", 2, "manager", "bob", cluster.now));
        // Before it starts, the template goes back to the stable one, then on to an unreviewed one.
        cluster.setImage("shop:1.0");
        cluster.tick();
        cluster.tick();
        cluster.setImage("shop:9.9-unreviewed");
        cluster.tick();
        assertThat(cluster.status.currentRevision).isEqualTo(3);
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");
        assertThat(cluster.replicas()).isEqualTo(Map.of(1, 2));
    }

    @Test
    void aHotfixWithoutRolesOfItsOwnNeedsTheStandardOnes() {
        var cluster = withRoles();
        cluster.spec.approval.roles.hotfix = null;
        cluster.setImage("shop:2.1");
        hotfix(cluster, 2, "INC-2");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");
        assertThat(cluster.status.message).contains("Hotfix) awaits approval: needs manager");
    }

    @Test
    void losingTheStableRevisionsDeploymentDoesNotLetAnUnapprovedRevisionThrough() {
        var cluster = withRoles();
        cluster.setImage("shop:2.0");
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");
        cluster.deployments.remove(1);
        cluster.tick();
        assertThat(cluster.status.phase).isEqualTo("AwaitingApproval");
        assertThat(cluster.deployments).doesNotContainKey(2);

        cluster.approvals.add(vote("two", 2, "manager", "bob", cluster.now));
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase) && Integer.valueOf(2).equals(c.status.stableRevision));
    }
}
