package dev.glidepath.cli;

import dev.glidepath.analysis.StandardMetrics;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** A Release's status as text for a terminal: steps, weight, analysis, Jobs, recent Events. Pure. */
public final class StatusView {
    private StatusView() {
    }

    public static String render(Release r, Rollout rollout, List<Job> jobs, List<Event> events, Instant now) {
        StringBuilder b = new StringBuilder();
        ReleaseStatus s = r.getStatus();
        ReleaseSummary sum = ReleaseSummary.of(r, now);
        line(b, "Release", ReleaseCommands.ref(r));
        line(b, "Phase", sum.phase() + (sum.needsYou() ? "   (needs you: " + sum.waitingFor() + ")" : ""));
        if (s == null) {
            return b.toString();
        }
        line(b, "Type", s.deploymentType);
        line(b, "Message", s.message);
        line(b, "Strategy", s.strategy);
        line(b, "Revisions", "stable " + s.stableRevision + (s.rollout != null ? ", rolling out " + s.rollout.toRevision : "")
                + (s.version != null ? " (version " + s.version + ")" : ""));
        if (s.rollout != null && s.canaryWeight != null) {
            line(b, "Weight", s.canaryWeight + "%" + (s.canaryService != null ? " (through " + s.canaryService + ")" : ""));
        }
        if (!"-".equals(sum.waitingFor())) {
            line(b, "Waiting for", sum.waitingFor());
        }
        List<CanaryStep> steps = r.getSpec().strategy != null && r.getSpec().strategy.canary != null && r.getSpec().strategy.canary.steps != null
                ? r.getSpec().strategy.canary.steps : List.of();
        if (!steps.isEmpty()) {
            b.append("Steps:\n");
            Integer current = s.rollout == null ? null : s.rollout.stepIndex;
            for (int i = 0; i < steps.size(); i++) {
                String mark = current == null ? (s.rollout == null && "Healthy".equals(s.phase) ? "✔" : "·")
                        : i < current ? "✔" : i == current ? "▶" : "·";
                String extra = "";
                if (current != null && i == current && steps.get(i).pause != null && steps.get(i).pause.duration != null) {
                    String left = ReleaseSummary.timeLeftText(s.rollout.stepStartedAt, steps.get(i).pause.duration, now);
                    extra = left == null ? "" : "  (" + left + " left)";
                }
                b.append("  ").append(mark).append(' ').append(i).append(": ").append(steps.get(i).describe()).append(extra).append('\n');
            }
        }
        List<MetricSpec> metrics = StandardMetrics.expand(r.getSpec().analysis);
        if (!metrics.isEmpty()) {
            b.append("Analysis").append(rollout == null ? "" : " (" + rollout.getMetadata().getName() + ")").append(":\n");
            for (MetricSpec m : metrics) {
                Measurement last = lastMeasurement(rollout, m.name);
                b.append("  ").append(m.name).append(": ").append(last == null ? "no measurement yet"
                        : last.verdict + " " + value(last) + " against " + bound(m) + " at " + time(last.time)
                        + (last.reason == null ? "" : " — " + last.reason)).append('\n');
            }
        }
        if (!jobs.isEmpty()) {
            b.append("Jobs:\n");
            for (Job j : jobs) {
                b.append("  ").append(j.getMetadata().getName()).append(": ").append(jobState(j)).append('\n');
            }
        }
        if (!events.isEmpty()) {
            b.append("Events:\n");
            for (Event e : events) {
                String when = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getEventTime() != null ? e.getEventTime().getTime() : "";
                b.append("  ").append(age(when, now)).append("  ").append(e.getType()).append("  ").append(e.getReason()).append(": ")
                        .append(e.getMessage()).append('\n');
            }
        }
        return b.toString();
    }

