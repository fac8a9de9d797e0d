package dev.glidepath.cli;

import dev.glidepath.analysis.StandardMetrics;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One Release as the dashboard shows it: the summary line with the deployment type, the canary steps as a timeline,
 * the analysis measurements against their bounds, the Jobs, the Rollouts (each with its deployment record at
 * {@code api/record}) and which commands apply now. Pure: the same
 * Release, Rollouts, Jobs and time give the same JSON, so the live feed can tell a real change from a repeat.
 */
final class ReleaseView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ReleaseView() {
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** {@code rollouts} oldest first. */
    static ObjectNode of(Release r, List<Rollout> rollouts, List<Job> jobs, Instant now) {
        ReleaseSummary sum = ReleaseSummary.of(r, now);
        ReleaseStatus s = r.getStatus();
        boolean inFlight = s != null && s.rollout != null;
        ObjectNode v = NODES.objectNode();
        v.put("key", key(sum.namespace(), sum.name()));
        v.put("namespace", sum.namespace());
        v.put("name", sum.name());
        v.put("phase", sum.phase());
        v.put("version", sum.version());
        v.put("weight", inFlight ? sum.weight() : null);
        v.put("step", sum.step());
        v.put("waitingFor", sum.waitingFor());
        v.put("needsYou", sum.needsYou());
        v.put("message", sum.message());
        v.put("deploymentType", sum.deploymentType());
        if (s != null) {
            v.put("strategy", s.strategy);
            v.put("stableRevision", s.stableRevision);
            v.put("toRevision", inFlight ? s.rollout.toRevision : null);
        }
        steps(v.putArray("steps"), r, now);
        Rollout shown = shown(s, rollouts);
        v.put("analysisOf", shown == null ? null : shown.getMetadata().getName() + (inFlight ? "" : " (last rollout)"));
        metrics(v.putArray("metrics"), r, shown);
        ArrayNode js = v.putArray("jobs");
        jobs.stream().sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
                .forEach(j -> js.addObject().put("name", j.getMetadata().getName()).put("state", StatusView.jobState(j)));
        history(v.putArray("history"), rollouts, now);
        List<Integer> targets = ReleaseAction.rollbackTargets(r);
        ArrayNode revisions = v.putArray("revisions");
        if (s != null && s.revisions != null) {
            for (RevisionRecord rev : s.revisions) {
                revisions.addObject().put("number", rev.number).put("outcome", rev.outcome).put("version", rev.version)
                        .put("stable", Objects.equals(rev.number, s.stableRevision)).put("rollbackTarget", targets.contains(rev.number));
            }
        }
        // The commands that mean something now, decided as the CLI decides them: the page shows a button for these only.
        ArrayNode actions = v.putArray("actions");
        ReleaseAction.allowed(r).forEach(a -> actions.add(a.wire()));
        v.put("previousStable", ReleaseAction.rollbackRefusal(r, null) == null ? ReleaseAction.previousStable(r) : null);
        return v;
    }

    /** The Rollout in flight, else the newest: its analysis is what the last decision rested on. */
    private static Rollout shown(ReleaseStatus s, List<Rollout> rollouts) {
        String current = s != null && s.rollout != null ? s.rollout.name : null;
        return rollouts.stream().filter(x -> x.getMetadata().getName().equals(current)).findFirst()
                .orElse(rollouts.isEmpty() ? null : rollouts.get(rollouts.size() - 1));
    }

    private static void steps(ArrayNode out, Release r, Instant now) {
        ReleaseStatus s = r.getStatus();
        List<CanaryStep> steps = r.getSpec() != null && r.getSpec().strategy != null && r.getSpec().strategy.canary != null
                && r.getSpec().strategy.canary.steps != null ? r.getSpec().strategy.canary.steps : List.of();
        Integer current = s == null || s.rollout == null ? null : s.rollout.stepIndex;
        for (int i = 0; i < steps.size(); i++) {
            CanaryStep step = steps.get(i);
            String state = current == null ? "idle" : i < current ? "done" : i == current ? "current" : "pending";
            String text = step.describe();
            if ("current".equals(state) && step.pause != null && step.pause.duration != null) {
                String left = ReleaseSummary.timeLeftText(s.rollout.stepStartedAt, step.pause.duration, now);
                text += left == null ? "" : " (" + left + " left)";
            }
            out.addObject().put("text", text).put("state", state);
        }
    }

    private static void metrics(ArrayNode out, Release r, Rollout shown) {
        if (r.getSpec() == null) {
            return;
        }
        for (MetricSpec m : StandardMetrics.expand(r.getSpec().analysis)) {
            ObjectNode o = out.addObject();
            o.put("name", m.name);
            o.put("bound", StatusView.bound(m));
            o.put("judged", m.judge != null);
            if (m.threshold != null) {
                o.put("max", m.threshold.max);
                o.put("min", m.threshold.min);
            }
            MetricRecord record = shown == null || shown.getStatus() == null || shown.getStatus().analysis == null ? null
                    : shown.getStatus().analysis.stream().filter(x -> m.name.equals(x.name)).findFirst().orElse(null);
            o.put("failures", record == null ? null : record.failures);
            ArrayNode ms = o.putArray("measurements");
            if (record != null && record.measurements != null) {
                for (Measurement x : record.measurements) {
                    ms.addObject().put("time", x.time).put("value", x.value).put("verdict", x.verdict).put("reason", x.reason)
                            .put("stableValue", x.stableValue).put("evidenceWorse", x.evidenceWorse)
                            .put("evidenceNotWorse", x.evidenceNotWorse);
                }
            }
        }
    }

    private static void history(ArrayNode out, List<Rollout> rollouts, Instant now) {
        for (Rollout r : rollouts) {
            var st = r.getStatus();
            var spec = r.getSpec();
            String took = null;
            if (st != null && st.startedAt != null) {
                try {
                    Instant start = Instant.parse(st.startedAt);
                    took = StatusView.durationText(Duration.between(start, st.finishedAt == null ? now : Instant.parse(st.finishedAt)))
                            + (st.finishedAt == null ? "…" : "");
                } catch (RuntimeException e) {
                    took = null;
                }
            }
            out.addObject().put("name", r.getMetadata().getName())
                    .put("revisions", spec == null ? null : (spec.fromRevision == null ? "" : spec.fromRevision + "→") + spec.toRevision)
                    .put("reason", spec == null ? null : spec.reason)
                    .put("type", spec == null ? null : spec.type)
                    .put("phase", st == null ? null : st.phase)
                    .put("outcome", st == null ? null : st.outcome)
                    .put("startedAt", st == null ? null : st.startedAt)
                    .put("took", took)
                    .put("message", st == null ? null : st.message);
        }
    }
}
