package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Collects a decision while it is being made; {@link #build} freezes it. */
final class Plan {
    /**
     * The furthest a wake-up is scheduled: a later deadline (a soak of months, a window weeks away) is reached by
     * looking again daily, so no wake-up is beyond what the timer holds.
     */
    static final Duration LONGEST_WAKE = Duration.ofHours(24);
    private final Instant now;
    final Map<Integer, Integer> replicas = new TreeMap<>();
    Integer createRevision;
    ServiceRoute stableRoute;
    ServiceRoute previewRoute;
    /** With a traffic router: where the canary Service points, and the routes' split. */
    ServiceRoute canaryRoute;
    TrafficSplit traffic;
    /** With spec.adopt: the adopted Deployment's replicas (only ever lowered), and whether to take the Service over. */
    Integer adopteeReplicas;
    boolean takeOverService;
    final Set<Integer> pruneRevisions = new LinkedHashSet<>();
    final Map<String, Decision.RolloutWrite> rolloutWrites = new LinkedHashMap<>();
    final Set<String> pruneRollouts = new LinkedHashSet<>();
    final List<Decision.Note> events = new ArrayList<>();
    final List<Decision.JobRequest> jobs = new ArrayList<>();
    private Instant wakeAt;
    /** The transition this decision is about (the rollout in flight, started or ended), for the notes. */
    private Integer fromRevision;
    private Integer toRevision;

    Plan(Instant now) {
        this.now = now;
    }

    void scale(Integer revision, int count) {
        if (revision != null) {
            replicas.put(revision, Math.max(0, count));
        }
    }

    void wakeAt(Instant when) {
        if (when.isAfter(now) && (wakeAt == null || when.isBefore(wakeAt))) {
            wakeAt = when;
        } else if (!when.isAfter(now) && (wakeAt == null || wakeAt.isAfter(now.plusMillis(100)))) {
            wakeAt = now.plusMillis(100);
        }
    }

    void wakeWithin(Duration d) {
        wakeAt(now.plus(d));
    }

    void transition(Integer from, Integer to) {
        fromRevision = from;
        toRevision = to;
    }

    void add(Decision.Note note) {
        events.add(note);
    }

    void note(EventReason reason, String message) {
        events.add(new Decision.Note(false, reason, message));
    }

    void warn(EventReason reason, String message) {
        events.add(new Decision.Note(true, reason, message));
    }

    void writeRollout(String name, RolloutSpec create, RolloutStatus status) {
        Decision.RolloutWrite previous = rolloutWrites.get(name);
        Optional<RolloutSpec> spec = Optional.ofNullable(create)
                .or(() -> previous == null ? Optional.empty() : previous.create());
        rolloutWrites.put(name, new Decision.RolloutWrite(name, spec, status));
    }

    Decision build(boolean touchWorkloads, ReleaseStatus status) {
        Optional<Duration> requeue = Optional.ofNullable(wakeAt).map(w -> Duration.between(now, w))
                .map(d -> d.compareTo(LONGEST_WAKE) > 0 ? LONGEST_WAKE : d);
        return new Decision(touchWorkloads, Map.copyOf(replicas), Optional.ofNullable(createRevision),
                Optional.ofNullable(stableRoute), Optional.ofNullable(previewRoute), Set.copyOf(pruneRevisions),
                List.copyOf(rolloutWrites.values()), Set.copyOf(pruneRollouts),
                events.stream().map(n -> n.about(fromRevision, toRevision)).toList(), status, requeue,
                List.copyOf(jobs), Optional.ofNullable(canaryRoute), Optional.ofNullable(traffic), Optional.ofNullable(adopteeReplicas),
                takeOverService);
    }
}