    /** The Rollouts of a Release, oldest first: what went from where to where, how it ended, why, and how long it took. */
    public static String history(List<Rollout> rollouts, Instant now) {
        StringBuilder b = new StringBuilder(String.format("%-28s %-10s %-9s %-11s %-20s %-9s %s%n", "ROLLOUT", "REVISIONS", "REASON", "PHASE",
                "STARTED", "DURATION", "WHY"));
        for (Rollout r : rollouts) {
            var st = r.getStatus();
            String from = r.getSpec().fromRevision == null ? "" : r.getSpec().fromRevision + "→";
            String started = st == null ? null : st.startedAt;
            String took = "";
            try {
                took = started == null ? "" : durationText(Duration.between(Instant.parse(started),
                        st.finishedAt == null ? now : Instant.parse(st.finishedAt))) + (st.finishedAt == null ? "…" : "");
            } catch (RuntimeException e) {
                // A time the operator did not write: the row without its duration rather than no history at all.
            }
            b.append(String.format("%-28s %-10s %-9s %-11s %-20s %-9s %s%n", r.getMetadata().getName(), from + r.getSpec().toRevision,
                    r.getSpec().reason, st == null ? "" : st.phase, started == null ? "" : time(started), took,
                    st == null || st.message == null ? "" : st.message));
        }
        return b.toString();
    }

    /**
     * A timestamp to the second, in UTC ("2026-03-01T10:00:00Z"): the status keeps nanoseconds, which would widen
     * every column; text that is not a timestamp is shown as it is.
     */
    static String time(String timestamp) {
        if (timestamp == null) {
            return "";
        }
        try {
            return Instant.parse(timestamp).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return timestamp;
        }
    }

    static Measurement lastMeasurement(Rollout rollout, String metric) {
        if (rollout == null || rollout.getStatus() == null || rollout.getStatus().analysis == null) {
            return null;
        }
        return rollout.getStatus().analysis.stream().filter(m -> metric.equals(m.name))
                .filter(m -> m.measurements != null && !m.measurements.isEmpty()).map(m -> m.measurements.get(m.measurements.size() - 1))
                .findFirst().orElse(null);
    }

    static String bound(MetricSpec m) {
        if (m.judge != null) {
            return "the stable revision" + (m.judge.histogram == null ? "" : "'s share of slow requests") + " (≤ " + (m.judge.maxRatio == null ? 1.5 : m.judge.maxRatio) + "×"
                    + (m.judge.maxErrorRate == null ? "" : " or ≤ " + m.judge.maxErrorRate) + ")";
        }
        if (m.threshold == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        if (m.threshold.max != null) {
            b.append("max ").append(number(m.threshold.max));
        }
        if (m.threshold.min != null) {
            b.append(b.isEmpty() ? "" : ", ").append("min ").append(number(m.threshold.min));
        }
        if (m.threshold.maxStableRatio != null) {
            b.append(b.isEmpty() ? "" : ", ").append(number(m.threshold.maxStableRatio)).append("× stable");
        }
        return b.toString();
    }

    private static String value(Measurement m) {
        return m.value == null ? "(no value)" : number(m.value);
    }

    /** Four significant digits at most, without trailing zeros: 0.05, not 0.05000. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
        return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e15 ? d.toPlainString() : d.toString();
    }

    static String jobState(Job j) {
        var st = j.getStatus();
        if (st == null) {
            return "created";
        }
        if (st.getSucceeded() != null && st.getSucceeded() > 0) {
            return "succeeded";
        }
        if (st.getConditions() != null && st.getConditions().stream().anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))) {
            return "failed";
        }
        return st.getActive() != null && st.getActive() > 0 ? "running" : "pending";
    }

    private static String age(String when, Instant now) {
        try {
            return String.format("%6s", durationText(Duration.between(Instant.parse(when), now)));
        } catch (RuntimeException e) {
            return "     ?";
        }
    }

    static String durationText(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s") : s / 3600 + "h" + (s % 3600 / 60) + "m";
    }

    private static void line(StringBuilder b, String label, String value) {
        if (value != null) {
            b.append(String.format("%-12s %s%n", label + ":", value));
        }
    }
}
