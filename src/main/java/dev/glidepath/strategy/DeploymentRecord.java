package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.ChangeSpec;
import dev.glidepath.api.v1alpha1.DeploymentType;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.ImageChange;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.MetricSummary;
import dev.glidepath.api.v1alpha1.ReleasePhase;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.api.v1alpha1.RolloutReason;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.api.v1alpha1.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The deployment record a Rollout carries for an audit: the deployment type, what changed, the timeline, and how
 * it ended (outcome, duration, the metrics next to the stable revision's). Pure; bounded so thousands of Rollouts
 * stay small.
 */
final class DeploymentRecord {
    /** The timeline keeps its first entries (what held it, its start) and the latest ones. */
    static final int TIMELINE_HEAD = 8;
    static final int TIMELINE_MAX = 40;
    static final int GATE_HISTORY_MAX = 10;
    static final int CHANGES_MAX = 16;
    static final int SUMMARY_MAX = 8;

    private DeploymentRecord() {
    }

    /** The type of a rollout of {@code target} for {@code reason}. */
    static DeploymentType typeOf(ReleaseSpec spec, RolloutReason reason, Integer target) {
        if (reason == RolloutReason.ROLLBACK) {
            return DeploymentType.ROLLBACK;
        }
        if (hotfix(spec, target)) {
            return DeploymentType.HOTFIX;
        }
        if (reason == RolloutReason.UPDATE && spec.windows != null && !spec.windows.isEmpty()) {
            return DeploymentType.SCHEDULED;
        }
        return DeploymentType.STANDARD;
    }

    /** spec.hotfix names this revision. */
    static boolean hotfix(ReleaseSpec spec, Integer revision) {
        return spec.hotfix != null && revision != null && revision.equals(spec.hotfix.revision);
    }

    /** Each container whose image differs between the two revisions (containers matched by name, else by position). */
    static List<ImageChange> changes(List<String> names, List<String> before, List<String> after) {
        List<ImageChange> changes = new ArrayList<>();
        int n = Math.max(before == null ? 0 : before.size(), after == null ? 0 : after.size());
        for (int i = 0; i < n && changes.size() < CHANGES_MAX; i++) {
            String from = before != null && i < before.size() ? before.get(i) : null;
            String to = after != null && i < after.size() ? after.get(i) : null;
            if (from != null && from.equals(to)) {
                continue;
            }
            ImageChange c = new ImageChange();
            c.container = names != null && i < names.size() ? names.get(i) : "#" + i;
            c.from = from;
            c.to = to;
            changes.add(c);
        }
        return changes.isEmpty() ? null : changes;
    }

    static ChangeSpec change(ReleaseSpec spec) {
        if (spec.change == null || spec.change.summary == null && spec.change.link == null) {
            return null;
        }
        ChangeSpec c = new ChangeSpec();
        c.summary = spec.change.summary;
        c.link = spec.change.link;
        return c;
    }

    /** Adds a moment to a timeline, keeping its first entries and the latest ones within the bound. */
    static List<TimelineEntry> append(List<TimelineEntry> timeline, Instant at, String what, int max) {
        List<TimelineEntry> next = timeline == null ? new ArrayList<>() : new ArrayList<>(timeline);
        if (!next.isEmpty() && what.equals(next.get(next.size() - 1).what)) {
            return next;
        }
        next.add(new TimelineEntry(Timestamps.format(at), what));
        while (next.size() > max) {
            next.remove(Math.min(TIMELINE_HEAD, next.size() - 1));
        }
        return next;
    }

    /** What the notes of a decision add to the timeline of the rollout it is about: migrations, traffic switches, reverts. */
    private static final Set<EventReason> MOMENTS = EnumSet.of(EventReason.MIGRATION_STARTED, EventReason.MIGRATION_SUCCEEDED,
            EventReason.MIGRATION_FAILED, EventReason.MIGRATION_ROLLBACK_STARTED, EventReason.MIGRATION_ROLLED_BACK,
            EventReason.TRAFFIC_SWITCHED, EventReason.ANALYSIS_FAILED, EventReason.PROMOTE_REQUESTED,
            EventReason.WINDOW_OVERRIDE, EventReason.FREEZE_OVERRIDE, EventReason.SOAK_SKIPPED);
    private static final int MOMENT_LENGTH = 240;

    static void noteMoments(RolloutStatus record, List<Decision.Note> notes, Instant now) {
        if (record == null) {
            return;
        }
        for (Decision.Note n : notes) {
            if (MOMENTS.contains(n.kind())) {
                String what = n.reason() + ": " + n.message();
                record.timeline = append(record.timeline, now, what.length() > MOMENT_LENGTH ? what.substring(0, MOMENT_LENGTH) + "…" : what,
                        TIMELINE_MAX);
            }
        }
    }

    /**
     * The Release's record of what holds its next revision: one entry each time that changes, for the revision it is
     * about (a new revision starts a new record).
     */
    static List<TimelineEntry> waiting(List<TimelineEntry> waitedFor, int revision, ReleasePhase phase, Instant now) {
        String prefix = "revision " + revision + ": ";
        List<TimelineEntry> mine = waitedFor == null ? List.of() : waitedFor.stream().filter(e -> e.what != null && e.what.startsWith(prefix))
                .toList();
        String what = prefix + switch (phase) {
            case AWAITING_APPROVAL -> "waiting for approval";
            case AWAITING_PROMOTION -> "waiting for upstream (promotion)";
            case WAITING_FOR_WINDOW -> "waiting for a deployment window";
            case FROZEN -> "held by a freeze";
            default -> phase.wire();
        };
        return append(mine, now, what, GATE_HISTORY_MAX);
    }

    /** The ending: outcome, duration and the metrics' last word, written with the phase. */
    static void ended(RolloutStatus record, RolloutPhase phase, Instant now) {
        record.outcome = switch (phase) {
            case SUCCEEDED -> "SUCCESS";
            case SUPERSEDED -> "SUPERSEDED";
            default -> "ROLLBACK";
        };
        Instant started = Timestamps.parseOrNull(record.startedAt);
        if (started != null && !now.isBefore(started)) {
            record.duration = Durations.format(Duration.between(started, now));
        }
        record.timeline = append(record.timeline, now, switch (phase) {
            case SUCCEEDED -> "succeeded";
            case SUPERSEDED -> "superseded";
            case ROLLED_BACK -> "rolled back by analysis";
            default -> phase.wire().toLowerCase(Locale.ROOT);
        }, TIMELINE_MAX);
        record.summary = summary(record.analysis);
    }

    /** Per metric, its last measurement: the new revision's value, the stable one's, and the change between them. */
    static List<MetricSummary> summary(List<MetricRecord> analysis) {
        if (analysis == null || analysis.isEmpty()) {
            return null;
        }
        List<MetricSummary> out = new ArrayList<>();
        for (MetricRecord m : analysis) {
            if (m == null || m.measurements == null || m.measurements.isEmpty() || out.size() >= SUMMARY_MAX) {
                continue;
            }
            Measurement last = m.measurements.get(m.measurements.size() - 1);
            MetricSummary s = new MetricSummary();
            s.metric = m.name;
            s.canary = last.value;
            s.stable = last.stableValue;
            s.verdict = last.verdict;
            if (last.value != null && last.stableValue != null && last.stableValue > 0) {
                double change = (last.value / last.stableValue - 1) * 100;
                s.change = String.format(Locale.ROOT, "%+.0f%%", change);
            }
            out.add(s);
        }
        return out.isEmpty() ? null : out;
    }

}
