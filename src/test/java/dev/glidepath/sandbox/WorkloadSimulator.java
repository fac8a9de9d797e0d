package dev.glidepath.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays kubelet and the Deployment controller for the sandbox: a Deployment's pods become available
 * {@code readyDelay} after it asks for them; scaling down takes effect at once. A pod template whose
 * first image has the tag {@code broken} (or that carries the annotation {@value #BROKEN}) never becomes
 * available, like a crash loop.
 */
public final class WorkloadSimulator implements AutoCloseable {
    public static final String BROKEN = "sandbox.glidepath.dev/broken";

    private final KubernetesClient client;
    private final Duration readyDelay;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "workload-simulator");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private SharedIndexInformer<Deployment> informer;
    private SharedIndexInformer<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs;

    public WorkloadSimulator(KubernetesClient client, Duration readyDelay) {
        this.client = client;
        this.readyDelay = readyDelay;
    }

    public WorkloadSimulator start() {
        informer = client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                observe(d);
            }

            @Override
            public void onUpdate(Deployment old, Deployment d) {
                observe(d);
            }

            @Override
            public void onDelete(Deployment d, boolean unknown) {
                pending.remove(key(d));
            }
        });
        jobs = client.batch().v1().jobs().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(io.fabric8.kubernetes.api.model.batch.v1.Job job) {
                timer.schedule(() -> finish(job), readyDelay.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void onUpdate(io.fabric8.kubernetes.api.model.batch.v1.Job old, io.fabric8.kubernetes.api.model.batch.v1.Job job) {
            }

            @Override
            public void onDelete(io.fabric8.kubernetes.api.model.batch.v1.Job job, boolean unknown) {
            }
        });
        return this;
    }

    /**
     * Plays the Job controller: a Job whose first image has the tag {@code broken} fails, its pod's termination
     * message carrying the container's SIMULATED_LOG (the log tail a real pod would leave); {@code slow} never
     * finishes; any other succeeds.
     */
    private void finish(io.fabric8.kubernetes.api.model.batch.v1.Job job) {
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        String image = container.getImage() == null ? "" : container.getImage();
        if (image.endsWith(":slow")) {
            return;
        }
        boolean broken = image.endsWith(":broken");
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        if (broken) {
            String log = container.getEnv() == null ? "exit status 1" : container.getEnv().stream()
                    .filter(e -> "SIMULATED_LOG".equals(e.getName())).map(e -> e.getValue()).findFirst().orElse("exit status 1");
            client.pods().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName(name + "-pod").withNamespace(ns).addToLabels("job-name", name).endMetadata()
                    .withNewSpec().withContainers(container).withRestartPolicy("Never").endSpec()
                    .withNewStatus().withPhase("Failed").addNewContainerStatus().withName(container.getName())
                    .withNewState().withNewTerminated().withExitCode(1).withMessage(log).endTerminated().endState()
                    .endContainerStatus().endStatus().build()).create();
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            var current = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
            if (current == null) {
                return;
            }
            current.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                    .withSucceeded(broken ? 0 : 1).withFailed(broken ? 1 : 0)
                    .addNewCondition().withType(broken ? "Failed" : "Complete").withStatus("True").endCondition()
                    .build());
            try {
                client.batch().v1().jobs().inNamespace(ns).resource(current).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    return;
                }
            }
        }
    }

    private void observe(Deployment d) {
        int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        DeploymentStatus s = d.getStatus();
        int available = s == null || s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas();
        boolean settled = s != null && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
                && s.getReplicas() != null && s.getReplicas() == wanted;
        if (settled && (available == wanted || isBroken(d))) {
            return;
        }
        long delay = wanted <= available || isBroken(d) ? 0 : readyDelay.toMillis();
        String key = key(d);
        ScheduledFuture<?> previous = pending.put(key, timer.schedule(() -> settle(d.getMetadata().getNamespace(),
                d.getMetadata().getName()), delay, TimeUnit.MILLISECONDS));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void settle(String namespace, String name) {
        pending.remove(namespace + "/" + name);
        for (int attempt = 0; attempt < 5; attempt++) {
            Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
            if (d == null) {
                return;
            }
            int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            int ready = isBroken(d) ? 0 : wanted;
            d.setStatus(new DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(wanted)
                    .withUpdatedReplicas(wanted)
                    .withReadyReplicas(ready)
                    .withAvailableReplicas(ready)
                    .withUnavailableReplicas(wanted - ready)
                    .build());
            try {
                client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    return;
                }
            }
        }
    }

    public static boolean isBroken(Deployment d) {
        var template = d.getSpec().getTemplate();
        if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null
                && "true".equals(template.getMetadata().getAnnotations().get(BROKEN))) {
            return true;
        }
        var containers = template.getSpec() == null ? null : template.getSpec().getContainers();
        return containers != null && !containers.isEmpty() && containers.get(0).getImage() != null
                && containers.get(0).getImage().endsWith(":broken");
    }

    private static String key(Deployment d) {
        return d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        if (jobs != null) {
            jobs.close();
        }
        timer.shutdownNow();
    }
}
