package dev.glidepath.workload;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tail of a failed Job's log, from its pods' termination messages. A failed Job does not change, so its
 * pods are listed once and the tail kept (by Job uid) for every later reconcile.
 */
public final class JobFailureLogs {
    static final int MAX_TAIL = 2000;
    private static final int MAX_KEPT = 1024;

    private final Map<String, Optional<String>> byJob = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
            return size() > MAX_KEPT;
        }
    };

    public synchronized String tail(KubernetesClient client, Job job) {
        String uid = job.getMetadata().getUid() == null ? job.getMetadata().getName() : job.getMetadata().getUid();
        return byJob.computeIfAbsent(uid, k -> read(client, job)).orElse(null);
    }

    private static Optional<String> read(KubernetesClient client, Job job) {
        return client.pods().inNamespace(job.getMetadata().getNamespace()).withLabel("job-name", job.getMetadata().getName())
                .list().getItems().stream()
                .map(Pod::getStatus)
                .filter(Objects::nonNull)
                .filter(s -> s.getContainerStatuses() != null)
                .flatMap(s -> s.getContainerStatuses().stream())
                .map(JobFailureLogs::terminationMessage)
                .filter(Objects::nonNull)
                .reduce((a, b) -> b)
                .map(m -> m.length() > MAX_TAIL ? "..." + m.substring(m.length() - MAX_TAIL) : m);
    }

    private static String terminationMessage(ContainerStatus cs) {
        return cs.getState() == null || cs.getState().getTerminated() == null ? null : cs.getState().getTerminated().getMessage();
    }
}
