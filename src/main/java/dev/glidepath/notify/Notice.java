package dev.glidepath.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.strategy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One webhook notice: what happened (the notice's name, the Event's reason and message) with the fields of the
 * deployment record it concerns: the deployment type, the version and revisions of the transition, its Rollout and,
 * once that rollout ended in this decision, its outcome and duration. Pure: built from the Release as it was before
 * the decision and from the decision.
 */
record Notice(String event, boolean warning, String reason, String message, String release, String namespace, String phase,
        String version, Integer stableRevision, Integer fromRevision, Integer toRevision, String deploymentType, String rollout,
        String outcome, String duration) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code release} as the decision found it (its status not yet replaced by the decision's). */
    static Notice of(String event, Release release, Decision decision, Decision.Note note) {
        ReleaseStatus before = release.getStatus();
        ReleaseStatus status = decision.status();
        // Every notice names the transition it is about: from the note, else the rollout in flight.
        Integer from = note.toRevision() != null ? note.fromRevision()
                : status != null && status.rollout != null ? status.rollout.fromRevision : null;
        Integer to = note.toRevision() != null ? note.toRevision()
                : status != null && status.rollout != null ? status.rollout.toRevision
                : status == null ? null : status.currentRevision;
        Optional<Decision.RolloutWrite> ended = ended(before, decision, to);
        String rollout = ended.map(Decision.RolloutWrite::name)
                .or(() -> Optional.ofNullable(status).map(s -> s.rollout).filter(p -> p.name != null && Objects.equals(p.toRevision, to))
                        .map(p -> p.name))
                .orElse(null);
        String type = status != null && status.deploymentType != null ? status.deploymentType : before == null ? null : before.deploymentType;
        return new Notice(event, note.warning(), note.reason(), note.message(), release.getMetadata().getName(),
                release.getMetadata().getNamespace(), status == null ? null : status.phase, version(status, to),
                status == null ? null : status.stableRevision, from, to, type, rollout,
                ended.map(w -> outcome(w.status())).orElse(null), ended.map(w -> duration(w.status())).orElse(null));
    }

    /**
     * The Rollout this decision ended, when the notice is about its transition: the one in flight before the decision,
     * written now with a finish time.
     */
    private static Optional<Decision.RolloutWrite> ended(ReleaseStatus before, Decision decision, Integer to) {
        RolloutProgress inFlight = before == null ? null : before.rollout;
        if (inFlight == null || inFlight.name == null || (to != null && inFlight.toRevision != null && !to.equals(inFlight.toRevision))) {
            return Optional.empty();
        }
        return decision.rolloutWrites().stream()
                .filter(w -> inFlight.name.equals(w.name()) && w.status() != null && w.status().finishedAt != null).findFirst();
    }

    /** The recorded outcome, else (an operator that does not record it yet) the one its phase stands for. */
    static String outcome(RolloutStatus ended) {
        if (ended.outcome != null) {
            return ended.outcome;
        }
        if (RolloutPhase.SUCCEEDED.wire().equals(ended.phase)) {
            return "SUCCESS";
        }
        if (RolloutPhase.SUPERSEDED.wire().equals(ended.phase)) {
            return "SUPERSEDED";
        }
        if (RolloutPhase.ROLLED_BACK.wire().equals(ended.phase) || RolloutPhase.ABORTED.wire().equals(ended.phase)
                || RolloutPhase.FAILED.wire().equals(ended.phase)) {
            return "ROLLBACK";
        }
        return null;
    }

    /** The recorded duration, else the whole seconds from start to finish. */
    static String duration(RolloutStatus ended) {
        if (ended.duration != null) {
            return ended.duration;
        }
        try {
            Duration d = Duration.between(Instant.parse(ended.startedAt).truncatedTo(ChronoUnit.SECONDS),
                    Instant.parse(ended.finishedAt).truncatedTo(ChronoUnit.SECONDS));
            return d.isNegative() ? null : d.isZero() ? "0s" : Durations.format(d);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The version of the revision the notice is about, else the one the spec asks for. */
    private static String version(ReleaseStatus status, Integer to) {
        if (status == null) {
            return null;
        }
        if (to != null && status.revisions != null) {
            for (RevisionRecord r : status.revisions) {
                if (r != null && to.equals(r.number) && r.version != null) {
                    return r.version;
                }
            }
        }
        return status.version;
    }

    /** The Generic format: a JSON document. */
    String json(Map<String, Measurement> measurements, Instant time) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("release", release);
        doc.put("namespace", namespace);
        doc.put("event", event);
        doc.put("reason", reason);
        doc.put("message", message);
        doc.put("phase", phase);
        doc.put("version", version);
        putIfKnown(doc, "stableRevision", stableRevision);
        putIfKnown(doc, "fromRevision", fromRevision);
        putIfKnown(doc, "toRevision", toRevision);
        putIfKnown(doc, "deploymentType", deploymentType);
        putIfKnown(doc, "rollout", rollout);
        putIfKnown(doc, "outcome", outcome);
        putIfKnown(doc, "duration", duration);
        ObjectNode measured = doc.putObject("measurements");
        measurements.forEach((metric, m) -> {
            if (m.value != null) {
                measured.put(metric, m.value);
            }
        });
        doc.put("time", time.toString());
        return doc.toString();
    }

    /**
     * The Slack format: what happened on the first line, the record on the second, e.g.
     * {@code Hotfix · version 1.4.2 · revision 6 → 7 · SUCCESS in 4m30s}.
     */
    String slack() {
        String text = (warning ? ":warning: " : "") + "*" + release + "* (" + namespace + ") " + event + ": " + message;
        List<String> record = new ArrayList<>();
        if (deploymentType != null) {
            record.add(deploymentType);
        }
        if (version != null) {
            record.add("version " + version);
        }
        if (toRevision != null) {
            record.add("revision " + (fromRevision == null ? "" : fromRevision + " → ") + toRevision);
        }
        if (outcome != null) {
            record.add(outcome + (duration == null ? "" : " in " + duration));
        }
        ObjectNode slack = JSON.createObjectNode();
        slack.put("text", record.isEmpty() ? text : text + "\n" + String.join(" · ", record));
        return slack.toString();
    }

    private static void putIfKnown(ObjectNode doc, String field, Object value) {
        if (value instanceof Integer i) {
            doc.put(field, i);
        } else if (value != null) {
            doc.put(field, value.toString());
        }
    }
}
