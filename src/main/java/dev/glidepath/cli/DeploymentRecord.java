package dev.glidepath.cli;

import dev.glidepath.api.v1alpha1.ImageChange;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.MetricSummary;
import dev.glidepath.api.v1alpha1.RecordedApproval;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.api.v1alpha1.StepRecord;
import dev.glidepath.api.v1alpha1.TimelineEntry;
import dev.glidepath.api.v1alpha1.UpstreamEvidence;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Rollout as the deployment record an auditor reads: a Markdown document with the facts (what went from which
 * revision to which, of what type, how it ended and how long it took, who changed the template), who approved it,
 * what changed, the upstream evidence of a promoted revision, the timeline, how each metric ended and the steps.
 * What a Rollout does not carry (one written before these fields existed, or one still running) is left out rather
 * than shown empty. Pure: the same Rollout gives the same text.
 */
public final class DeploymentRecord {
    private DeploymentRecord() {
    }

    public static String markdown(Rollout rollout) {
        RolloutSpec spec = rollout.getSpec() != null ? rollout.getSpec() : new RolloutSpec();
        RolloutStatus st = rollout.getStatus() != null ? rollout.getStatus() : new RolloutStatus();
        String ns = rollout.getMetadata().getNamespace();
        String name = rollout.getMetadata().getName();
        StringBuilder b = new StringBuilder();
        b.append("# Deployment record: ").append(title(spec, name)).append("\n\n");
        spec.unreadable().ifPresent(p -> b.append("> The spec of this Rollout could not be read: ").append(oneLine(p)).append("\n\n"));
        st.unreadable().ifPresent(p -> b.append("> The status of this Rollout could not be read: ").append(oneLine(p)).append("\n\n"));

        Table facts = new Table("Fact", "Value");
        facts.row("Release", spec.release == null ? null : (ns == null ? "" : ns + "/") + spec.release);
        facts.row("Rollout", name);
        facts.row("Revisions", spec.toRevision == null ? null
                : spec.fromRevision == null ? spec.toRevision + " (first deployment)" : spec.fromRevision + " → " + spec.toRevision);
        facts.row("Version", spec.version);
        facts.row("Type", spec.type);
        facts.row("Hotfix reason", spec.hotfixReason);
        facts.row("Outcome", st.outcome);
        facts.row("Phase", st.phase);
        facts.row("Started", StatusView.time(st.startedAt));
        facts.row("Finished", StatusView.time(st.finishedAt));
        facts.row("Duration", duration(st));
        facts.row("Triggered by", spec.triggeredBy);
        facts.row("Reason", spec.reason);
        facts.row("Strategy", strategy(spec));
        facts.row("Message", st.message);
        facts.appendTo(b);

        if (present(spec.approvals)) {
            Table t = new Table("Who", "Role", "When", "Comment");
            for (RecordedApproval a : spec.approvals) {
                if (a != null) {
                    t.row(a.approver, a.role, StatusView.time(a.at), a.comment);
                }
            }
            section(b, "Approvals", t);
        }

        List<String> changes = new ArrayList<>();
        if (present(spec.changes)) {
            for (ImageChange c : spec.changes) {
                if (c != null) {
                    changes.add("- " + oneLine(c.container) + ": " + (c.from == null ? "(new container)" : oneLine(c.from)) + " → "
                            + (c.to == null ? "(removed)" : oneLine(c.to)));
                }
            }
        }
        boolean summary = spec.change != null && spec.change.summary != null && !spec.change.summary.isBlank();
        boolean link = spec.change != null && spec.change.link != null && !spec.change.link.isBlank();
        if (!changes.isEmpty() || summary || link) {
            b.append("## What changed\n\n");
            if (!changes.isEmpty()) {
                b.append(String.join("\n", changes)).append("\n\n");
            }
            if (summary) {
                // A quote keeps the summary's own lines (and whatever Markdown it holds) inside the record's structure.
                spec.change.summary.strip().lines().forEach(l -> b.append(l.isBlank() ? ">" : "> " + l.stripTrailing()).append('\n'));
                b.append('\n');
            }
            if (link) {
                b.append("Link: ").append(oneLine(spec.change.link)).append("\n\n");
            }
        }

        if (present(spec.promotedFrom)) {
            b.append("## Promotion evidence\n\n");
            for (UpstreamEvidence u : spec.promotedFrom) {
                if (u != null) {
                    b.append("- ").append(evidence(u, ns)).append('\n');
                }
            }
            b.append('\n');
        }

        if (present(st.timeline)) {
            Table t = new Table("Time", "What");
            for (TimelineEntry e : st.timeline) {
                if (e != null) {
                    t.row(StatusView.time(e.at), e.what);
                }
            }
            section(b, "Timeline", t);
        }

        Table analysis = analysis(st);
        if (analysis != null) {
            section(b, "Analysis", analysis);
        }

        if (present(st.steps)) {
            Table t = new Table("Step", "What", "Started", "Finished", "Outcome");
            for (StepRecord s : st.steps) {
                if (s != null) {
                    t.row(s.index == null ? null : String.valueOf(s.index), s.what, StatusView.time(s.startedAt),
                            StatusView.time(s.finishedAt), s.outcome);
                }
            }
            section(b, "Steps", t);
        }
        // One newline at the end, however the last section ended.
        return b.toString().stripTrailing() + "\n";
    }

