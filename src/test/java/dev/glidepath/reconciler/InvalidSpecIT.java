package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.StrategySpec;
import dev.glidepath.sandbox.Releases;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InvalidSpecIT extends SandboxTest {

    private Release invalidCondition(String name) {
        return awaitRelease(name, name + " InvalidSpec", r -> r.getStatus().conditions.stream()
                .anyMatch(c -> c.getType().equals("InvalidSpec") && "True".equals(c.getStatus())));
    }

    private String message(Release r) {
        return r.getStatus().conditions.stream().filter(c -> c.getType().equals("InvalidSpec")).findFirst().orElseThrow()
                .getMessage();
    }

    private void expectInvalid(String name, Consumer<Release> breakIt, String field) {
        Release r = Releases.canary(NS, name, "x:1", 2, CanaryStep.weight(50));
        breakIt.accept(r);
        create(r);
        Release seen = invalidCondition(name);
        assertThat(message(seen)).contains(field);
        assertThat(seen.getStatus().phase).isEqualTo("Degraded");
        assertThat(deployments(name)).isEmpty();
    }

    @Test
    void eachInvalidReleaseGetsAConditionNamingTheField() {
        expectInvalid("no-strategy", r -> r.getSpec().strategy = new StrategySpec(), "spec.strategy");
        expectInvalid("two-strategies", r -> r.getSpec().strategy.blueGreen = new dev.glidepath.api.v1alpha1.BlueGreenStrategy(),
                "spec.strategy");
        expectInvalid("weight", r -> r.getSpec().strategy.canary.steps = java.util.List.of(CanaryStep.weight(150)),
                "spec.strategy.canary.steps[0].setWeight");
        expectInvalid("no-steps", r -> r.getSpec().strategy.canary.steps = java.util.List.of(), "spec.strategy.canary.steps");
        expectInvalid("pause", r -> r.getSpec().strategy.canary.steps = java.util.List.of(CanaryStep.pause("0s")),
                "spec.strategy.canary.steps[0].pause.duration");
        expectInvalid("deadline", r -> r.getSpec().progressDeadline = "soon", "spec.progressDeadline");
        expectInvalid("replicas", r -> r.getSpec().replicas = -1, "spec.replicas");
        expectInvalid("no-image", r -> r.getSpec().template.getSpec().getContainers().get(0).setImage(null),
                "spec.template.spec.containers[0].image");
        expectInvalid("no-service", r -> r.getSpec().service = null, "spec.service.name");
    }

    @Test
    void anInvalidUpdateTouchesNothingRunningAndDoesNotHotLoop() {
        create(Releases.canary(NS, "live", "live:1", 3, CanaryStep.weight(50)));
        awaitPhase("live", "Healthy");
        edit("live", r -> {
            setImage(r, "live:2");
            r.getSpec().strategy.canary.steps = java.util.List.of(CanaryStep.weight(101));
            return r;
        });
        Release seen = invalidCondition("live");
        assertThat(message(seen)).contains("spec.strategy.canary.steps[0].setWeight");
        int mark = sandbox.requests().size();
        // Over a window in which a hot loop would show, nothing is written.
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(1500)).atMost(java.time.Duration.ofSeconds(3))
                .until(() -> sandbox.requests().since(mark).stream().noneMatch(e -> e.isWrite()));
        assertThat(replicasByRevision("live")).isEqualTo(Map.of(1, 3));
        assertThat(service("live").getSpec().getSelector()).containsEntry("glidepath.dev/release", "live");

        edit("live", r -> {
            r.getSpec().strategy.canary.steps = java.util.List.of(CanaryStep.weight(50));
            return r;
        });
        awaitRelease("live", "rolled out after the fix", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
    }

    @Test
    void aServiceNameTakenBySomeoneElseIsReportedAndTheirServiceIsLeftAlone() {
        client.services().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("legacy").endMetadata()
                .withNewSpec().addToSelector("app", "legacy").addNewPort().withPort(80).endPort().endSpec().build()).create();
        Release r = Releases.canary(NS, "newapp", "newapp:1", 1, CanaryStep.weight(50));
        r.getSpec().service.name = "legacy";
        create(r);
        Release seen = invalidCondition("newapp");
        assertThat(message(seen)).contains("spec.service.name").contains("legacy");
        assertThat(service("legacy").getSpec().getSelector()).isEqualTo(Map.of("app", "legacy"));
        // Found before any pod starts: no Deployment was even sent.
        assertThat(deployments("newapp")).isEmpty();
        assertThat(sandbox.requests().count(e -> e.method().equals("POST") && e.path().contains("/deployments"))).isZero();
    }

    @Test
    void aMalformedMigrationTemplateIsReportedAndLeavesOtherReleasesWorking() {
        // The CRD keeps migration templates unchecked, so the API server stores this as written.
        Release broken = Releases.canary(NS, "broken", "broken:1", 1, CanaryStep.weight(50));
        String json = io.fabric8.kubernetes.client.utils.Serialization.asJson(broken).replace("\"spec\":{", """
                "spec":{"migration":{"template":{"spec":{"containers":[{"name":"m","image":"m:1","args":"up"}]}}},""");
        client.resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json,
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).inNamespace(NS).create();
        create(Releases.canary(NS, "fine", "fine:1", 1, CanaryStep.weight(50)));

        assertThat(message(invalidCondition("broken"))).contains("spec.migration.template.spec.containers[0].args: must be a list");
        awaitPhase("fine", "Healthy");
        assertThat(deployments("broken")).isEmpty();
    }
}
