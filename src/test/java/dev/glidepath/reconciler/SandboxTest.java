package dev.glidepath.reconciler;


import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.Sandbox;
import dev.glidepath.sandbox.WorkloadSimulator;
import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the integration tests: a sandbox API, the workload simulator and the real reconciler. */
abstract class SandboxTest {
    static final String NS = "apps";
    Sandbox sandbox;
    KubernetesClient client;
    WorkloadSimulator simulator;
    OperatorHarness operator;

    @BeforeEach
    void startSandbox() {
        sandbox = Sandbox.start();
        client = sandbox.client();
        simulator = new WorkloadSimulator(client, Duration.ofMillis(150)).start();
        operator = OperatorHarness.start(sandbox.newClient());
    }

    @AfterEach
    void stopSandbox() {
        if (operator != null) {
            operator.stop();
        }
        simulator.close();
        sandbox.close();
    }

    void restartOperator() {
        operator.stop();
        operator = OperatorHarness.start(sandbox.newClient());
    }

    Release create(Release r) {
        return client.resource(r).create();
    }

    Release get(String name) {
        return client.resources(Release.class).inNamespace(NS).withName(name).get();
    }

    /** Edits like a user would: on a conflict with the operator's own status write, read again and retry. */
    Release edit(String name, UnaryOperator<Release> change) {
        return Releases.edit(client, NS, name, change);
    }

    Release awaitRelease(String name, String what, Predicate<Release> condition) {
        try {
            Eventually.waiting().alias(what)
                    .until(() -> {
                        Release r = get(name);
                        return r != null && r.getStatus() != null && condition.test(r);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Release r = get(name);
            throw new AssertionError(what + " not reached; " + name + " is "
                    + (r == null || r.getStatus() == null ? "without status" : r.getStatus().phase + ": " + r.getStatus().message), e);
        }
        return get(name);
    }

    Release awaitPhase(String name, String phase) {
        return awaitRelease(name, name + " phase " + phase, r -> phase.equals(r.getStatus().phase));
    }

    /** Revision number → spec replicas of its Deployment. */
    Map<Integer, Integer> replicasByRevision(String release) {
        return deployments(release).stream().collect(Collectors.toMap(
                d -> Integer.valueOf(d.getMetadata().getLabels().get(Labels.REVISION)),
                d -> d.getSpec().getReplicas()));
    }

    Map<Integer, Integer> availableByRevision(String release) {
        return deployments(release).stream().collect(Collectors.toMap(
                d -> Integer.valueOf(d.getMetadata().getLabels().get(Labels.REVISION)),
                d -> d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
                        : d.getStatus().getAvailableReplicas()));
    }

    List<Deployment> deployments(String release) {
        return client.apps().deployments().inNamespace(NS).withLabel(Labels.RELEASE, release).list().getItems();
    }

    Service service(String name) {
        return client.services().inNamespace(NS).withName(name).get();
    }

    /** Records every selector a Service takes from now on (the informer sees each update). */
    List<Map<String, String>> selectorHistory(String name) {
        List<Map<String, String>> history = new java.util.concurrent.CopyOnWriteArrayList<>();
        client.services().inNamespace(NS).withName(name).inform(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override
            public void onAdd(Service s) {
                history.add(Map.copyOf(s.getSpec().getSelector()));
            }

            @Override
            public void onUpdate(Service old, Service s) {
                history.add(Map.copyOf(s.getSpec().getSelector()));
            }

            @Override
            public void onDelete(Service s, boolean unknown) {
            }
        });
        return history;
    }

    List<Rollout> rollouts(String release) {
        return client.resources(Rollout.class).inNamespace(NS).withLabel(Labels.RELEASE, release).list().getItems()
                .stream().sorted(Comparator.comparing(r -> Integer.valueOf(r.getMetadata().getLabels()
                        .get(Labels.ROLLOUT_SEQUENCE)))).toList();
    }

    /** A new image for the Release's first container: a new revision. */
    void update(String name, String image) {
        edit(name, r -> {
            setImage(r, image);
            return r;
        });
    }

    /** The newest Rollout of a Release. */
    Rollout lastRollout(String name) {
        List<Rollout> all = rollouts(name);
        return all.get(all.size() - 1);
    }

    static void setImage(Release r, String image) {
        r.getSpec().template.getSpec().getContainers().get(0).setImage(image);
    }
}
