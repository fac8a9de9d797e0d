package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Freeze;
import dev.glidepath.api.v1alpha1.FreezeSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
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

    @Test
    void aFreezeTheOperatorCannotReadHoldsItsScopeIsReportedAndTheOtherFreezesKeepWorkingAcrossARestart() {
        create(Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(50)));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("billing").endMetadata().build()).create();
        Release billing = Releases.canary("billing", "ledger", "ledger:1", 1, CanaryStep.weight(50));
        billing.getMetadata().setLabels(Map.of("tier", "critical"));
        client.resource(billing).create();
        awaitPhase("shop", "Healthy");
        Eventually.untilAsserted(() -> assertThat(client.resources(Release.class).inNamespace("billing").withName("ledger").get()
                .getStatus().phase).isEqualTo("Healthy"));
        // As after a CRD version skew, or with the schema bypassed: matchLabels is a string.
        GenericKubernetesResource unreadable = new GenericKubernetesResource();
        unreadable.setApiVersion("glidepath.dev/v1alpha1");
        unreadable.setKind("Freeze");
        unreadable.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("skewed").build());
        unreadable.setAdditionalProperties(Map.of("spec", Map.of("reason", "release train", "selector", Map.of("matchLabels", "team=shop"))));
        client.genericKubernetesResources("glidepath.dev/v1alpha1", "Freeze").inNamespace(NS).resource(unreadable).create();

        update("shop", "shop:2");
        Release frozen = awaitPhase("shop", "Frozen");
        assertThat(frozen.getStatus().message).contains("Freeze apps/skewed").contains("spec.selector.matchLabels")
                .contains("fix or delete it");
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 2));
        Eventually.untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list().getItems()).anySatisfy(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Freeze");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("skewed");
            assertThat(e.getReason()).isEqualTo("FreezeInvalid");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("spec.selector.matchLabels");
        }));

        // A restart with it present starts, and a Freeze made afterwards still applies where it should.
        restartOperator();
        Freeze critical = new Freeze();
        critical.setMetadata(new ObjectMetaBuilder().withNamespace(OperatorHarness.GLOBAL_FREEZES).withName("critical").build());
        critical.setSpec(new FreezeSpec());
        critical.getSpec().reason = "audit";
        critical.getSpec().selector = new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "critical")).build();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OperatorHarness.GLOBAL_FREEZES).endMetadata()
                .build()).createOr(n -> n.update());
        client.resource(critical).create();
        Releases.edit(client, "billing", "ledger", r -> {
            r.getSpec().template.getSpec().getContainers().get(0).setImage("ledger:2");
            return r;
        });
        Eventually.untilAsserted(() -> assertThat(client.resources(Release.class).inNamespace("billing").withName("ledger").get()
                .getStatus().message).contains("frozen by Freeze glidepath-system/critical (audit)"));

        client.genericKubernetesResources("glidepath.dev/v1alpha1", "Freeze").inNamespace(NS).withName("skewed").delete();
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
    }

    @Test
    void aSelectorWithAnOperatorTheApiServerWouldRefuseHoldsAndSaysSo() {
        create(Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(50)));
        awaitPhase("shop", "Healthy");
        Freeze f = new Freeze();
        f.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("typo").build());
        f.setSpec(new FreezeSpec());
        f.getSpec().reason = "launch";
        f.getSpec().selector = new LabelSelectorBuilder().addNewMatchExpression().withKey("team").withOperator("Equals")
                .withValues("shop").endMatchExpression().build();
        client.resource(f).create();
        // Reported on the Freeze as soon as the operator sees it; only then the new version, so that it is held
        // before it starts (Frozen) rather than at its next step (a Freeze that arrives mid-rollout).
        Eventually.untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("typo");
                    assertThat(e.getReason()).isEqualTo("FreezeInvalid");
                }));
        update("shop", "shop:2");
        Release frozen = awaitPhase("shop", "Frozen");
        assertThat(frozen.getStatus().message).contains("Freeze apps/typo (launch)")
                .contains("spec.selector.matchExpressions[0].operator: 'Equals' is not one of In, NotIn, Exists, DoesNotExist");
    }
}
