package dev.glidepath.cli;

import dev.glidepath.analysis.StandardMetrics;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One Release in a line: where it stands and what it waits for, and whether that is a person ("needs you":
 * a pause until promoted, an approval, a hold by analysis, a failure). What it waits for names the thing, never
 * "you": {@code needsYou} says who. The deployment type (Standard, Hotfix, Rollback, Scheduled) is that of the rollout in
 * flight, waiting, or last run. Pure.
 */
public record ReleaseSummary(String namespace, String name, String phase, String version, Integer weight, String step,
        String waitingFor, boolean needsYou, String message, String deploymentType, String shard) {

    /** Those that need a person first, then by namespace and name. */
    public static final Comparator<ReleaseSummary> ORDER = Comparator.comparing((ReleaseSummary s) -> !s.needsYou())
            .thenComparing(ReleaseSummary::namespace).thenComparing(ReleaseSummary::name);

    public static ReleaseSummary of(Release r, Instant now) {
        ReleaseSpec spec = r.getSpec();
        ReleaseStatus s = r.getStatus();
        String ns = r.getMetadata().getNamespace();
        String name = r.getMetadata().getName();
        String shard = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Release.SHARD_LABEL);
        if (s == null || s.phase == null) {
            return new ReleaseSummary(ns, name, "-", null, null, "-", (shard == null ? "the operator" : "the operator of shard " + shard)
                    + " (not reconciled yet)", false, null, null, shard);
        }
        List<CanaryStep> steps = spec != null && spec.strategy != null && spec.strategy.canary != null && spec.strategy.canary.steps != null
                ? spec.strategy.canary.steps : List.of();
        Integer index = s.rollout != null && s.rollout.stepIndex != null ? s.rollout.stepIndex : s.currentStep;
        String step = steps.isEmpty() || s.rollout == null || index == null ? "-" : Math.min(index + 1, steps.size()) + "/" + steps.size();
        // The operator reports a running timed pause as Progressing (it ends by itself) and a held one as Paused: both
        // show the time left, read from the step in progress, whatever the phase says.
        Duration pauseLeft = s.rollout == null ? null : pauseLeft(steps, index, s.rollout.stepStartedAt, now);
        String waiting;
        boolean needsYou;
        switch (s.phase) {
            case "AwaitingApproval" -> {
                waiting = "approval of revision " + s.currentRevision;
                needsYou = true;
            }
            case "WaitingForWindow" -> {
                waiting = "a deployment window";
                needsYou = false;
            }
            case "AwaitingPromotion" -> {
                String upstreams = spec == null || spec.promotion == null || spec.promotion.from == null ? "upstream"
                        : spec.promotion.from.stream().filter(Objects::nonNull)
                                .map(u -> (u.cluster == null ? "" : u.cluster + ":") + (u.namespace == null ? ns : u.namespace) + "/" + u.release).collect(Collectors.joining(", "));
                boolean refused = s.message != null && s.message.contains("is not promoted");
                waiting = refused ? "a new version (refused by " + upstreams + ")" : "promotion from " + upstreams;
                needsYou = refused;
            }
            case "Frozen" -> {
                waiting = "the freeze to lift: " + s.frozenBy;
                needsYou = false;
            }
            case "Paused" -> {
                if (spec != null && Boolean.TRUE.equals(spec.paused)) {
                    waiting = "resume (spec.paused)";
                    needsYou = true;
                } else if (s.frozenBy != null) {
                    waiting = "the freeze to lift: " + s.frozenBy;
                    needsYou = false;
                } else if (s.message != null && s.message.contains("holding before the next step")) {
                    waiting = "a deployment window";
                    needsYou = false;
                } else if (pauseLeft != null) {
                    waiting = pause(pauseLeft);
                    needsYou = false;
                } else {
                    waiting = "promote";
                    needsYou = true;
                }
            }
            case "Degraded" -> {
                waiting = "a retry or a new template" + (s.message == null ? "" : " (" + s.message + ")");
                needsYou = true;
            }
            case "RolledBack" -> {
                waiting = "a new template or retry";
                needsYou = false;
            }
            case "Progressing" -> {
                boolean held = s.message != null && s.message.contains("holding until it passes");
                boolean analysed = spec != null && !StandardMetrics.expand(spec.analysis).isEmpty();
                boolean pausing = pauseLeft != null && !pauseLeft.isZero();
                waiting = held ? "analysis (held: inconclusive)" : pausing ? pause(pauseLeft) : analysed ? "analysis / pods" : "pods";
                needsYou = held;
            }
            default -> {
                waiting = "-";
                needsYou = false;
            }
        }
        return new ReleaseSummary(ns, name, s.phase, s.version, s.canaryWeight, step, waiting, needsYou, s.message, s.deploymentType,
                shard);
    }

    private static String pause(Duration left) {
        return "pause (" + text(left) + " left)";
    }

    /**
     * The time left in the timed pause at step {@code index} (zero once it is over), which started at {@code started};
     * null when that step is not a timed pause or its start is unknown.
     */
    static Duration pauseLeft(List<CanaryStep> steps, Integer index, String started, Instant now) {
        if (index == null || index < 0 || index >= steps.size()) {
            return null;
        }
        CanaryStep current = steps.get(index);
        return current.pause == null || current.pause.duration == null ? null : timeLeft(started, current.pause.duration, now);
    }

    /** The time left, in whole seconds, of a timed pause of {@code duration} that started at {@code started}; null when unknown. */
    static Duration timeLeft(String started, String duration, Instant now) {
        if (started == null) {
            return null;
        }
        try {
            Duration left = Duration.between(now, Instant.parse(started).plus(Durations.parse(duration)));
            return left.isNegative() ? Duration.ZERO : left.withNanos(0);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@link #timeLeft} as text ("12s", "0s" when over), or null. */
    static String timeLeftText(String started, String duration, Instant now) {
        Duration left = timeLeft(started, duration, now);
        return left == null ? null : text(left);
    }

    private static String text(Duration wholeSeconds) {
        return wholeSeconds.isZero() ? "0s" : Durations.format(wholeSeconds);
    }
}
