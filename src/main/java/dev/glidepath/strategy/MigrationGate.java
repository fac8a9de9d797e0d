package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.MigrationState;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.RolloutPhase;
import dev.glidepath.api.v1alpha1.RolloutReason;
import dev.glidepath.migration.MigrationJobs;
import java.util.List;
import java.util.Optional;

/**
 * Database migrations around a rollout: the up-migration Job gates an update's new revision (once per
 * revision); a migrated revision taken out of traffic gets its down-migration; how those ended is recorded.
 */
final class MigrationGate {
    private final Situation s;

    MigrationGate(Situation s) {
        this.s = s;
    }

    /**
     * Before an update's new revision starts: its migration Job, once per revision. While it runs nothing else
     * moves; a failure or a timeout fails the rollout (MigrationFailed) with the tail of the Job's log.
     */
    Optional<RolloutRun.Result> check(RolloutRun run) {
        var p = s.progress;
        if (s.spec.migration == null || !s.inFlight(RolloutReason.UPDATE) || Boolean.TRUE.equals(p.migrated)) {
            return Optional.empty();
        }
        int to = p.toRevision;
        String name = MigrationJobs.name(s.releaseName(), to, MigrationJobs.UP);
        if (s.ledger.migration(to).filter(MigrationState.SUCCEEDED::equals).isPresent()) {
            p.migrated = true;
            return Optional.empty();
        }
        run.beginStep(-1, "migration job " + name);
        s.plan.scale(p.fromRevision, Math.max(s.observed.specReplicas(p.fromRevision), s.replicas));
        s.plan.stableRoute = s.spec.strategy.blueGreen != null ? ServiceRoute.pinned(p.fromRevision, p.fromRevision)
                : ServiceRoute.allRevisions(p.fromRevision);
        ObservedState.ObservedJob job = s.observed.jobs().get(name);
        if (job != null && job.succeeded()) {
            p.migrated = true;
            s.ledger.migration(to, MigrationState.SUCCEEDED);
            run.finishStep(-1, RolloutPhase.SUCCEEDED);
            s.plan.note(EventReason.MIGRATION_SUCCEEDED, "migration job " + name + " succeeded");
            return Optional.empty();
        }
        if (job != null && p.migrationStartedAt == null) {
            // Created by a reconcile whose status write was lost (the operator restarted in between): adopt the Job
            // running; its timeout runs from its creation.
            p.migrationStartedAt = Timestamps.format(job.created().orElse(s.now));
        }
        if (job == null) {
            if (p.migrationStartedAt == null) {
                p.migrationStartedAt = Timestamps.format(s.now);
                s.plan.note(EventReason.MIGRATION_STARTED, "migration job " + name + " started for revision " + to);
            }
            // Asked again while created but not seen yet: the API server refuses a second create, it never runs twice.
            s.plan.jobs.add(new Decision.JobRequest(name, MigrationJobs.UP, to, p.fromRevision, to, s.versionOf(to), p.name));
        }
        if (job != null && job.failed()) {
            return Optional.of(failed(run, to, "migration job " + name + " failed" + tail(job)));
        }
        Deadline timeout = new Deadline(Timestamps.parse(p.migrationStartedAt), s.timings.migrationTimeout());
        if (timeout.passed(s.now)) {
            return Optional.of(failed(run, to, "migration job " + name + " did not finish within "
                    + Durations.format(s.timings.migrationTimeout())));
        }
        return run.waitFor(timeout, "migration job " + name + " is running; revision " + to + " starts when it succeeds");
    }

    private RolloutRun.Result failed(RolloutRun run, int revision, String message) {
        s.ledger.migration(revision, MigrationState.FAILED);
        run.finishStep(-1, RolloutPhase.FAILED);
        return run.failed(EventReason.MIGRATION_FAILED, message);
    }

    private static String tail(ObservedState.ObservedJob job) {
        return job.failureMessage() == null || job.failureMessage().isBlank() ? "" : ": " + job.failureMessage().strip();
    }

    /** A migrated revision taken out of traffic gets its down-migration, after traffic is back on stable. */
    void downMigrate(int revision, String rollout) {
        if (s.spec.migration == null || s.spec.migration.rollback == null
                || s.ledger.migration(revision).filter(MigrationState.SUCCEEDED::equals).isEmpty()) {
            return;
        }
        String name = MigrationJobs.name(s.releaseName(), revision, MigrationJobs.DOWN);
        s.plan.jobs.add(new Decision.JobRequest(name, MigrationJobs.DOWN, revision, revision,
                s.stable == null ? revision : s.stable, s.versionOf(revision), rollout));
        s.ledger.migration(revision, MigrationState.ROLLING_BACK);
        s.plan.note(EventReason.MIGRATION_ROLLBACK_STARTED, "down-migration job " + name + " started for revision " + revision);
    }

    /**
     * Records how down-migrations of the retained revisions ended; returns the failure to report (it never
     * blocks anything).
     */
    Optional<String> observeDownMigrations(List<RevisionRecord> retained) {
        String failed = null;
        for (RevisionRecord r : retained) {
            String name = r.number == null ? null : MigrationJobs.name(s.releaseName(), r.number, MigrationJobs.DOWN);
            ObservedState.ObservedJob job = name == null ? null : s.observed.jobs().get(name);
            // A down-migration whose start was not recorded (the status write was lost) is followed all the same.
            boolean running = MigrationState.ROLLING_BACK.wire().equals(r.migration)
                    || (MigrationState.SUCCEEDED.wire().equals(r.migration) && job != null && s.ledger.blocked(r.number));
            if (!running || job == null) {
                continue;
            }
            if (job.succeeded()) {
                s.ledger.migration(r.number, MigrationState.ROLLED_BACK);
                s.plan.note(EventReason.MIGRATION_ROLLED_BACK, "down-migration job " + name + " succeeded");
            } else if (job.failed()) {
                s.ledger.migration(r.number, MigrationState.ROLLBACK_FAILED);
                failed = "down-migration job " + name + " failed" + (job.failureMessage() == null ? "" : ": "
                        + job.failureMessage().strip());
                s.plan.warn(EventReason.MIGRATION_ROLLBACK_FAILED, failed);
            }
        }
        return Optional.ofNullable(failed);
    }
}
