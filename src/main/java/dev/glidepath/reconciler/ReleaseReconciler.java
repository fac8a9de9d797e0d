package dev.glidepath.reconciler;

import dev.glidepath.analysis.MeasurementSource;
import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.approval.ApprovalChecks;
import dev.glidepath.approval.ApprovalTrust;
import dev.glidepath.api.v1alpha1.Freeze;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.PromotionSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.credentials.CredentialCheck;
import dev.glidepath.credentials.Credentials;
import dev.glidepath.metrics.ReleaseMetrics;
import dev.glidepath.notify.ReleaseEvents;
import dev.glidepath.notify.Webhooks;
import dev.glidepath.strategy.ApprovalVote;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.DecisionInput;
import dev.glidepath.strategy.EventReason;
import dev.glidepath.strategy.ObservedState;
import dev.glidepath.strategy.PromotionCycle;
import dev.glidepath.strategy.ReleasePlanner;
import dev.glidepath.strategy.SpecValidator;
import dev.glidepath.strategy.StatusReport;
import dev.glidepath.strategy.UpstreamState;
import dev.glidepath.traffic.GatewayApiRouter;
import dev.glidepath.traffic.TrafficRouter;
import dev.glidepath.upstream.UpstreamClusterWatch;
import dev.glidepath.upstream.UpstreamClusters;
import dev.glidepath.upstream.UpstreamWatches;
import dev.glidepath.workflow.FreezeHold;
import dev.glidepath.workflow.Freezes;
import dev.glidepath.workload.AdoptionReader;
import dev.glidepath.workload.ForeignResourceException;
import dev.glidepath.workload.JobFailureLogs;
import dev.glidepath.workload.Labels;
import dev.glidepath.workload.ReleaseObserver;
import dev.glidepath.workload.WorkloadActuator;
import dev.glidepath.workload.WrittenResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Wires observe → decide → act → report for Releases. */
@ControllerConfiguration(name = ReleaseReconciler.NAME)
public class ReleaseReconciler implements Reconciler<Release>, Cleaner<Release>, ConfigurableReconciler<Release> {
    public static final String NAME = "release";
    private static final Logger LOG = Logger.getLogger(ReleaseReconciler.class);
    /**
     * A deleted Release gives back the routes it marked before it goes; when the API server keeps refusing that
     * for this long, it goes anyway (its routes then name Services that are gone: say so loudly).
     */
    static final Duration GIVE_BACK_LIMIT = Duration.ofMinutes(5);
    static final Duration GIVE_BACK_RETRY = Duration.ofSeconds(5);

    private final Clock clock;
    private final ReleaseMetrics metrics;
    /** After a refused status write, look again this soon even when nothing else is due. */
    static final Duration STATUS_RETRY = Duration.ofSeconds(5);
    /** A write that must not or cannot be made is tried again this often (and whenever the Release changes). */
    static final Duration BLOCKED_RETRY = Duration.ofSeconds(30);
    /** While a round of measurements is being taken, look again this often in case its wake-up is lost. */
    static final Duration ROUND_RECHECK = Duration.ofSeconds(1);

    private final CredentialCheck credentialCheck;
    private final MeasurementSource measurementSource;
    private final MeasurementWakeups wakeups;
    private final Webhooks webhooks;
    private final StatusWrites statuses = new StatusWrites();
    private final JobFailureLogs failureLogs = new JobFailureLogs();
    private final FreezeScope freezeScope;
    private final InvalidFreezes invalidFreezes = new InvalidFreezes();
    private final ApprovalChecks approvalChecks;
    private final RefusedApprovals refusedApprovals = new RefusedApprovals();
    private final Shard shard;
    private final UpstreamWatches upstreamWatches;

    public ReleaseReconciler(Clock clock, ReleaseMetrics metrics, CredentialCheck credentialCheck,
            MeasurementSource measurements, Webhooks webhooks, FreezeScope freezeScope) {
        this(clock, metrics, credentialCheck, measurements, webhooks, freezeScope, new ApprovalTrust(false), Shard.DEFAULT);
    }

