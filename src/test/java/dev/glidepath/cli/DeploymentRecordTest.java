package dev.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.CanaryStrategy;
import dev.glidepath.api.v1alpha1.ChangeSpec;
import dev.glidepath.api.v1alpha1.ImageChange;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.MetricSummary;
import dev.glidepath.api.v1alpha1.RecordedApproval;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.api.v1alpha1.StepRecord;
import dev.glidepath.api.v1alpha1.StrategySpec;
import dev.glidepath.api.v1alpha1.TimelineEntry;
import dev.glidepath.api.v1alpha1.UpstreamEvidence;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentRecordTest {

    static RecordedApproval approval(String role, String approver, String at, String comment) {
        RecordedApproval a = new RecordedApproval();
        a.role = role;
        a.approver = approver;
        a.at = at;
        a.approval = "shop-7-" + role;
        a.comment = comment;
        return a;
    }

    static ImageChange change(String container, String from, String to) {
        ImageChange c = new ImageChange();
        c.container = container;
        c.from = from;
        c.to = to;
        return c;
    }

    static MetricSummary summary(String metric, Double canary, Double stable, String change, String verdict) {
        MetricSummary m = new MetricSummary();
        m.metric = metric;
        m.canary = canary;
        m.stable = stable;
        m.change = change;
        m.verdict = verdict;
        return m;
    }

    static StepRecord step(int index, String what, String started, String finished) {
        StepRecord s = new StepRecord(index, what, started);
        s.finishedAt = finished;
        s.outcome = "Succeeded";
        return s;
    }

    /** A hotfix canary promoted from staging, approved by two roles, as the operator records it once it succeeded. */
    static Rollout hotfix() {
        Rollout r = new Rollout();
        r.setMetadata(new ObjectMetaBuilder().withNamespace("prod").withName("shop-7").withLabels(Map.of(Release.LABEL, "shop")).build());
        RolloutSpec spec = new RolloutSpec();
        spec.release = "shop";
        spec.fromRevision = 6;
        spec.toRevision = 7;
        spec.version = "1.4.2";
        spec.reason = "Update";
        spec.type = "Hotfix";
        spec.hotfixReason = "INC-2231: checkout fails for carts over 50 items";
        spec.triggeredBy = "argocd-controller";
        spec.strategy = new StrategySpec();
        spec.strategy.canary = new CanaryStrategy();
        spec.strategy.canary.steps = List.of(CanaryStep.weight(20), CanaryStep.pause("2m"), CanaryStep.weight(60));
        spec.approvals = List.of(approval("service-owner", "maria.lopez@example.com", "2026-03-01T09:58:12Z", "verified on staging"),
                approval("security", "sam.okafor@example.com", "2026-03-01T09:59:40.123456Z", null));
        spec.changes = List.of(change("app", "registry.example.com/shop:1.4.1", "registry.example.com/shop:1.4.2"),
                change("metrics-agent", null, "registry.example.com/agent:2.0"));
        spec.change = new ChangeSpec();
        spec.change.summary = "Fix the cart total for large carts.\nNo schema change.";
        spec.change.link = "https://git.example.com/shop/pull/812";
        UpstreamEvidence up = new UpstreamEvidence();
        up.namespace = "staging";
        up.release = "shop";
        up.revision = 12;
        up.rollout = "shop-12";
        up.since = "2026-03-01T09:40:00Z";
        up.soakSkipped = "hotfix";
        spec.promotedFrom = List.of(up);
        r.setSpec(spec);

        RolloutStatus st = new RolloutStatus();
        st.phase = "Succeeded";
        st.startedAt = "2026-03-01T10:00:00Z";
        st.finishedAt = "2026-03-01T10:04:30Z";
        st.duration = "4m30s";
        st.outcome = "SUCCESS";
        st.message = "revision 7 is stable";
        st.timeline = List.of(new TimelineEntry("2026-03-01T09:57:03Z", "waiting for approval: service-owner, security"),
                new TimelineEntry("2026-03-01T09:59:40Z", "approved"),
                new TimelineEntry("2026-03-01T10:00:00Z", "step 0: setWeight 20"),
                new TimelineEntry("2026-03-01T10:00:31Z", "step 1: pause 2m"),
                new TimelineEntry("2026-03-01T10:02:31Z", "step 2: setWeight 60"),
                new TimelineEntry("2026-03-01T10:03:30Z", "promoted"),
                new TimelineEntry("2026-03-01T10:04:30Z", "monitoring window over"));
        st.summary = List.of(summary("error-rate", 0.0021, 0.0019, "+11%", "Pass"), summary("p99-latency", 0.182, null, null, "Pass"));
        st.steps = new ArrayList<>(List.of(step(0, "setWeight 20", "2026-03-01T10:00:00Z", "2026-03-01T10:00:31Z"),
                step(1, "pause 2m", "2026-03-01T10:00:31Z", "2026-03-01T10:02:31Z"),
                step(2, "setWeight 60", "2026-03-01T10:02:31Z", "2026-03-01T10:03:30Z")));
        r.setStatus(st);
        return r;
    }

    @Test
    void aRolloutWithEveryFieldIsAReadableMarkdownRecord() {
        assertThat(DeploymentRecord.markdown(hotfix())).isEqualTo("""
                # Deployment record: shop 1.4.2 (Hotfix)

                | Fact          | Value                                            |
                | ------------- | ------------------------------------------------ |
                | Release       | prod/shop                                        |
                | Rollout       | shop-7                                           |
                | Revisions     | 6 → 7                                            |
                | Version       | 1.4.2                                            |
                | Type          | Hotfix                                           |
                | Hotfix reason | INC-2231: checkout fails for carts over 50 items |
                | Outcome       | SUCCESS                                          |
                | Phase         | Succeeded                                        |
                | Started       | 2026-03-01T10:00:00Z                             |
                | Finished      | 2026-03-01T10:04:30Z                             |
                | Duration      | 4m30s                                            |
                | Triggered by  | argocd-controller                                |
                | Reason        | Update                                           |
                | Strategy      | Canary                                           |
                | Message       | revision 7 is stable                             |

                ## Approvals

                | Who                     | Role          | When                 | Comment             |
                | ----------------------- | ------------- | -------------------- | ------------------- |
                | maria.lopez@example.com | service-owner | 2026-03-01T09:58:12Z | verified on staging |
                | sam.okafor@example.com  | security      | 2026-03-01T09:59:40Z |                     |

                ## What changed

                - app: registry.example.com/shop:1.4.1 → registry.example.com/shop:1.4.2
                - metrics-agent: (new container) → registry.example.com/agent:2.0

                > Fix the cart total for large carts.
                > No schema change.

                Link: https://git.example.com/shop/pull/812

                ## Promotion evidence

                - staging/shop revision 12 (Rollout shop-12), healthy since 2026-03-01T09:40:00Z; soak skipped: hotfix

                ## Timeline

                | Time                 | What                                          |
                | -------------------- | --------------------------------------------- |
                | 2026-03-01T09:57:03Z | waiting for approval: service-owner, security |
                | 2026-03-01T09:59:40Z | approved                                      |
                | 2026-03-01T10:00:00Z | step 0: setWeight 20                          |
                | 2026-03-01T10:00:31Z | step 1: pause 2m                              |
                | 2026-03-01T10:02:31Z | step 2: setWeight 60                          |
                | 2026-03-01T10:03:30Z | promoted                                      |
                | 2026-03-01T10:04:30Z | monitoring window over                        |

                ## Analysis

                | Metric      | New    | Stable | Change | Verdict |
                | ----------- | ------ | ------ | ------ | ------- |
                | error-rate  | 0.0021 | 0.0019 | +11%   | Pass    |
                | p99-latency | 0.182  |        |        | Pass    |

                ## Steps

                | Step | What         | Started              | Finished             | Outcome   |
                | ---- | ------------ | -------------------- | -------------------- | --------- |
                | 0    | setWeight 20 | 2026-03-01T10:00:00Z | 2026-03-01T10:00:31Z | Succeeded |
                | 1    | pause 2m     | 2026-03-01T10:00:31Z | 2026-03-01T10:02:31Z | Succeeded |
                | 2    | setWeight 60 | 2026-03-01T10:02:31Z | 2026-03-01T10:03:30Z | Succeeded |
                """);
    }

    /** The README shows what the command prints for this Rollout, not an edited copy. */
    @Test
    void theReadmeExampleIsWhatTheRecordCommandPrints() throws IOException {
        assertThat(Files.readString(Path.of("README.md"))).contains("```markdown\n" + DeploymentRecord.markdown(hotfix()) + "```\n");
    }

    /** Written before the record fields existed: what it has, without empty sections; the duration from its times. */
    @Test
    void anOlderRolloutShowsWhatItHasAndLeavesTheRestOut() {
        Rollout r = new Rollout();
        r.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName("shop-2").build());
        r.setSpec(new RolloutSpec());
        r.getSpec().release = "shop";
        r.getSpec().fromRevision = 1;
        r.getSpec().toRevision = 2;
        r.getSpec().reason = "Update";
        r.setStatus(new RolloutStatus());
        r.getStatus().phase = "RolledBack";
        r.getStatus().startedAt = "2026-03-01T10:00:00.123Z";
        r.getStatus().finishedAt = "2026-03-01T10:01:05Z";
        r.getStatus().message = "AnalysisFailed: error-rate 0.42 above max 0.05";
        MetricRecord m = new MetricRecord();
        m.name = "error-rate";
        m.measurements = List.of(new Measurement("2026-03-01T10:00:30Z", 0.01, "Pass", null),
                new Measurement("2026-03-01T10:01:00Z", 0.42, "Fail", "above max 0.05"));
        r.getStatus().analysis = List.of(m);

        String md = DeploymentRecord.markdown(r);
        assertThat(md).isEqualTo("""
                # Deployment record: shop revision 2

                | Fact      | Value                                          |
                | --------- | ---------------------------------------------- |
                | Release   | apps/shop                                      |
                | Rollout   | shop-2                                         |
                | Revisions | 1 → 2                                          |
                | Phase     | RolledBack                                     |
                | Started   | 2026-03-01T10:00:00Z                           |
                | Finished  | 2026-03-01T10:01:05Z                           |
                | Duration  | 1m5s                                           |
                | Reason    | Update                                         |
                | Message   | AnalysisFailed: error-rate 0.42 above max 0.05 |

                ## Analysis

                | Metric     | New  | Stable | Change | Verdict |
                | ---------- | ---- | ------ | ------ | ------- |
                | error-rate | 0.42 |        |        | Fail    |
                """);
    }

    @Test
    void aRolloutWithNothingButItsNameStillGivesATitleAndWhatItIs() {
        Rollout r = new Rollout();
        r.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName("shop-1").build());
        assertThat(DeploymentRecord.markdown(r)).isEqualTo("""
                # Deployment record: shop-1

                | Fact    | Value  |
                | ------- | ------ |
                | Rollout | shop-1 |
                """);
    }

    /** Text from the cluster cannot break the document: a pipe stays in its cell, a line break in its row. */
    @Test
    void pipesAndLineBreaksInRecordedTextStayInsideTheirCell() {
        Rollout r = hotfix();
        r.getSpec().approvals = List.of(approval("security", "eve", "2026-03-01T09:59:40Z", "ok | looks fine\n| Injected | row |"));
        r.getSpec().hotfixReason = "line one\r\nline two";
        r.getSpec().fromRevision = null;
        String md = DeploymentRecord.markdown(r);
        assertThat(md).contains("| eve | security | 2026-03-01T09:59:40Z | ok \\| looks fine \\| Injected \\| row \\| |")
                .contains("| Hotfix reason | line one line two ")
                .contains("| Revisions     | 7 (first deployment) ")
                .doesNotContain("\n| Injected");
    }
}
