package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Command;
import dev.glidepath.api.v1alpha1.JobPodTemplate;
import dev.glidepath.api.v1alpha1.MigrationSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationIT extends SandboxTest {

    static JobPodTemplate job(String image, String log) {
        return JobPodTemplate.of(new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("migrate").withImage(image)
                .addNewEnv().withName("SIMULATED_LOG").withValue(log).endEnv().endContainer().endSpec().build());
    }

    Release withMigration(String name, String migrationImage) {
        Release r = Releases.canary(NS, name, name + ":1", 2, CanaryStep.weight(50), CanaryStep.pause(null));
        r.getSpec().migration = new MigrationSpec();
        r.getSpec().migration.template = job(migrationImage, "ok");
        r.getSpec().migration.rollback = job("migrate:down", "ok");
        r.getSpec().migration.post = job("migrate:contract", "ok");
        r.getSpec().migration.timeout = "5s";
        return r;
    }

    List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NS).list().getItems();
    }

    @Test
    void aMigrationRunsOnceBeforeTheNewRevisionStartsAndThePostStepAfterSuccess() {
        create(withMigration("db", "migrate:1"));
        awaitPhase("db", "Healthy");
        assertThat(jobs()).as("the first revision is deployed directly, without migration").isEmpty();
        update("db", "db:2");
        awaitRelease("db", "paused at the manual step", r -> "Paused".equals(r.getStatus().phase));
        Job up = client.batch().v1().jobs().inNamespace(NS).withName("db-r2-migrate").get();
        assertThat(up.getSpec().getBackoffLimit()).isZero();
        assertThat(up.getSpec().getActiveDeadlineSeconds()).isEqualTo(5L);
        assertThat(up.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Rollout");
            assertThat(o.getName()).isEqualTo("db-2");
        });
        var env = up.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("GLIDEPATH_RELEASE=db", "GLIDEPATH_NAMESPACE=apps", "GLIDEPATH_FROM_REVISION=1", "GLIDEPATH_TO_REVISION=2",
                        "GLIDEPATH_VERSION=2");
        var steps = rollouts("db").get(1).getStatus().steps;
        assertThat(steps.get(0).index).isEqualTo(-1);
        assertThat(steps.get(0).outcome).isEqualTo("Succeeded");

        // A restart while the rollout runs does not run the migration again.
        restartOperator();
        edit("db", r -> {
            r.getSpec().promote = new dev.glidepath.api.v1alpha1.PromoteCommand();
            r.getSpec().promote.id = "go";
            return r;
        });
        awaitRelease("db", "done", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        Eventually.until(() -> client.batch().v1().jobs().inNamespace(NS).withName("db-r2-migrate-post").get() != null);
        assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrder("db-r2-migrate", "db-r2-migrate-post");
        assertThat(sandbox.requests().count(e -> e.method().equals("POST") && e.path().endsWith("/jobs"))).isEqualTo(2);
        assertThat(get("db").getStatus().revisions.get(0).migration).isEqualTo("Succeeded");
    }

    @Test
    void aFailedMigrationFailsTheRolloutWithTheLogTailAndStartsNoPods() {
        create(withMigration("bad", "migrate:1"));
        awaitPhase("bad", "Healthy");
        edit("bad", r -> {
            r.getSpec().migration.template = job("migrate:broken", "ERROR: column \"email\" of relation \"users\" already exists");
            setImage(r, "bad:2");
            return r;
        });
        Release failed = awaitPhase("bad", "Degraded");
        var degraded = failed.getStatus().conditions.stream().filter(c -> c.getType().equals("Degraded")).findFirst().orElseThrow();
        assertThat(degraded.getReason()).isEqualTo("MigrationFailed");
        assertThat(failed.getStatus().message).contains("column \"email\" of relation \"users\" already exists");
        assertThat(replicasByRevision("bad")).isEqualTo(Map.of(1, 2));
        assertThat(service("bad").getSpec().getSelector()).doesNotContainKey("glidepath.dev/revision");
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("MigrationFailed");
            assertThat(e.getMessage()).contains("already exists");
        });
        assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactly("bad-r2-migrate");
    }

    @Test
    void aMigrationThatTimesOutFailsTheRollout() {
        create(withMigration("slow", "migrate:1"));
        awaitPhase("slow", "Healthy");
        edit("slow", r -> {
            r.getSpec().migration.template = job("migrate:slow", "");
            r.getSpec().migration.timeout = "1s";
            setImage(r, "slow:2");
            return r;
        });
        Release failed = awaitPhase("slow", "Degraded");
        assertThat(failed.getStatus().message).contains("did not finish within 1s");
        assertThat(replicasByRevision("slow")).isEqualTo(Map.of(1, 2));
    }

    @Test
    void anAbortAfterTheMigrationRunsTheDownMigrationOnceTrafficIsBack() {
        create(withMigration("down", "migrate:1"));
        awaitPhase("down", "Healthy");
        update("down", "down:2");
        awaitRelease("down", "paused", r -> "Paused".equals(r.getStatus().phase));
        edit("down", r -> {
            r.getSpec().abort = new Command();
            r.getSpec().abort.id = "stop";
            return r;
        });
        awaitPhase("down", "Degraded");
        Eventually.until(() -> {
            var r = get("down").getStatus().revisions.stream().filter(x -> x.number == 2).findFirst().orElseThrow();
            return "RolledBack".equals(r.migration);
        });
        Job down = client.batch().v1().jobs().inNamespace(NS).withName("down-r2-migrate-down").get();
        assertThat(down).isNotNull();
        assertThat(replicasByRevision("down")).isEqualTo(Map.of(1, 2, 2, 0));
    }

    @Test
    void anAutomaticRevertByAnalysisRunsTheDownMigrationAfterTrafficIsBack() {
        try (var prometheus = new dev.glidepath.sandbox.FakePrometheus()) {
            prometheus.answer(q -> dev.glidepath.sandbox.FakePrometheus.Answer.value(0.9));
            Release r = withMigration("auto", "migrate:1");
            r.getSpec().analysis = dev.glidepath.sandbox.Analyses.of(prometheus.address(), "100ms",
                    dev.glidepath.sandbox.Analyses.errorRate("1m", 0.05));
            create(r);
            awaitPhase("auto", "Healthy");
            update("auto", "auto:2");
            Release reverted = awaitPhase("auto", "Degraded");
            assertThat(reverted.getStatus().message).contains("AnalysisFailed");
            Eventually.until(() -> {
                var rec = get("auto").getStatus().revisions.stream().filter(x -> x.number == 2).findFirst().orElseThrow();
                return "RolledBack".equals(rec.migration);
            });
            var down = client.batch().v1().jobs().inNamespace(NS).withName("auto-r2-migrate-down").get();
            assertThat(down.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .extracting(e -> e.getName() + "=" + e.getValue()).contains("GLIDEPATH_MIGRATION=migrate-down");
            assertThat(replicasByRevision("auto")).isEqualTo(Map.of(1, 2, 2, 0));
        }
    }

    @Test
    void aRestartWhileTheMigrationJobRunsAdoptsIt() throws Exception {
        create(withMigration("run", "migrate:1"));
        awaitPhase("run", "Healthy");
        edit("run", r -> {
            r.getSpec().migration.template = job("migrate:slow", "");
            r.getSpec().migration.timeout = "1h";
            setImage(r, "run:2");
            return r;
        });
        awaitRelease("run", "migrating", r -> r.getStatus().message != null && r.getStatus().message.contains("is running"));
        restartOperator();
        // The restarted operator follows the same Job and still takes commands.
        edit("run", r -> {
            r.getSpec().abort = new Command();
            r.getSpec().abort.id = "stop";
            return r;
        });
        awaitPhase("run", "Degraded");
        assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactly("run-r2-migrate");
        assertThat(replicasByRevision("run")).isEqualTo(Map.of(1, 2));
    }

    @Test
    void aRestartBetweenCreatingTheMigrationJobAndRecordingItAdoptsTheJobAndItsStartTime() throws Exception {
        create(withMigration("lost", "migrate:1"));
        awaitPhase("lost", "Healthy");
        try (AutoCloseable refused = sandbox.dispatcher().refuse("PUT", "/releases/lost/status", 500, "etcd unavailable")) {
            edit("lost", r -> {
                r.getSpec().migration.template = job("migrate:slow", "");
                r.getSpec().migration.timeout = "4s";
                setImage(r, "lost:2");
                return r;
            });
            Eventually.until(() -> client.batch().v1().jobs().inNamespace(NS)
                    .withName("lost-r2-migrate").get() != null);
            // The operator dies with the Job created and nothing of it in the Release's status.
            operator.stop();
        }
        assertThat(get("lost").getStatus().rollout).isNull();
        java.time.Instant created = java.time.Instant.parse(client.batch().v1().jobs().inNamespace(NS)
                .withName("lost-r2-migrate").get().getMetadata().getCreationTimestamp());
        operator = dev.glidepath.sandbox.OperatorHarness.start(sandbox.newClient());
        awaitRelease("lost", "the running Job adopted", r -> r.getStatus().rollout != null
                && r.getStatus().rollout.migrationStartedAt != null);
        assertThat(java.time.Instant.parse(get("lost").getStatus().rollout.migrationStartedAt)).isEqualTo(created);
        // Its timeout runs from the Job's creation: it fails the rollout, no second Job is created.
        Release failed = awaitPhase("lost", "Degraded");
        assertThat(failed.getStatus().message).contains("did not finish within 4s");
        assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactly("lost-r2-migrate");
        assertThat(replicasByRevision("lost")).isEqualTo(Map.of(1, 2));
    }

    @Test
    void aFailedMigrationJobsPodsAreListedOnce() {
        create(withMigration("once", "migrate:1"));
        awaitPhase("once", "Healthy");
        edit("once", r -> {
            r.getSpec().migration.template = job("migrate:broken", "ERROR: duplicate key");
            setImage(r, "once:2");
            return r;
        });
        awaitPhase("once", "Degraded");
        // Later reconciles (a periodic look, a change of the Release) reuse the log tail read once.
        edit("once", r -> {
            r.getSpec().paused = true;
            return r;
        });
        awaitRelease("once", "seen the edit", r -> r.getStatus().observedGeneration != null
                && r.getStatus().observedGeneration.equals(r.getMetadata().getGeneration()));
        long podLists = sandbox.requests().count(e -> e.method().equals("GET") && e.path().contains("/pods")
                && e.path().contains("job-name"));
        assertThat(podLists).isEqualTo(1);
    }
}
