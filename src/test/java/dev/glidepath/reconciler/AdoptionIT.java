package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.AdoptSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Adopting an application that runs as `Deployment legacy` behind `Service shop`, with zero downtime. */
class AdoptionIT extends SandboxTest {
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile int samples;

    @AfterEach
    void stopSampler() {
        sampler.shutdownNow();
    }

    private void running(int replicas) {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("legacy").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "shop").endSelector()
                .withTemplate(Releases.template("shop", "shop:1"))
                .endSpec().build()).create();
        client.services().inNamespace(NS).resource(new ServiceBuilder()
                .withNewMetadata().withName("shop").addToAnnotations("team", "payments").endMetadata()
                .withNewSpec().addToSelector("app", "shop").addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort()
                .endSpec().build()).create();
        Eventually.untilAsserted(() -> assertThat(available("legacy")).isEqualTo(replicas));
    }

    private int available(String deployment) {
        Deployment d = client.apps().deployments().inNamespace(NS).withName(deployment).get();
        return d == null || d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    }

    private Release adopting(int replicas) {
        Release r = Releases.canary(NS, "shop", "shop:1", replicas, CanaryStep.weight(50));
        r.getSpec().adopt = new AdoptSpec();
        r.getSpec().adopt.deployment = "legacy";
        return r;
    }

    /**
     * Samples the cluster as a client would see it: the pods the Service selects that are available, and all
     * available pods; records every sample below {@code floor}.
     */
    private void sample(int floor) {
        sampler.scheduleWithFixedDelay(() -> {
            Service s = client.services().inNamespace(NS).withName("shop").get();
            List<Deployment> all = client.apps().deployments().inNamespace(NS).list().getItems();
            int total = 0;
            int selected = 0;
            for (Deployment d : all) {
                int a = d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
                total += a;
                Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
                if (labels.entrySet().containsAll(s.getSpec().getSelector().entrySet())) {
                    selected += a;
                }
            }
            samples++;
            if (selected < floor || total < floor) {
                violations.add("Service selects " + selected + " available pods of " + total + " (selector " + s.getSpec().getSelector() + ")");
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    private static String condition(Release r, String type) {
        return r.getStatus().conditions.stream().filter(c -> c.getType().equals(type) && "True".equals(c.getStatus()))
                .map(c -> c.getMessage()).findFirst().orElse(null);
    }

    @Test
    void aRunningDeploymentAndItsServiceAreAdoptedWithoutEverServingFromFewerPods() {
        running(3);
        sample(3);
        create(adopting(3));
        Release done = awaitRelease("shop", "adopted", r -> r.getStatus().adoption != null && r.getStatus().adoption.finishedAt != null);
        assertThat(done.getStatus().adoption.replicasBefore).isEqualTo(3);
        assertThat(done.getStatus().adoption.serviceTakenAt).isNotNull();
        Deployment legacy = client.apps().deployments().inNamespace(NS).withName("legacy").get();
        assertThat(legacy).as("kept, not deleted").isNotNull();
        assertThat(legacy.getSpec().getReplicas()).isZero();
        Service shop = service("shop");
        assertThat(shop.getSpec().getSelector()).containsEntry(Labels.RELEASE, "shop");
        assertThat(shop.getMetadata().getOwnerReferences()).anySatisfy(o -> assertThat(o.getName()).isEqualTo("shop"));
        assertThat(shop.getMetadata().getAnnotations()).containsEntry("team", "payments");
        assertThat(samples).isGreaterThan(10);
        assertThat(violations).isEmpty();
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).extracting(e -> e.getReason())
                .contains("AdoptionStarted", "ServiceTakenOver", "Adopted");

        // After the adoption the Release rolls out as any other.
        update("shop", "shop:2");
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        assertThat(violations).isEmpty();
    }

    @Test
    void aRestartAtEachStepOfTheAdoptionNeitherRepeatsNorLosesAStep() {
        running(2);
        sample(2);
        create(adopting(2));
        awaitRelease("shop", "adoption started", r -> r.getStatus().adoption != null);
        restartOperator();
        awaitRelease("shop", "Service taken over", r -> r.getStatus().adoption.serviceTakenAt != null);
        restartOperator();
        Release done = awaitRelease("shop", "adopted", r -> r.getStatus().adoption.finishedAt != null);
        restartOperator();
        awaitPhase("shop", "Healthy");
        assertThat(get("shop").getStatus().adoption.finishedAt).isEqualTo(done.getStatus().adoption.finishedAt);
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).filteredOn(e -> e.getReason().equals("ServiceTakenOver"))
                .hasSize(1);
        assertThat(violations).isEmpty();
    }

    @Test
    void theAdoptedDeploymentScaledUpAgainIsReportedNotFought() {
        running(2);
        create(adopting(2));
        awaitRelease("shop", "adopted", r -> r.getStatus().adoption != null && r.getStatus().adoption.finishedAt != null);
        client.apps().deployments().inNamespace(NS).withName("legacy").scale(2);
        Release r = awaitRelease("shop", "reported", x -> condition(x, "AdoptedDeploymentScaledUp") != null);
        assertThat(condition(r, "AdoptedDeploymentScaledUp")).contains("legacy").contains("remove it from Git");
        Eventually.untilAsserted(() -> assertThat(available("legacy")).isEqualTo(2));
        assertThat(client.apps().deployments().inNamespace(NS).withName("legacy").get().getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void whatCannotBeAdoptedIsReportedByFieldAndNothingChanges() {
        create(adopting(2));
        Release missing = awaitRelease("shop", "InvalidSpec", r -> condition(r, "InvalidSpec") != null);
        assertThat(condition(missing, "InvalidSpec")).contains("spec.adopt.deployment: Deployment 'legacy' not found");
        assertThat(deployments("shop")).isEmpty();
        client.resources(Release.class).inNamespace(NS).withName("shop").delete();
        Eventually.until(() -> get("shop") == null);

        running(2);
        Service other = service("shop");
        other.getSpec().setSelector(Map.of("app", "something-else"));
        client.resource(other).update();
        create(adopting(2));
        Release unselected = awaitRelease("shop", "InvalidSpec", r -> condition(r, "InvalidSpec") != null);
        assertThat(condition(unselected, "InvalidSpec")).contains("spec.adopt.deployment: Service 'shop' (selector app=something-else)"
                + " does not select the pods of Deployment 'legacy'");
        assertThat(deployments("shop")).isEmpty();
        assertThat(service("shop").getSpec().getSelector()).isEqualTo(Map.of("app", "something-else"));

        Deployment managed = client.apps().deployments().inNamespace(NS).withName("legacy").get();
        managed.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("argoproj.io/v1alpha1")
                .withKind("Rollout").withName("shop").withUid("u-1").withController(true).build()));
        client.resource(managed).update();
        edit("shop", r -> {
            r.getMetadata().setAnnotations(Map.of("touch", "1"));
            return r;
        });
        awaitRelease("shop", "managed", r -> String.valueOf(condition(r, "InvalidSpec")).contains("is managed by Rollout 'shop'"));
        assertThat(client.apps().deployments().inNamespace(NS).withName("legacy").get().getSpec().getReplicas()).isEqualTo(2);
    }
}
