package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.credentials.Credentials;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes rounds of measurements off the reconcile thread, so a slow Prometheus never holds a reconciler. The
 * reconcile that finds a round due starts it and decides without it; the round's queries run on the clients'
 * own threads and, once every answer is in (each bounded by the query timeout), wake the Release; the next
 * reconcile that asks for that same round gets its measurements, and is the only one that does. A round the
 * Release no longer asks for (its due time passed by, the spec changed, the credentials were refused) is
 * dropped unseen.
 */
public final class BackgroundMeasurements implements MeasurementSource {
    private record ReleaseKey(String namespace, String name) {
        static ReleaseKey of(Release release) {
            return new ReleaseKey(release.getMetadata().getNamespace(), release.getMetadata().getName());
        }
    }

    /** A round started for a Release: what it asks, when it was taken, its answers once they are in. */
    private record Taking(MeasurementRound round, Instant at, CompletableFuture<Map<String, QueryResult>> answers) {
    }

    private final Clock clock;
    private final PrometheusClients clients = new PrometheusClients();
    /** At most one round per Release: the one its last reconcile asked for. */
    private final Map<ReleaseKey, Taking> rounds = new ConcurrentHashMap<>();

    public BackgroundMeasurements(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Measurements measure(Release release, ReleaseStatus status, Credentials credentials, Runnable taken) {
        ReleaseKey key = ReleaseKey.of(release);
        Optional<MeasurementRound> due = MeasurementRound.dueNow(release, status, credentials, clock.instant());
        if (due.isEmpty()) {
            rounds.remove(key);
            return Measurements.NONE;
        }
        Taking round = rounds.compute(key, (k, before) -> before != null && before.round().equals(due.get()) ? before
                : start(k, due.get(), taken));
        if (!round.answers().isDone()) {
            return Measurements.IN_FLIGHT;
        }
        // Handed to this decision and to no other.
        rounds.remove(key, round);
        return new Measurements(round.round().judge(round.answers().join(), release.getSpec().analysis, round.at()), false);
    }

    private Taking start(ReleaseKey key, MeasurementRound round, Runnable taken) {
        Taking taking = new Taking(round, clock.instant(), round.query(clients));
        // Answers already in (an unusable address) are handed over by the reconcile that started the round: no wake-up.
        taking.answers().thenRun(() -> {
            if (rounds.get(key) == taking) {
                taken.run();
            }
        });
        return taking;
    }

    @Override
    public void forget(Release release) {
        rounds.remove(ReleaseKey.of(release));
    }

    @Override
    public void close() {
        rounds.clear();
        clients.close();
    }
}
