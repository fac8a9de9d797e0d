package dev.glidepath.strategy;

import dev.glidepath.analysis.MeasurementRound;
import dev.glidepath.analysis.StandardMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.workflow.FreezeHold;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A tiny stand-in for the cluster around one Release: Deployments per revision (with pod availability the
 * test controls), the stable and preview Services and the Rollouts. {@link #reconcile()} decides from what
 * it holds and applies the decision the way the workload actuator does; time moves only when told to.
 */
final class SimulatedCluster {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A revision's Deployment. */
    static final class Deployment {
        final int number;
        final String templateHash;
        final String version;
        final List<String> images;
        final String created;
        int specReplicas;
        int available;

        Deployment(int number, String templateHash, String version, List<String> images, String created, int specReplicas) {
            this.number = number;
            this.templateHash = templateHash;
            this.version = version;
            this.images = images;
            this.created = created;
            this.specReplicas = specReplicas;
        }
    }

    /** A Service: the revision its selector pins (null: every revision) and the stable-revision annotation. */
    record Service(Integer selected, Integer stableAnnotation) {
    }

    record RolloutObject(String name, int sequence, Integer fromRevision, Integer toRevision, RolloutStatus status) {
    }

    ReleaseSpec spec;
    ReleaseStatus status;
    long generation = 1;
    Instant now = T0;
    final Map<Integer, Deployment> deployments = new TreeMap<>();
    Service stableService;
    Service previewService;
    /** With a traffic router: the canary Service, and the split the routes hold. */
    Service canaryService;
    TrafficSplit traffic = TrafficSplit.NONE;
    /** With spec.adopt: the Deployment being adopted (null: none), and whether a Service not owned yet holds the name. */
    Integer adopteeSpec;
    int adopteeAvailable;
    boolean serviceToTakeOver;
    /** The routes' split after each reconcile since the last {@link #deployed()}. */
    final List<TrafficSplit> trafficHistory = new ArrayList<>();
    final Map<String, RolloutObject> rollouts = new LinkedHashMap<>();
    /** Pods of revisions running one of these images never become available. */
    final Set<String> brokenImages = new HashSet<>();
    /** How many pods of each revision become available per {@link #podsStart()}. */
    int podsReadyPerTick = Integer.MAX_VALUE;
    final List<Decision.Note> events = new ArrayList<>();
    /** Replicas per revision after each reconcile since the last {@link #deployed()}. */
    final List<Map<Integer, Integer>> history = new ArrayList<>();
    Decision last;

    SimulatedCluster(ReleaseSpec spec) {
        this.spec = spec;
    }

    // ---- observe / decide / act -------------------------------------------------------------------

    ObservedState observe() {
        Map<Integer, ObservedState.ObservedRevision> revs = new TreeMap<>();
        for (Deployment d : deployments.values()) {
            revs.put(d.number, new ObservedState.ObservedRevision(d.number, d.templateHash, Specs.NAME + "-" + d.templateHash,
                    d.specReplicas, Math.min(d.available, d.specReplicas), d.version, d.images, d.created));
        }
        Map<String, ObservedState.ObservedRollout> obs = new TreeMap<>();
        for (RolloutObject r : rollouts.values()) {
            obs.put(r.name(), new ObservedState.ObservedRollout(r.name(), r.sequence(), r.fromRevision(), r.toRevision(), copy(r.status(),
                    RolloutStatus.class)));
        }
        return new ObservedState(revs, service(Specs.NAME, stableService), service(Specs.NAME + "-preview", previewService), obs)
                .withRoutedWeight(traffic.active() ? Optional.of(traffic.canaryWeight()) : Optional.empty())
                .withAdoptee(adopteeSpec == null ? Optional.empty()
                        : Optional.of(new ObservedState.ObservedAdoptee("legacy", adopteeSpec, adopteeAvailable, serviceToTakeOver)));
    }

    private static Optional<ObservedState.ObservedService> service(String name, Service s) {
        return s == null ? Optional.empty()
                : Optional.of(new ObservedState.ObservedService(name, Optional.ofNullable(s.selected()),
                        Optional.ofNullable(s.stableAnnotation())));
    }

    /** The verdict (Pass, Fail, Inconclusive) each metric gets when measured; null: analysis is not measured. */
    java.util.function.Function<String, String> measuring;
    /** Times at which a round of measurements was taken. */
    final List<Instant> measuredAt = new ArrayList<>();
    /** What the credential check found wrong with the Secrets and addresses the spec names. */
    final List<String> clusterProblems = new ArrayList<>();
    /** The Freezes covering the Release. */
    final List<FreezeHold> freezes = new ArrayList<>();
    /** The upstream Releases spec.promotion names, as the operator's cache holds them. */
    final List<UpstreamState> upstreams = new ArrayList<>();
    /** The Release's Approvals as the reconciler found them (counted or refused). */
    final List<ApprovalVote> approvals = new ArrayList<>();
    /** The field manager that last wrote the template. */
    String triggeredBy;

    DecisionInput input() {
        Map<String, dev.glidepath.api.v1alpha1.Measurement> round = new LinkedHashMap<>();
        // As the reconciler: no round is taken while a Secret or address is refused.
        if (measuring != null && clusterProblems.isEmpty() && MeasurementRound.due(spec, status, now)) {
            measuredAt.add(now);
            for (var m : StandardMetrics.expand(spec.analysis)) {
                String verdict = measuring.apply(m.name);
                round.put(m.name, new dev.glidepath.api.v1alpha1.Measurement(now.toString(), "Fail".equals(verdict) ? 0.5 : 0.01,
                        verdict, "Fail".equals(verdict) ? "0.5 is above max 0.05" : null));
            }
        }
        return new DecisionInput(Specs.NAME, generation, copy(spec, ReleaseSpec.class), copy(status, ReleaseStatus.class),
                observe(), now, round, clusterProblems, freezes, upstreams, approvals, triggeredBy);
    }

    Decision decide() {
        return ReleasePlanner.decide(input());
    }

    /** One reconcile: decide, act on the workloads, write the Rollouts, emit the events, write the status. */
    Decision reconcile() {
        return apply(decide());
    }

    /** Acts on a decision and writes its status, as the reconciler does. */
    Decision apply(Decision d) {
        applyWorkloads(d);
        applyRollouts(d);
        events.addAll(d.events());
        status = copy(d.status(), ReleaseStatus.class);
        last = d;
        history.add(replicas());
        trafficHistory.add(traffic);
        return d;
    }

    /** A reconcile whose status write was lost (operator crashed after acting). */
    Decision reconcileLosingStatus() {
        Decision d = decide();
        applyWorkloads(d);
        applyRollouts(d);
        events.addAll(d.events());
        last = d;
        return d;
    }

    void applyWorkloads(Decision d) {
        if (!d.touchWorkloads()) {
            return;
        }
        d.createRevision().filter(r -> !deployments.containsKey(r)).ifPresent(r -> {
            TemplateIdentity id = TemplateIdentity.of(spec.template, spec.version);
            deployments.put(r, new Deployment(r, id.hash(), id.version(), id.images(), now.toString(),
                    d.replicas().getOrDefault(r, 0)));
        });
        d.replicas().forEach((rev, count) -> {
            Deployment dep = deployments.get(rev);
            if (dep != null) {
                dep.specReplicas = count;
                dep.available = Math.min(dep.available, count);
            }
        });
        d.stableRoute().ifPresent(route -> stableService = route(stableService, route));
        d.previewRoute().ifPresent(route -> previewService = new Service(route.pinnedRevision().orElse(null),
                previewService == null ? null : previewService.stableAnnotation()));
        d.canaryRoute().ifPresent(route -> canaryService = new Service(route.pinnedRevision().orElse(null), null));
        d.traffic().ifPresent(split -> traffic = split);
        if (d.takeOverService()) {
            serviceToTakeOver = false;
        }
        d.adopteeReplicas().ifPresent(n -> {
            adopteeSpec = n;
            adopteeAvailable = Math.min(adopteeAvailable, n);
        });
        d.pruneRevisions().forEach(deployments::remove);
    }

    private static Service route(Service current, ServiceRoute route) {
        Integer annotation = route.stableRevision() != null ? route.stableRevision()
                : current == null ? null : current.stableAnnotation();
        return new Service(route.pinnedRevision().orElse(null), annotation);
    }

    void applyRollouts(Decision d) {
        for (Decision.RolloutWrite w : d.rolloutWrites()) {
            RolloutObject current = rollouts.get(w.name());
            if (current == null && w.create().isPresent()) {
                int seq = Integer.parseInt(w.name().substring(w.name().lastIndexOf('-') + 1));
                current = new RolloutObject(w.name(), seq, w.create().get().fromRevision, w.create().get().toRevision, null);
            }
            if (current != null) {
                rollouts.put(w.name(), new RolloutObject(current.name(), current.sequence(), current.fromRevision(), current.toRevision(),
                        copy(w.status(), RolloutStatus.class)));
            }
        }
        d.pruneRollouts().forEach(rollouts::remove);
    }

    // ---- time and pods ----------------------------------------------------------------------------

    /** Pods start: each revision gains up to {@link #podsReadyPerTick} available pods, unless its image is broken. */
    void podsStart() {
        for (Deployment d : deployments.values()) {
            if (d.images.stream().anyMatch(brokenImages::contains)) {
                continue;
            }
            long next = Math.min((long) d.specReplicas, (long) d.available + podsReadyPerTick);
            d.available = (int) next;
        }
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    /** Time passes, pods start, the operator reconciles. */
    Decision tick(Duration d) {
        advance(d);
        podsStart();
        return reconcile();
    }

    Decision tick() {
        return tick(Duration.ofSeconds(1));
    }

    /** Ticks (one second each) until the condition holds; fails after a bounded number of ticks. */
    Decision tickUntil(Predicate<SimulatedCluster> done) {
        for (int i = 0; i < 200; i++) {
            Decision d = tick();
            if (done.test(this)) {
                return d;
            }
        }
        throw new AssertionError("condition not reached; phase " + status.phase + ": " + status.message);
    }

    /** Deploys the first revision and lets it become Healthy. */
    SimulatedCluster deployed() {
        reconcile();
        tickUntil(c -> "Healthy".equals(c.status.phase));
        events.clear();
        history.clear();
        trafficHistory.clear();
        return this;
    }

    void setImage(String image) {
        spec.template = Specs.template(image);
        generation++;
    }

    // ---- views ------------------------------------------------------------------------------------

    Map<Integer, Integer> replicas() {
        Map<Integer, Integer> m = new TreeMap<>();
        deployments.values().forEach(d -> m.put(d.number, d.specReplicas));
        return m;
    }

    Map<Integer, Integer> available() {
        Map<Integer, Integer> m = new TreeMap<>();
        deployments.values().forEach(d -> m.put(d.number, Math.min(d.available, d.specReplicas)));
        return m;
    }

    int totalAvailable() {
        return available().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Available pods right after acting on the decision (scaling down removes available pods at once). */
    int availableAfter(Decision d) {
        int total = 0;
        for (Deployment dep : deployments.values()) {
            int planned = d.replicas().getOrDefault(dep.number, dep.specReplicas);
            total += Math.min(Math.min(dep.available, dep.specReplicas), planned);
        }
        return total;
    }

    Optional<Condition> condition(String type) {
        return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    Optional<RevisionRecord> revision(int number) {
        return status.revisions.stream().filter(r -> r.number == number).findFirst();
    }

    String outcome(int number) {
        return revision(number).map(r -> r.outcome).orElse(null);
    }

    RolloutObject rollout(String name) {
        return rollouts.get(name);
    }

    List<String> eventReasons() {
        return events.stream().map(Decision.Note::reason).toList();
    }

    static <T> T copy(T value, Class<T> type) {
        return value == null ? null : JSON.convertValue(value, type);
    }

    /** A comparable rendering of a decision (Optionals unwrapped). */
    static String describe(Decision d) {
        return "touch=" + d.touchWorkloads() + " replicas=" + new TreeMap<>(d.replicas())
                + " create=" + d.createRevision().orElse(null)
                + " stable=" + d.stableRoute().map(SimulatedCluster::describe).orElse(null)
                + " preview=" + d.previewRoute().map(SimulatedCluster::describe).orElse(null)
                + " prune=" + new java.util.TreeSet<>(d.pruneRevisions())
                + " rollouts=" + d.rolloutWrites().stream().map(w -> w.name() + ":" + json(w.create().orElse(null))
                        + ":" + json(w.status())).toList()
                + " pruneRollouts=" + new java.util.TreeSet<>(d.pruneRollouts())
                + " events=" + d.events()
                + " status=" + json(d.status())
                + " requeue=" + d.requeueAfter().orElse(null);
    }

    private static String describe(ServiceRoute r) {
        return r.pinnedRevision().map(String::valueOf).orElse("*") + "/" + r.stableRevision();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