    public ReleaseReconciler(Clock clock, ReleaseMetrics metrics, CredentialCheck credentialCheck,
            MeasurementSource measurements, Webhooks webhooks, FreezeScope freezeScope, ApprovalTrust approvalTrust, Shard shard) {
        this(clock, metrics, credentialCheck, measurements, webhooks, freezeScope, approvalTrust, shard,
                new UpstreamWatches(UpstreamClusters.NONE, freezeScope.globalNamespace(), clock));
    }

    /** With the watches of the upstream clusters Releases may name ({@code glidepath.upstream-clusters}). */
    @Inject
    public ReleaseReconciler(Clock clock, ReleaseMetrics metrics, CredentialCheck credentialCheck,
            MeasurementSource measurements, Webhooks webhooks, FreezeScope freezeScope, ApprovalTrust approvalTrust, Shard shard,
            UpstreamWatches upstreamWatches) {
        this.upstreamWatches = upstreamWatches;
        this.shard = shard;
        this.approvalChecks = new ApprovalChecks(approvalTrust.trustUnverified(), clock);
        this.freezeScope = freezeScope;
        this.clock = clock;
        this.metrics = metrics;
        this.credentialCheck = credentialCheck;
        this.measurementSource = measurements;
        this.wakeups = new MeasurementWakeups(measurements);
        this.webhooks = webhooks;
    }

    /** The informer of Releases holds this instance's shard only, each Release trimmed to what is read of it. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<Release> overrider) {
        overrider.withLabelSelector(shard.selector());
        overrider.withItemStore(TrimmedStore.releases());
    }

    @Override
    public List<EventSource<?, Release>> prepareEventSources(EventSourceContext<Release> context) {
        UpstreamWakeups upstreamWakeups = new UpstreamWakeups(context);
        upstreamWatches.onChange(upstreamWakeups::wakeFromCluster);
        return List.of(
                wakeups,
                upstreamWakeups,
                new RouteWakeups(context, clock),
                informer(context, Deployment.class, "deployments", TrimmedStore.deployments()),
                // Services are updated whole from the cached copy: only their managedFields may go.
                informer(context, Service.class, "services", TrimmedStore.withoutManagedFields()),
                informer(context, Rollout.class, "rollouts", TrimmedStore.plainObjects()),
                // An adopted Deployment, labelled once the adoption scales it: someone scaling it up again is noticed.
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, Release.class)
                        .withName("adopted")
                        .withLabelSelector(Labels.ADOPTED_BY)
                        .withItemStore(TrimmedStore.deployments())
                        .withSecondaryToPrimaryMapper((Deployment d) -> Set.of(new ResourceID(
                                d.getMetadata().getLabels().get(Labels.ADOPTED_BY), d.getMetadata().getNamespace())))
                        .build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, Release.class)
                        .withName("jobs")
                        .withLabelSelector(Labels.OWNED_SELECTOR)
                        .withItemStore(TrimmedStore.jobs())
                        // Migration Jobs belong to Rollouts; the release label leads back to the Release.
                        .withSecondaryToPrimaryMapper((Job job) -> Set.of(new ResourceID(
                                job.getMetadata().getLabels().get(Labels.RELEASE), job.getMetadata().getNamespace())))
                        .build(), context),
                // An Approval wakes the Release it names.
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Approval.class, Release.class)
                        .withName("approvals")
                        .withItemStore(TrimmedStore.plainObjects())
                        .withSecondaryToPrimaryMapper((Approval a) -> a.getSpec() == null || a.getSpec().release == null ? Set.of()
                                : Set.of(new ResourceID(a.getSpec().release, a.getMetadata().getNamespace())))
                        .build(), context),
                // A Freeze wakes every Release it may cover: those of its namespace, or all from the operator's.
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Freeze.class, Release.class)
                        .withName("freezes")
                        .withItemStore(TrimmedStore.plainObjects())
                        .withSecondaryToPrimaryMapper((Freeze f) -> context.getPrimaryCache()
                                .list(r -> f.getMetadata().getNamespace().equals(freezeScope.globalNamespace())
                                        || f.getMetadata().getNamespace().equals(r.getMetadata().getNamespace()))
                                .map(ResourceID::fromResource).collect(Collectors.toSet()))
                        .build(), context));
    }

    /**
     * The upstream Releases its spec.promotion names: those of this cluster from the cache of Releases (no read of its
     * own), those of a configured upstream cluster from that cluster's watch (started on first use), with why the
     * cluster cannot be trusted now. A cluster that is not configured is not read at all (it is refused).
     */
    private List<UpstreamState> upstreams(Context<Release> context, KubernetesClient client, Release release, ReleaseSpec spec) {
        if (spec == null || spec.promotion == null || spec.promotion.from == null) {
            return List.of();
        }
        return spec.promotion.from.stream().filter(u -> u != null && u.release != null
                && (u.cluster == null || upstreamWatches.clusters().configured(u.cluster))).map(u -> {
            String ns = u.namespace == null ? release.getMetadata().getNamespace() : u.namespace;
            if (u.cluster == null) {
                Release upstream = context.getPrimaryCache().get(new ResourceID(u.release, ns)).orElse(null);
                return withStableRollout(new UpstreamState(ns, u.release, upstream), u,
                        name -> localRollouts(context).get(new ResourceID(name, ns)).orElse(null));
            }
            UpstreamClusterWatch watch = upstreamWatches.watch(u.cluster, client);
            return watch.problem(clock.instant()).map(why -> UpstreamState.unreadable(u.cluster, ns, u.release, why))
                    .orElseGet(() -> withStableRollout(UpstreamState.remote(u.cluster, ns, u.release,
                            watch.release(ns, u.release).orElse(null)), u, name -> watch.rollout(ns, name).orElse(null)));
        }).toList();
    }

