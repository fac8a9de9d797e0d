package dev.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.ApprovalSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the dashboard shows of one Release: pure, from the Release, its Rollouts, its Jobs and the time. */
class ReleaseViewTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:30Z");

    private static Release canary(String phase, RolloutProgress rollout) {
        Release r = Releases.canary("apps", "shop", "shop:2", 2, CanaryStep.weight(20), CanaryStep.pause("1m"), CanaryStep.weight(60));
        ReleaseStatus s = new ReleaseStatus();
        s.phase = phase;
        s.stableRevision = 1;
        s.canaryWeight = rollout == null ? null : 20;
        s.rollout = rollout;
        r.setStatus(s);
        return r;
    }

    private static Rollout rollout(String name, int from, int to, String phase, String finishedAt, String message) {
        Rollout r = new Rollout();
        r.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName(name).build());
        r.setSpec(new RolloutSpec());
        r.getSpec().fromRevision = from;
        r.getSpec().toRevision = to;
        r.getSpec().reason = "Update";
        r.setStatus(new RolloutStatus());
        r.getStatus().phase = phase;
        r.getStatus().startedAt = "2026-03-01T10:00:00Z";
        r.getStatus().finishedAt = finishedAt;
        r.getStatus().message = message;
        return r;
    }

    @Test
    void aTimedPauseInFlightShowsItsCountdownTheStepsAroundItAndTheCommandsThatApply() {
        RolloutProgress p = new RolloutProgress();
        p.name = "shop-2";
        p.toRevision = 2;
        p.stepIndex = 1;
        p.stepStartedAt = "2026-03-01T10:00:00Z";
        ObjectNode v = ReleaseView.of(canary("Paused", p), List.of(rollout("shop-2", 1, 2, "Progressing", null, null)), List.of(), NOW);
        assertThat(v.get("steps").findValuesAsText("state")).containsExactly("done", "current", "pending");
        assertThat(v.get("steps").get(1).get("text").asText()).isEqualTo("pause 1m (30s left)");
        assertThat(v.get("needsYou").asBoolean()).isFalse();
        assertThat(v.get("weight").asInt()).isEqualTo(20);
        assertThat(v.get("history").get(0).get("took").asText()).isEqualTo("30s…");
        assertThat(actions(v)).containsExactly("promote", "promote-full", "abort", "pause");
    }

    private static List<String> actions(ObjectNode v) {
        List<String> names = new ArrayList<>();
        v.get("actions").forEach(a -> names.add(a.asText()));
        return names;
    }

    private static RevisionRecord revision(int number, String outcome) {
        RevisionRecord r = new RevisionRecord();
        r.number = number;
        r.outcome = outcome;
        return r;
    }

    @Test
    void aHealthyReleaseIsOfferedOnlyTheCommandsThatMeanSomethingNow() {
        Release r = canary("Healthy", null);
        r.getStatus().stableRevision = 2;
        r.getStatus().revisions = List.of(revision(2, "Stable"), revision(1, "Replaced"));
        ObjectNode v = ReleaseView.of(r, List.of(), List.of(), NOW);
        // Nothing in flight, nothing failed, no approval required: no promote, abort, retry or approve.
        assertThat(actions(v)).containsExactly("rollback", "pause");
        assertThat(v.get("previousStable").asInt()).isEqualTo(1);
        assertThat(v.get("revisions").findValuesAsText("rollbackTarget")).containsExactly("false", "true");

        r.getSpec().paused = true;
        assertThat(actions(ReleaseView.of(r, List.of(), List.of(), NOW))).containsExactly("rollback", "resume");
    }

    @Test
    void aDegradedReleaseIsOfferedRetryAndRollbackButNoPromoteOrAbort() {
        Release r = canary("Degraded", null);
        r.getStatus().revisions = List.of(revision(2, "Failed"), revision(1, "Stable"));
        ObjectNode v = ReleaseView.of(r, List.of(), List.of(), NOW);
        // Revision 1 runs with nothing in flight: rolling back to it means nothing, and there is no earlier stable one.
        assertThat(actions(v)).containsExactly("rollback", "retry", "pause");
        assertThat(v.get("previousStable").isNull()).isTrue();
        assertThat(v.get("revisions").findValuesAsText("rollbackTarget")).containsExactly("true", "false");
    }

    @Test
    void aReleaseWaitingForApprovalIsOfferedApprove() {
        Release r = canary("AwaitingApproval", null);
        r.getSpec().approval = new ApprovalSpec();
        r.getSpec().approval.required = true;
        assertThat(actions(ReleaseView.of(r, List.of(), List.of(), NOW))).containsExactly("approve", "pause");
    }

    @Test
    void aFinishedReleaseHasNoWeightAndItsRolloutsSayHowTheyEnded() {
        Release r = canary("Healthy", null);
        Job migration = new JobBuilder().withNewMetadata().withName("shop-migrate-2").endMetadata().withNewStatus().withSucceeded(1)
                .endStatus().build();
        ObjectNode v = ReleaseView.of(r, List.of(rollout("shop-1", 0, 1, "Succeeded", "2026-03-01T10:00:10Z", "revision 1 is stable"),
                rollout("shop-2", 1, 2, "RolledBack", "2026-03-01T10:00:20Z", "error-rate 0.42 above max 0.05")), List.of(migration), NOW);
        assertThat(v.get("weight").isNull()).isTrue();
        assertThat(v.get("steps").findValuesAsText("state")).containsOnly("idle");
        assertThat(v.get("history").findValuesAsText("message")).containsExactly("revision 1 is stable", "error-rate 0.42 above max 0.05");
        assertThat(v.get("history").get(1).get("took").asText()).isEqualTo("20s");
        assertThat(v.get("jobs").get(0).get("state").asText()).isEqualTo("succeeded");
        assertThat(v.get("analysisOf").asText()).isEqualTo("shop-2 (last rollout)");
        assertThat(actions(v)).doesNotContain("promote", "promote-full", "abort", "retry", "approve");
    }

    @Test
    void aJudgedMetricCarriesItsValuesWithTheStableRevisionsAndTheEvidence() {
        Release r = canary("Progressing", new RolloutProgress());
        r.getStatus().rollout.name = "shop-2";
        MetricSpec judged = new MetricSpec();
        judged.name = "errors";
        judged.judge = new JudgeSpec();
        judged.judge.maxRatio = 2.0;
        r.getSpec().analysis = new AnalysisSpec();
        r.getSpec().analysis.metrics = List.of(judged);
        Rollout shop2 = rollout("shop-2", 1, 2, "Progressing", null, null);
        MetricRecord record = new MetricRecord();
        record.name = "errors";
        Measurement m = new Measurement("2026-03-01T10:00:20Z", 0.02, "Inconclusive", "not enough requests");
        m.stableValue = 0.01;
        m.evidenceWorse = 0.4;
        m.evidenceNotWorse = 3.5;
        record.measurements = List.of(m);
        shop2.getStatus().analysis = List.of(record);
        ObjectNode v = ReleaseView.of(r, List.of(shop2), List.of(), NOW);
        var metric = v.get("metrics").get(0);
        assertThat(metric.get("judged").asBoolean()).isTrue();
        assertThat(metric.get("bound").asText()).isEqualTo("the stable revision (≤ 2.0×)");
        assertThat(metric.get("measurements").get(0).get("stableValue").asDouble()).isEqualTo(0.01);
        assertThat(metric.get("measurements").get(0).get("evidenceNotWorse").asDouble()).isEqualTo(3.5);
        assertThat(v.get("analysisOf").asText()).isEqualTo("shop-2");
    }
}
