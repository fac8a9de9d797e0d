package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.HotfixSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.RollbackCommand;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Approvals by role from identities the API server vouches for. The sandbox plays what a real API server does around
 * them (the mock has no admission and no authorization): the admission policy glidepath-approval-identity on writes
 * of Approvals, and SubjectAccessReviews from grants given here as RBAC Roles would.
 */
class ApprovalIT extends SandboxTest {

    private Release hotfixReady() {
        create(Releases.approvedBy(Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(50)), List.of("manager"),
                List.of("manager", "security")));
        awaitPhase("shop", "Healthy");
        return edit("shop", r -> {
            r.getSpec().template.getSpec().getContainers().get(0).setImage("shop:1.0.1");
            r.getSpec().hotfix = new HotfixSpec();
            r.getSpec().hotfix.revision = 2;
            r.getSpec().hotfix.reason = "INC-4711 checkout 500s";
            return r;
        });
    }

    private static Approval approve(KubernetesClient as, String name, int revision, String role, String user, String... groups) {
        return as.resource(Releases.approval(NS, name, "shop", revision, role, user, groups)).create();
    }

    private Approval approval(String name) {
        return client.resources(Approval.class).inNamespace(NS).withName(name).get();
    }

    @Test
    void aHotfixWaitsForAManagerAndSecurityCountsEachPersonOnceAndRecordsWhoApproved() {
        sandbox.installApprovalPolicy();
        sandbox.dispatcher().grant("managers", "approve", "releases/manager", null);
        sandbox.dispatcher().grant("security-team", "approve", "releases/security", "shop");
        hotfixReady();
        Release waiting = awaitPhase("shop", "AwaitingApproval");
        assertThat(waiting.getStatus().deploymentType).isEqualTo("Hotfix");
        assertThat(waiting.getStatus().message).contains("needs manager and security");

        // bob is a manager and also (wrongly) tries security: he counts once.
        approve(sandbox.clientAs("bob", "managers", "system:authenticated"), "bob-manager", 2, "manager", "bob", "managers",
                "system:authenticated");
        approve(sandbox.clientAs("bob", "managers", "system:authenticated"), "bob-security", 2, "security", "bob", "managers",
                "system:authenticated");
        Eventually.untilAsserted(() -> assertThat(approval("bob-manager").getStatus().counted).isTrue());
        Eventually.untilAsserted(() -> assertThat(approval("bob-security").getStatus().message)
                .contains("bob may not approve for role security"));
        assertThat(approval("bob-security").getStatus().counted).isFalse();
        Eventually.untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("ApprovalRefused");
            assertThat(e.getMessage()).contains("Approval bob-security by bob for role security of revision 2 does not count");
        }));
        assertThat(get("shop").getStatus().phase).isEqualTo("AwaitingApproval");

        // Nobody can approve in someone else's name: the policy refuses it.
        KubernetesClient eve = sandbox.clientAs("eve", "security-team", "system:authenticated");
        assertThatThrownBy(() -> approve(eve, "forged", 2, "security", "carol", "security-team", "system:authenticated"))
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.approver.username must be your own username");

        // An approval of another revision does not count for this one.
        approve(sandbox.clientAs("carol", "security-team", "system:authenticated"), "carol-r3", 3, "security", "carol",
                "security-team", "system:authenticated");
        assertThat(get("shop").getStatus().phase).isEqualTo("AwaitingApproval");

        approve(sandbox.clientAs("carol", "security-team", "system:authenticated"), "carol-security", 2, "security", "carol",
                "security-team", "system:authenticated");
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        Rollout record = rollouts("shop").stream().filter(r -> Integer.valueOf(2).equals(r.getSpec().toRevision)).findFirst().orElseThrow();
        assertThat(record.getSpec().type).isEqualTo("Hotfix");
        assertThat(record.getSpec().hotfixReason).isEqualTo("INC-4711 checkout 500s");
        assertThat(record.getSpec().approvals).extracting(a -> a.role + "=" + a.approver)
                .containsExactly("manager=bob", "security=carol");
        assertThat(record.getSpec().changes).singleElement().satisfies(c -> assertThat(c.from + " -> " + c.to)
                .isEqualTo("shop:1 -> shop:1.0.1"));
        assertThat(record.getStatus().outcome).isEqualTo("SUCCESS");
        assertThat(record.getStatus().duration).isNotBlank();
        assertThat(record.getStatus().timeline).extracting(e -> e.what).contains("revision 2: waiting for approval",
                "approved by bob (manager)", "approved by carol (security)");

        // An Approval cannot be edited afterwards to say something else.
        Approval edited = approval("carol-security");
        edited.getSpec().revision = 4;
        assertThatThrownBy(() -> sandbox.clientAs("carol", "security-team", "system:authenticated").resource(edited).update())
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("cannot be changed");
    }

    @Test
    void withoutThePolicyApprovalsAreNotCountedAndTheReleaseSaysWhy() {
        sandbox.dispatcher().grant("managers", "approve", "releases/manager", null);
        create(Releases.approvedBy(Releases.canary(NS, "shop", "shop:1", 1, CanaryStep.weight(50)), List.of("manager"), null));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        approve(sandbox.clientAs("bob", "managers"), "bob", 2, "manager", "bob", "managers");
        Release waiting = awaitRelease("shop", "not counted", r -> r.getStatus().message != null
                && r.getStatus().message.contains("admission policy glidepath-approval-identity"));
        assertThat(waiting.getStatus().phase).isEqualTo("AwaitingApproval");
        assertThat(waiting.getStatus().deploymentType).isEqualTo("Standard");
        Eventually.untilAsserted(() -> assertThat(approval("bob").getStatus().counted).isFalse());
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 1));
    }

    @Test
    void aRollbackNeverWaitsForApprovals() {
        sandbox.installApprovalPolicy();
        sandbox.dispatcher().grant("managers", "approve", "releases/manager", null);
        create(Releases.approvedBy(Releases.canary(NS, "shop", "shop:1", 1, CanaryStep.weight(50)), List.of("manager"), null));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        approve(sandbox.clientAs("bob", "managers"), "bob", 2, "manager", "bob", "managers");
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        edit("shop", r -> {
            r.getSpec().rollback = new RollbackCommand();
            r.getSpec().rollback.id = "back";
            r.getSpec().rollback.revision = 1;
            return r;
        });
        Release back = awaitRelease("shop", "rolled back", r -> Integer.valueOf(1).equals(r.getStatus().stableRevision));
        assertThat(back.getStatus().deploymentType).isEqualTo("Rollback");
    }
}
