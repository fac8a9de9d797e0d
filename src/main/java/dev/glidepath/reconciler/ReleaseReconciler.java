package dev.glidepath.reconciler;

import dev.glidepath.analysis.MeasurementRound;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.credentials.AddressPolicy;
import dev.glidepath.credentials.CredentialCheck;
import dev.glidepath.credentials.Credentials;
import dev.glidepath.metrics.ReleaseMetrics;
import dev.glidepath.notify.ReleaseEvents;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.DecisionInput;
import dev.glidepath.strategy.ObservedState;
import dev.glidepath.strategy.ReleasePlanner;
import dev.glidepath.status.Conditions;
import dev.glidepath.workload.ForeignResourceException;
import dev.glidepath.workload.Labels;
import dev.glidepath.workload.ReleaseObserver;
import dev.glidepath.workload.WorkloadActuator;
import dev.glidepath.workload.WrittenResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Wires observe → decide → act → report for Releases. */
@ControllerConfiguration(name = ReleaseReconciler.NAME)
public class ReleaseReconciler implements Reconciler<Release> {
    public static final String NAME = "release";

    private final Clock clock;
    private final ReleaseMetrics metrics;
    private final CredentialCheck credentialCheck;
    private final dev.glidepath.notify.Webhooks webhooks = new dev.glidepath.notify.Webhooks(java.time.Duration.ofSeconds(5));

    @jakarta.inject.Inject
    public ReleaseReconciler(Clock clock, ReleaseMetrics metrics, AddressPolicy addresses) {
        this.clock = clock;
        this.metrics = metrics;
        this.credentialCheck = new CredentialCheck(addresses);
    }