    /** With requireAnalysis, the Rollout that made the upstream's stable revision stable, for its analysis. */
    private static UpstreamState withStableRollout(UpstreamState up, PromotionSpec.Upstream ref, Function<String, Rollout> rollouts) {
        if (ref.requireAnalysis == null || up.release() == null || up.release().getStatus() == null
                || up.release().getStatus().stableRollout == null) {
            return up;
        }
        return up.withStableRollout(rollouts.apply(up.release().getStatus().stableRollout));
    }

    @SuppressWarnings("unchecked")
    private static InformerEventSource<Rollout, Release> localRollouts(Context<Release> context) {
        return (InformerEventSource<Rollout, Release>) context.eventSourceRetriever().getEventSourceFor(Rollout.class, "rollouts");
    }

    /** A promotion cycle through this Release, found in the cache of Releases: it would wait forever. */
    private static Optional<String> promotionCycle(Context<Release> context, Release release, ReleaseSpec spec) {
        if (spec == null || spec.promotion == null) {
            return Optional.empty();
        }
        return PromotionCycle.through(new PromotionCycle.Ref(release.getMetadata().getNamespace(), release.getMetadata().getName()),
                spec, ref -> context.getPrimaryCache().get(new ResourceID(ref.name(), ref.namespace())).map(Release::getSpec).orElse(null));
    }

    /** The Freezes covering a Release, from the informer's cache; an invalid one says so on itself. */
    @SuppressWarnings("unchecked")
    private List<FreezeHold> freezes(Context<Release> context, Release release, ReleaseEvents events) {
        var source = (InformerEventSource<Freeze, Release>) context.eventSourceRetriever().getEventSourceFor(Freeze.class, "freezes");
        List<Freeze> all = source.list(f -> true).toList();
        List<FreezeHold> covering = Freezes.covering(release, all, freezeScope.globalNamespace());
        invalidFreezes.report(covering, all, events);
        return covering;
    }

    /**
     * The Approvals of a Release that requires them by role, each checked (verified identity, RBAC); a refusal is
     * said once on the Release too, naming who and why.
     */
    @SuppressWarnings("unchecked")
    private List<ApprovalVote> approvals(Context<Release> context, Release release, ReleaseSpec spec, ReleaseStatus current,
            ReleaseEvents events) {
        if (spec == null || spec.approval == null || spec.approval.roles == null) {
            return List.of();
        }
        var source = (InformerEventSource<Approval, Release>) context.eventSourceRetriever().getEventSourceFor(Approval.class, "approvals");
        String name = release.getMetadata().getName();
        List<Approval> mine = source.list(release.getMetadata().getNamespace(), a -> a.getSpec() != null && name.equals(a.getSpec().release))
                .toList();
        // Revisions that may still start: newer than the stable one, or an older one kept (a template reverted to it).
        int stable = current == null || current.stableRevision == null ? 0 : current.stableRevision;
        Set<Integer> kept = current == null || current.revisions == null ? Set.of() : current.revisions.stream()
                .map(r -> r.number).filter(Objects::nonNull).collect(Collectors.toSet());
        List<ApprovalVote> votes = approvalChecks.check(context.getClient(), release, mine,
                revision -> revision > stable || revision != stable && kept.contains(revision));
        refusedApprovals.report(release, votes, events);
        return votes;
    }

