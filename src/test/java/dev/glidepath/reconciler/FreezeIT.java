package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Freeze;
import dev.glidepath.api.v1alpha1.FreezeSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Freeze applied during an incident holds rollouts everywhere it applies; deleting it lets them go. */
class FreezeIT extends SandboxTest {

    private Freeze freeze(String namespace, String reason) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).createOr(n -> n.update());
        Freeze f = new Freeze();
        f.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("incident").build());
        f.setSpec(new FreezeSpec());
        f.getSpec().reason = reason;
        return client.resource(f).create();
    }

    @Test
    void aFreezeInTheOperatorsNamespaceHoldsANewRolloutUntilItIsDeleted() {
        create(Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(50)));
        awaitPhase("shop", "Healthy");
        Freeze f = freeze(OperatorHarness.GLOBAL_FREEZES, "INC-1234: checkout errors");

        update("shop", "shop:2");
        Release frozen = awaitPhase("shop", "Frozen");
        assertThat(frozen.getStatus().message).contains("frozen by Freeze glidepath-system/incident (INC-1234: checkout errors)");
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 2));
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("PhaseFrozen"));

        client.resource(f).delete();
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase) && r.getStatus().frozenBy == null);
    }

    @Test
    void aFreezeInAnotherNamespaceHoldsNothingHere() {
        create(Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(50)));
        awaitPhase("shop", "Healthy");
        freeze("payments", "payments launch");
        update("shop", "shop:2");
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
    }

    @Test
    void aRolloutInFlightHoldsAfterItsStepWhenAFreezeArrives() {
        create(Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(50), CanaryStep.pause(null), CanaryStep.weight(75)));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        awaitPhase("shop", "Paused");
        Freeze f = freeze(NS, "launch day");
        edit("shop", r -> {
            r.getSpec().promote = new dev.glidepath.api.v1alpha1.PromoteCommand();
            r.getSpec().promote.id = "go";
            return r;
        });
        Release held = awaitRelease("shop", "held by the freeze", r -> r.getStatus().frozenBy != null);
        assertThat(held.getStatus().message).contains("frozen by Freeze apps/incident (launch day); holding before the next step");
        assertThat(held.getStatus().canaryWeight).isEqualTo(50);

        client.resource(f).delete();
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
    }
}