    /** Outside the application (tests, sandbox): metrics go to a registry of their own. */
    public ReleaseReconciler(Clock clock, AddressPolicy addresses) {
        this(clock, new ReleaseMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), addresses);
    }

    public ReleaseReconciler(Clock clock) {
        this(clock, AddressPolicy.ANY);
    }

    @Override
    public List<EventSource<?, Release>> prepareEventSources(EventSourceContext<Release> context) {
        return List.of(
                informer(context, Deployment.class, "deployments"),
                informer(context, Service.class, "services"),
                informer(context, Rollout.class, "rollouts"),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, Release.class)
                        .withName("jobs")
                        .withLabelSelector(Labels.OWNED_SELECTOR)
                        // Migration Jobs belong to Rollouts; the release label leads back to the Release.
                        .withSecondaryToPrimaryMapper((Job job) -> Set.of(new ResourceID(
                                job.getMetadata().getLabels().get(Labels.RELEASE), job.getMetadata().getNamespace())))
                        .build(), context));
    }

    private static <R extends HasMetadata> InformerEventSource<R, Release> informer(EventSourceContext<Release> context,
            Class<R> type, String name) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Release.class)
                .withName(name)
                .withLabelSelector(Labels.OWNED_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Release.class, false))
                .build(), context);
    }

    @Override
    public UpdateControl<Release> reconcile(Release release, Context<Release> context) {
        KubernetesClient client = context.getClient();
        Set<Deployment> deployments = context.getSecondaryResources(Deployment.class);
        Set<Service> services = context.getSecondaryResources(Service.class);
        Set<Rollout> rollouts = context.getSecondaryResources(Rollout.class);
        Set<Job> jobs = context.getSecondaryResources(Job.class);

        ObservedState observed = ReleaseObserver.observe(release, deployments, services, rollouts, jobs,
                job -> failureLog(client, job));
        // The Secrets the spec names, read by name and checked (label, allowed addresses) before anything is sent.
        Credentials credentials = credentialCheck.check(client, release);
        Map<String, Measurement> measurements = credentials.usable() && MeasurementRound.due(release, clock.instant())
                ? new MeasurementRound(clock).take(release, credentials)
                : Map.of();
        Decision decision = ReleasePlanner.decide(new DecisionInput(release.getMetadata().getName(),
                release.getMetadata().getGeneration(), release.getSpec(), release.getStatus(), observed, clock.instant(),
                measurements, credentials.problems()));

        WrittenResources cache = new InformerCaches(context, release);
        WorkloadActuator actuator = new WorkloadActuator(client, cache);
        ReleaseEvents events = new ReleaseEvents(client, clock);
        // Evidence first: a Rollout's record (analysis failures included) is written before traffic moves, so
        // an operator that dies in between finds the reason to revert again on restart.
        Map<String, Rollout> rolloutsByName = actuator.writeRollouts(release, decision, rollouts);
        try {
            actuator.act(release, decision, deployments, services);
            actuator.createJobs(release, decision, jobs, rolloutsByName);
        } catch (ForeignResourceException e) {
            // Nothing of someone else's is touched; the Release says which field to fix and waits for it.
            ReleaseStatus status = decision.status();
            status.conditions = new Conditions(status.conditions, clock.instant(), release.getMetadata().getGeneration())
                    .set(Conditions.INVALID_SPEC, true, "ResourceConflict", e.getMessage())
                    .set(Conditions.DEGRADED, true, "ResourceConflict", e.getMessage())
                    .toList();
            status.phase = "Degraded";
            status.message = e.getMessage();
            writeStatus(context, release, status);
            if (!e.getMessage().equals(release.getStatus() == null ? null : release.getStatus().message)) {
                events.emit(release, List.of(new Decision.Note(true, "ResourceConflict", e.getMessage())));
            }
            return UpdateControl.<Release>noUpdate().rescheduleAfter(java.time.Duration.ofMinutes(1));
        }
        revertTimed(release, decision, measurements);
        writeStatus(context, release, decision.status());
        // After the status write: a conflict there retries the reconcile without repeating events or counts.
        events.emit(release, decision.events());
        webhooks.notify(release, decision, measurements, credentials, events, clock);
        metrics.decided(release, decision);
        metrics.reported(release, decision.status(), measurements);

        UpdateControl<Release> control = UpdateControl.noUpdate();
        decision.requeueAfter().ifPresent(control::rescheduleAfter);
        return control;
    }

    /** The tail of a failed migration Job's log, as its pod's termination message (read only for failed Jobs). */
    private static String failureLog(KubernetesClient client, Job job) {
        return client.pods().inNamespace(job.getMetadata().getNamespace()).withLabel("job-name", job.getMetadata().getName())
                .list().getItems().stream()
                .flatMap(p -> p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? java.util.stream.Stream.empty()
                        : p.getStatus().getContainerStatuses().stream())
                .map(cs -> cs.getState() == null || cs.getState().getTerminated() == null ? null : cs.getState().getTerminated().getMessage())
                .filter(java.util.Objects::nonNull)
                .reduce((a, b) -> b)
                .map(m -> m.length() > 2000 ? "..." + m.substring(m.length() - 2000) : m)
                .orElse(null);
    }

    /** A revert on a breach measured in this reconcile: how long from the measurement to traffic moved. */
    private void revertTimed(Release release, Decision decision, Map<String, Measurement> measurements) {
        if (decision.events().stream().anyMatch(n -> n.reason().equals("AnalysisFailed"))) {
            measurements.values().stream().filter(m -> "Fail".equals(m.verdict)).findFirst().ifPresent(m ->
                    metrics.reverted(release, java.time.Duration.between(java.time.Instant.parse(m.time), clock.instant())));
        }
    }

    /**
     * One status write per reconcile, only when something changed. The write is an update guarded by the
     * resourceVersion read (a 409 retries the reconcile on fresh state) and its result goes into the
     * primary cache, so the next reconcile never decides again from the status before it.
     */
    private static void writeStatus(Context<Release> context, Release release, ReleaseStatus next) {
        if (Objects.equals(Serialization.asJson(release.getStatus()), Serialization.asJson(next))) {
            return;
        }
        Release copy = Serialization.unmarshal(Serialization.asJson(release), Release.class);
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(copy, context, r -> {
            r.setStatus(next);
            return r;
        });
    }

    /** Feeds Glidepath's own writes into the informer caches. */
    private record InformerCaches(Context<Release> context, Release release) implements WrittenResources {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void created(HasMetadata resource) {
            source(resource).ifPresent(s -> s.handleRecentResourceCreate(ResourceID.fromResource(resource), resource));
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void updated(HasMetadata before, HasMetadata after) {
            source(after).ifPresent(s -> s.handleRecentResourceUpdate(ResourceID.fromResource(after), after, before));
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private java.util.Optional<InformerEventSource> source(HasMetadata resource) {
            try {
                return java.util.Optional.of((InformerEventSource) context.eventSourceRetriever()
                        .getEventSourceFor(resource.getClass()));
            } catch (RuntimeException e) {
                return java.util.Optional.empty();
            }
        }
    }
}
