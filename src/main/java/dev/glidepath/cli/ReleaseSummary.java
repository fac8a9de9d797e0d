package dev.glidepath.cli;

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
 * a pause until promoted, an approval, a hold by analysis, a failure). Pure.
 */
public record ReleaseSummary(String namespace, String name, String phase, String version, Integer weight, String step,
        String waitingFor, boolean needsYou, String message) {

    /** Those that need a person first, then by namespace and name. */
    public static final Comparator<ReleaseSummary> ORDER = Comparator.comparing((ReleaseSummary s) -> !s.needsYou())
            .thenComparing(ReleaseSummary::namespace).thenComparing(ReleaseSummary::name);

    public static ReleaseSummary of(Release r, Instant now) {
        ReleaseSpec spec = r.getSpec();
        ReleaseStatus s = r.getStatus();
        String ns = r.getMetadata().getNamespace();
        String name = r.getMetadata().getName();
        if (s == null || s.phase == null) {
            return new ReleaseSummary(ns, name, "-", null, null, "-", "the operator (not reconciled yet)", false, null);
        }
        List<CanaryStep> steps = spec != null && spec.strategy != null && spec.strategy.canary != null && spec.strategy.canary.steps != null
                ? spec.strategy.canary.steps : List.of();
        Integer index = s.rollout != null && s.rollout.stepIndex != null ? s.rollout.stepIndex : s.currentStep;
        String step = steps.isEmpty() || s.rollout == null || index == null ? "-" : Math.min(index + 1, steps.size()) + "/" + steps.size();
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
                                .map(u -> (u.namespace == null ? ns : u.namespace) + "/" + u.release).collect(Collectors.joining(", "));
                boolean refused = s.message != null && s.message.contains("is not promoted");
                waiting = (refused ? "you: refused by " : "promotion from ") + upstreams;
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
                } else {
                    CanaryStep current = index != null && index < steps.size() ? steps.get(index) : null;
                    String left = current != null && current.pause != null && current.pause.duration != null
                            ? timeLeft(s.rollout == null ? null : s.rollout.stepStartedAt, current.pause.duration, now) : null;
                    waiting = left != null ? "pause (" + left + " left)" : "promote";
                    needsYou = left == null;
                }
            }
            case "Degraded" -> {
                waiting = "you: " + (s.message == null ? "degraded" : s.message);
                needsYou = true;
            }
            case "RolledBack" -> {
                waiting = "a new template or retry";
                needsYou = false;
            }
            case "Progressing" -> {
                boolean held = s.message != null && s.message.contains("holding until it passes");
                boolean analysed = spec != null && spec.analysis != null && spec.analysis.metrics != null && !spec.analysis.metrics.isEmpty();
                waiting = held ? "analysis (held: inconclusive)" : analysed ? "analysis / pods" : "pods";
                needsYou = held;
            }
            default -> {
                waiting = "-";
                needsYou = false;
            }
        }
        return new ReleaseSummary(ns, name, s.phase, s.version, s.canaryWeight, step, waiting, needsYou, s.message);
    }

    /** The time left in a timed pause that started at {@code started}; null when unknown. */
    static String timeLeft(String started, String duration, Instant now) {
        if (started == null) {
            return null;
        }
        try {
            Duration left = Duration.between(now, Instant.parse(started).plus(Durations.parse(duration)));
            return left.isNegative() ? "0s" : Durations.format(left.withNanos(0));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
