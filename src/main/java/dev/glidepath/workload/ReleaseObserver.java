package dev.glidepath.workload;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.strategy.ObservedState;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Reads what exists for a Release into one plain value. */
public final class ReleaseObserver {

    private ReleaseObserver() {
    }

    public static ObservedState observe(Release release, Collection<Deployment> deployments, Collection<Service> services,
            Collection<Rollout> rollouts) {
        return observe(release, deployments, services, rollouts, List.of(), job -> null);
    }

    /**
     * With the Release's migration Jobs; {@code failureLog} gives the tail of a failed Job's log (read only for
     * failed Jobs).
     */
    public static ObservedState observe(Release release, Collection<Deployment> deployments, Collection<Service> services,
            Collection<Rollout> rollouts, Collection<Job> jobs,
            Function<Job, String> failureLog) {
        String name = release.getMetadata().getName();
        Map<Integer, ObservedState.ObservedRevision> revisions = new HashMap<>();
        for (Deployment d : deployments) {
            if (!belongs(d.getMetadata().getLabels(), name)) {
                continue;
            }
            Integer number = parse(d.getMetadata().getLabels().get(Labels.REVISION));
            if (number == null) {
                continue;
            }
            revisions.put(number, revision(number, d));
        }
        Optional<ObservedState.ObservedService> stable = service(services, release.getSpec() == null
                || release.getSpec().service == null ? null : release.getSpec().service.name);
        String preview = release.getSpec() != null && release.getSpec().strategy != null
                && release.getSpec().strategy.blueGreen != null ? release.getSpec().strategy.blueGreen.previewService : null;
        Map<String, ObservedState.ObservedRollout> observedRollouts = new HashMap<>();
        for (Rollout r : rollouts) {
            if (!belongs(r.getMetadata().getLabels(), name)) {
                continue;
            }
            Integer seq = parse(r.getMetadata().getLabels().get(Labels.ROLLOUT_SEQUENCE));
            observedRollouts.put(r.getMetadata().getName(), new ObservedState.ObservedRollout(r.getMetadata().getName(),
                    seq == null ? 0 : seq, r.getSpec() == null ? null : r.getSpec().fromRevision,
                    r.getSpec() == null ? null : r.getSpec().toRevision, r.getStatus()));
        }
        Map<String, ObservedState.ObservedJob> observedJobs = new HashMap<>();
        for (var job : jobs) {
            if (!belongs(job.getMetadata().getLabels(), name)) {
                continue;
            }
            var st = job.getStatus();
            boolean succeeded = st != null && st.getSucceeded() != null && st.getSucceeded() > 0;
            boolean failed = !succeeded && st != null && st.getConditions() != null && st.getConditions().stream()
                    .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
            observedJobs.put(job.getMetadata().getName(), new ObservedState.ObservedJob(job.getMetadata().getName(), succeeded,
                    failed, failed ? failureLog.apply(job) : null, timestamp(job.getMetadata().getCreationTimestamp())));
        }
        return new ObservedState(revisions, stable, service(services, preview), observedRollouts, observedJobs);
    }

    private static ObservedState.ObservedRevision revision(int number, Deployment d) {
        Map<String, String> ann = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
        int spec = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        // Never more than asked for: a count reported for an older generation may include pods going away.
        int available = d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
                : d.getStatus().getAvailableReplicas();
        List<String> images = ann.get(Labels.IMAGES) == null ? List.of() : Arrays.asList(ann.get(Labels.IMAGES).split(","));
        return new ObservedState.ObservedRevision(number, ann.get(Labels.TEMPLATE_HASH), d.getMetadata().getName(), spec,
                Math.min(available, spec), ann.get(Labels.VERSION), images, ann.get(Labels.CREATED));
    }

    private static Optional<ObservedState.ObservedService> service(Collection<Service> services, String name) {
        if (name == null) {
            return Optional.empty();
        }
        return services.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst().map(s -> {
            Map<String, String> selector = s.getSpec() == null || s.getSpec().getSelector() == null ? Map.of()
                    : s.getSpec().getSelector();
            Map<String, String> ann = s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
            return new ObservedState.ObservedService(name, Optional.ofNullable(parse(selector.get(Labels.REVISION))),
                    Optional.ofNullable(parse(ann.get(Labels.STABLE_REVISION))));
        });
    }

    private static Optional<Instant> timestamp(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean belongs(Map<String, String> labels, String release) {
        return labels != null && release.equals(labels.get(Labels.RELEASE));
    }

    private static Integer parse(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