    /** "shop 1.4.2 (Hotfix)": the Release (else the Rollout), the version (else the revision) and the type. */
    private static String title(RolloutSpec spec, String rolloutName) {
        String what = spec.release != null ? spec.release : rolloutName;
        String version = spec.version != null ? " " + spec.version : spec.toRevision != null ? " revision " + spec.toRevision : "";
        return oneLine(what + version + (spec.type == null ? "" : " (" + spec.type + ")"));
    }

    private static String strategy(RolloutSpec spec) {
        return spec.strategy == null || "None".equals(spec.strategy.name()) ? null : spec.strategy.name();
    }

    /** The recorded duration, else (a Rollout written before it was recorded) the time from start to finish. */
    private static String duration(RolloutStatus st) {
        if (st.duration != null) {
            return st.duration;
        }
        if (st.startedAt == null || st.finishedAt == null) {
            return null;
        }
        try {
            // Between the times as shown (to the second), so that the three agree.
            return StatusView.durationText(Duration.between(Instant.parse(st.startedAt).truncatedTo(ChronoUnit.SECONDS),
                    Instant.parse(st.finishedAt).truncatedTo(ChronoUnit.SECONDS)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String evidence(UpstreamEvidence u, String ns) {
        StringBuilder b = new StringBuilder();
        if (u.cluster != null) {
            b.append(u.cluster).append(':');
        }
        b.append(u.namespace != null ? u.namespace : ns == null ? "" : ns).append('/').append(u.release);
        if (u.revision != null) {
            b.append(" revision ").append(u.revision);
        }
        if (u.rollout != null) {
            b.append(" (Rollout ").append(u.rollout).append(')');
        }
        if (u.since != null) {
            b.append(", healthy since ").append(StatusView.time(u.since));
        }
        if (u.soakSkipped != null) {
            b.append("; soak skipped: ").append(u.soakSkipped);
        }
        return oneLine(b.toString());
    }

    /**
     * How each metric ended: the recorded summary, else (a Rollout written before it was recorded) each metric's last
     * measurement. Null when there is neither.
     */
    private static Table analysis(RolloutStatus st) {
        Table t = new Table("Metric", "New", "Stable", "Change", "Verdict");
        if (present(st.summary)) {
            for (MetricSummary m : st.summary) {
                if (m != null) {
                    t.row(m.metric, number(m.canary), number(m.stable), m.change, m.verdict);
                }
            }
        } else if (present(st.analysis)) {
            for (MetricRecord m : st.analysis) {
                if (m != null && present(m.measurements)) {
                    Measurement last = m.measurements.get(m.measurements.size() - 1);
                    t.row(m.name, number(last.value), number(last.stableValue), null, last.verdict);
                }
            }
        }
        return t.isEmpty() ? null : t;
    }

    private static String number(Double v) {
        return v == null ? null : StatusView.number(v);
    }

    private static void section(StringBuilder b, String heading, Table t) {
        if (!t.isEmpty()) {
            b.append("## ").append(heading).append("\n\n");
            t.appendTo(b);
        }
    }

    private static boolean present(List<?> list) {
        return list != null && list.stream().anyMatch(Objects::nonNull);
    }

    /** Text from the cluster on one line: a line break would end the table row or list item it is in. */
    static String oneLine(String text) {
        return text == null ? null : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /**
     * A Markdown table whose columns are padded to the same width, so that it reads as a table in a terminal too.
     * A row whose cells are all absent is left out; a facts row (two columns) without a value too.
     */
    private static final class Table {
        private final String[] header;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            this.header = header;
        }

        void row(String... cells) {
            String[] clean = Arrays.stream(cells).map(c -> c == null || c.isBlank() ? "" : cell(c)).toArray(String[]::new);
            boolean empty = header.length == 2 ? clean[1].isEmpty() : Arrays.stream(clean).allMatch(String::isEmpty);
            if (!empty) {
                rows.add(clean);
            }
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        void appendTo(StringBuilder b) {
            if (rows.isEmpty()) {
                return;
            }
            int[] width = new int[header.length];
            for (int i = 0; i < header.length; i++) {
                width[i] = Math.max(3, length(header[i]));
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], length(r[i]));
                }
            }
            line(b, header, width);
            String[] rule = new String[header.length];
            for (int i = 0; i < header.length; i++) {
                rule[i] = "-".repeat(width[i]);
            }
            line(b, rule, width);
            for (String[] r : rows) {
                line(b, r, width);
            }
            b.append('\n');
        }

        private static void line(StringBuilder b, String[] cells, int[] width) {
            StringBuilder l = new StringBuilder("|");
            for (int i = 0; i < cells.length; i++) {
                l.append(' ').append(cells[i]).append(" ".repeat(width[i] - length(cells[i]))).append(" |");
            }
            b.append(l).append('\n');
        }

        /** A pipe would end the cell. */
        private static String cell(String text) {
            return oneLine(text).replace("|", "\\|");
        }

        private static int length(String s) {
            return s.codePointCount(0, s.length());
        }
    }
}