    /** The field manager that last wrote the Release's template: who (which tool) triggered the revision. */
    private static String triggeredBy(Release release) {
        var fields = release.getMetadata().getManagedFields();
        if (fields == null) {
            return null;
        }
        return fields.stream().filter(TrimmedStore::setsTemplate)
                .max(Comparator.comparing(f -> f.getTime() == null ? "" : f.getTime()))
                .map(f -> f.getManager()).orElse(null);
    }

    private static <R extends HasMetadata> InformerEventSource<R, Release> informer(EventSourceContext<Release> context,
            Class<R> type, String name, TrimmedStore<R> store) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Release.class)
                .withName(name)
                .withItemStore(store)
                .withLabelSelector(Labels.OWNED_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Release.class, false))
                .build(), context);
    }

    @Override
    public UpdateControl<Release> reconcile(Release release, Context<Release> context) {
        if (!shard.owns(release)) {
            // Moved to another shard since it was queued: that shard's instance takes it from its recorded status.
            LOG.infof("%s/%s: now in another shard (%s=%s); let go", release.getMetadata().getNamespace(), release.getMetadata().getName(),
                    Shard.LABEL, release.getMetadata().getLabels().get(Shard.LABEL));
            measurementSource.forget(release);
            metrics.forget(release);
            return UpdateControl.noUpdate();
        }
        KubernetesClient client = context.getClient();
        Set<Deployment> deployments = context.getSecondaryResources(Deployment.class);
        Set<Service> services = context.getSecondaryResources(Service.class);
        Set<Rollout> rollouts = context.getSecondaryResources(Rollout.class);
        Set<Job> jobs = context.getSecondaryResources(Job.class);
        ReleaseEvents events = new ReleaseEvents(client, clock);

        // What could not be read is marked on the objects the informer holds; the copy handed to this reconcile
        // was serialized again and lost the mark.
        Release read = context.getPrimaryCache().get(ResourceID.fromResource(release)).orElse(release);
        ReleaseSpec spec = read.getSpec() != null && read.getSpec().unreadable().isPresent() ? read.getSpec() : release.getSpec();
        ReleaseStatus current = read.getStatus() != null && read.getStatus().unreadable().isPresent() ? read.getStatus()
                : statuses.current(release);
        if (current != null && current.unreadable().isPresent()) {
            // Glidepath's own record cannot be read (edited by hand): start again from what the cluster shows.
            events.emit(release, List.of(new Decision.Note(true, EventReason.STATUS_UNREADABLE, current.unreadable().get()
                    + "; the status is rebuilt from the cluster")));
            current = null;
        }
        // The Secrets the spec names, read by name (recent reads are kept) and checked (label, allowed addresses)
        // before anything is sent.
        Credentials credentials = credentialCheck.check(client, release);
        // A due round is taken off this thread. A decision is always made with the round due, so none is made
        // until its answers are in: they wake this Release (within the query timeout).
        MeasurementSource.Measurements round = measurementSource.measure(release, current, credentials, wakeups.wake(release));
        if (round.inFlight()) {
            return UpdateControl.<Release>noUpdate().rescheduleAfter(ROUND_RECHECK);
        }
        Map<String, Measurement> measurements = round.taken();
        // The routes a Release names, the Deployment an adoption names and the Service it takes over are not the
        // Release's (yet), so not in the informers: read fresh each time, only for a spec that can be acted on.
        boolean actionable = spec != null && SpecValidator.validate(release.getMetadata().getName(), spec).isEmpty();
        // A Release that routed last time (a canary Service in its status) still reads the routes after its
        // routing is removed, to give back the ones it marked.
        boolean routing = spec != null && spec.trafficRouting != null || current != null && current.canaryService != null;
        Optional<TrafficRouter> router = actionable && routing ? Optional.of(new GatewayApiRouter(client)) : Optional.empty();
        Optional<TrafficRouter.Reading> routes = router.map(r -> r.read(release));
        Optional<AdoptionReader.Reading> adoption = actionable && spec.adopt != null ? Optional.of(AdoptionReader.read(client, read))
                : Optional.empty();
        List<String> problems = new ArrayList<>(credentials.problems());
        routes.ifPresent(r -> problems.addAll(r.problems()));
        adoption.ifPresent(a -> problems.addAll(a.problems()));
        promotionCycle(context, release, spec).ifPresent(problems::add);
        if (spec != null) {
            problems.addAll(upstreamWatches.clusters().refusals(spec.promotion));
        }
        ObservedState observed = ReleaseObserver.observe(release, deployments, services, rollouts, jobs,
                job -> failureLogs.tail(client, job)).withRoutedWeight(routes.flatMap(TrafficRouter.Reading::canaryWeight))
                .withAdoptee(adoption.flatMap(AdoptionReader.Reading::adoptee));
        Decision decision = ReleasePlanner.decide(new DecisionInput(release.getMetadata().getName(),
                release.getMetadata().getGeneration(), spec, current, observed, clock.instant(),
                measurements, problems).withFreezes(freezes(context, release, events)).withUpstreams(upstreams(context, client, release, spec))
                .withApprovals(approvals(context, release, spec, current, events)).withTriggeredBy(triggeredBy(read)));

        if (routes.map(TrafficRouter.Reading::givesBack).orElse(false) && decision.status().canaryService == null && current != null) {
            // Until the routes are given back, the status keeps saying this Release routed: a failed give-back is
            // tried again on the next reconcile, and the Release's deletion gives them back too.
            decision.status().canaryService = current.canaryService;
        }
        WrittenResources cache = new InformerCaches(context, release);
        WorkloadActuator actuator = new WorkloadActuator(client, cache, clock);
        try {
            // Evidence first: a Rollout's record (analysis failures included) is written before traffic moves, so
            // an operator that dies in between finds the reason to revert again on restart.
            actuator.checkServiceNames(release, decision, services);
            Map<String, Rollout> rolloutsByName = actuator.writeRollouts(release, decision, rollouts);
            // Routes no longer named go back to their owner's weights before any Service or pod they send to goes.
            routes.ifPresent(r -> router.get().giveBack(release, r).forEach(name ->
                    LOG.infof("%s/%s: HTTPRoute %s given back (no longer in spec.trafficRouting)", release.getMetadata().getNamespace(),
                            release.getMetadata().getName(), name)));
            actuator.act(release, decision, deployments, services,
                    split -> routes.ifPresent(r -> router.get().apply(release, r, split)));
            actuator.createJobs(release, decision, jobs, rolloutsByName);
            // Routing removed and every route given back: the canary Service goes once no route sends to it.
            String canary = current == null ? null : current.canaryService;
            if (canary != null && spec.trafficRouting == null && decision.status().canaryService == null && routes.isPresent()
                    && !routes.get().givesBack()) {
                if (routes.get().sendsTo(canary)) {
                    // A route still sends to it: it stays, and so does the status's record of it, until none does.
                    decision.status().canaryService = canary;
                } else {
                    actuator.retireService(release, canary, services);
                }
            }
        } catch (ForeignResourceException e) {
            // Nothing of someone else's is touched; the Release says which field to fix and waits for it.
            return blocked(context, release, decision, events, EventReason.RESOURCE_CONFLICT, e.getMessage(), true);
        } catch (KubernetesClientException e) {
            if (!refusal(e)) {
                throw e;
            }
            // The API server will refuse the same write again: say why, quoting it, and try again later.
            String message = "the API server refused a write (" + e.getCode() + "): " + serverMessage(e);
            return blocked(context, release, decision, events, EventReason.WRITE_REJECTED, message, false);
        }
        revertTimed(release, decision, measurements);
        boolean written = statuses.write(context, release, decision.status());
        // After the status write; a status the API server refused is decided from again, without repeating these.
        events.emit(release, decision.events());
        webhooks.notify(release, decision, measurements, credentials, events, clock);
        metrics.decided(release, decision);
        metrics.reported(release, decision.status(), measurements);

        UpdateControl<Release> control = UpdateControl.noUpdate();
        Optional<Duration> next = decision.requeueAfter();
        if (!written) {
            next = Optional.of(next.filter(d -> d.compareTo(STATUS_RETRY) < 0).orElse(STATUS_RETRY));
        }
        next.ifPresent(control::rescheduleAfter);
        return control;
    }

    /**
     * A Release being deleted first gives back the routes it marked (a rollout in flight sends part of the traffic
     * to a canary Service that goes with the Release); its Deployments and Services then go by garbage collection.
     */
    @Override
    public DeleteControl cleanup(Release release, Context<Release> context) {
        if (!shard.owns(release)) {
            // Another shard's instance gives back its routes and removes the finalizer.
            return DeleteControl.noFinalizerRemoval();
        }
        metrics.forget(release);
        boolean routing = release.getSpec() != null && release.getSpec().trafficRouting != null
                || release.getStatus() != null && release.getStatus().canaryService != null;
        if (!routing) {
            return DeleteControl.defaultDelete();
        }
        String name = release.getMetadata().getNamespace() + "/" + release.getMetadata().getName();
        try {
            new GatewayApiRouter(context.getClient()).giveBackAll(release)
                    .forEach(route -> LOG.infof("%s: HTTPRoute %s given back (Release deleted)", name, route));
            return DeleteControl.defaultDelete();
        } catch (KubernetesClientException e) {
            String deleted = release.getMetadata().getDeletionTimestamp();
            if (deleted != null && clock.instant().isAfter(Instant.parse(deleted).plus(GIVE_BACK_LIMIT))) {
                LOG.errorf("%s: deleted without giving back its HTTPRoutes after %s of refusals (%d: %s); remove its canary backendRef"
                        + " and header rules from them by hand", name, GIVE_BACK_LIMIT, e.getCode(), serverMessage(e));
                return DeleteControl.defaultDelete();
            }
            LOG.warnf("%s: cannot give back its HTTPRoutes yet (%d: %s); trying again", name, e.getCode(), serverMessage(e));
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(GIVE_BACK_RETRY);
        }
    }

    /**
     * A write Glidepath must not or cannot make: the Release's conditions say why, with a Warning Event when
     * the reason is new, and it is looked at again later (or when the Release changes).
     */
    private UpdateControl<Release> blocked(Context<Release> context, Release release, Decision decision, ReleaseEvents events,
            EventReason reason, String message, boolean invalidSpec) {
        ReleaseStatus status = decision.status();
        StatusReport.Report report = StatusReport.blocked(reason, message, invalidSpec, status.conditions, clock.instant(),
                release.getMetadata().getGeneration());
        report.applyTo(status);
        ReleaseStatus before = statuses.current(release);
        statuses.write(context, release, status);
        if (before == null || !message.equals(before.message)) {
            events.emit(release, report.notes());
        }
        return UpdateControl.<Release>noUpdate().rescheduleAfter(BLOCKED_RETRY);
    }

    /** Refusals that repeat until the spec or the permissions change: invalid, forbidden, bad request. */
    private static boolean refusal(KubernetesClientException e) {
        return e.getCode() == 400 || e.getCode() == 403 || e.getCode() == 422;
    }

    private static String serverMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    /** A revert on a breach measured in this reconcile: how long from the measurement to traffic moved. */
    private void revertTimed(Release release, Decision decision, Map<String, Measurement> measurements) {
        if (decision.events().stream().anyMatch(n -> n.kind() == EventReason.ANALYSIS_FAILED)) {
            measurements.values().stream().filter(m -> "Fail".equals(m.verdict)).findFirst().ifPresent(m ->
                    metrics.reverted(release, Duration.between(Instant.parse(m.time), clock.instant())));
        }
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
        private Optional<InformerEventSource> source(HasMetadata resource) {
            try {
                // By name: Deployments have two sources (the Release's revisions, and adopted Deployments).
                String name = switch (resource.getKind()) {
                    case "Deployment" -> "deployments";
                    case "Service" -> "services";
                    case "Rollout" -> "rollouts";
                    case "Job" -> "jobs";
                    default -> null;
                };
                return Optional.of((InformerEventSource) context.eventSourceRetriever().getEventSourceFor(resource.getClass(), name));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
