package dev.glidepath.analysis;

import dev.glidepath.credentials.PrometheusAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.glidepath.analysis.MeasurementSource.Measurements;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.credentials.Credentials;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.sandbox.FakePrometheus;
import dev.glidepath.sandbox.FakePrometheus.Answer;
import dev.glidepath.sandbox.MovableClock;
import dev.glidepath.sandbox.Releases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The measurement sources: the operator's takes a due round off the calling thread, wakes the Release when its
 * answers are in and hands them to one decision; the immediate one answers in the same call.
 */
class MeasurementSourceTest {
    static final Instant DUE = Instant.parse("2030-01-01T00:00:00Z");
    final MovableClock clock = new MovableClock(DUE.plusMillis(5));
    final FakePrometheus prometheus = new FakePrometheus();
    final AtomicReference<Answer> answer = new AtomicReference<>(Answer.value(0.01));
    final AtomicInteger wakes = new AtomicInteger();
    final BackgroundMeasurements background = new BackgroundMeasurements(clock);
    final Release release = release();

    {
        prometheus.answer(q -> answer.get());
    }

    @AfterEach
    void close() {
        background.close();
        prometheus.close();
    }

    Release release() {
        Release r = Releases.canary("apps", "shop", "shop:2", 2, CanaryStep.weight(50));
        r.getSpec().analysis = Analyses.of(prometheus.address(), "1s", Analyses.errorRate("1m", 0.05),
                Analyses.metric("latency", "sum(latency{revision=\"{{newRevision}}\"})", 0.5));
        return r;
    }

    static ReleaseStatus measuringAt(Instant due) {
        ReleaseStatus s = new ReleaseStatus();
        s.version = "2";
        s.rollout = new RolloutProgress();
        s.rollout.fromRevision = 1;
        s.rollout.toRevision = 2;
        s.rollout.nextMeasurementAt = due.toString();
        return s;
    }

    Measurements measure(ReleaseStatus status) {
        return background.measure(release, status, Credentials.NONE, wakes::incrementAndGet);
    }

    /** Asks again until the round's answers are in (the wake-up says they are). */
    Measurements taken(ReleaseStatus status) {
        await().atMost(Duration.ofSeconds(5)).until(() -> wakes.get() > 0);
        return measure(status);
    }

    @Test
    void aDueRoundIsTakenOffTheCallingThreadAndHandedToOneDecision() {
        answer.set(Answer.value(0.01).late(300));
        ReleaseStatus status = measuringAt(DUE);
        long start = System.nanoTime();
        Measurements first = measure(status);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the caller does not wait for Prometheus")
                .isLessThan(Duration.ofMillis(250));
        assertThat(first.inFlight()).isTrue();
        assertThat(first.taken()).isEmpty();
        assertThat(measure(status).inFlight()).as("asked again: the same round, not a second one").isTrue();
        clock.advance(Duration.ofMillis(400));

        Measurements round = taken(status);
        assertThat(wakes).hasValue(1);
        assertThat(round.inFlight()).isFalse();
        assertThat(round.taken()).containsOnlyKeys("error-rate", "latency");
        assertThat(round.taken().values()).allSatisfy(m -> {
            assertThat(m.verdict).isEqualTo("Pass");
            assertThat(m.value).isEqualTo(0.01);
            assertThat(m.time).as("when the round was taken").isEqualTo(DUE.plusMillis(5).toString());
        });
        assertThat(prometheus.queries()).hasSize(2).anySatisfy(q -> assertThat(q).contains("revision=\"2\""));

        // Its measurements went to that decision: asking again (the decision's status not stored yet) is a new round.
        Measurements again = measure(status);
        assertThat(again.taken()).isEmpty();
        assertThat(again.inFlight()).isTrue();
    }

    @Test
    void aFailingMeasurementIsJudgedByTheThresholdsOfTheSpec() {
        answer.set(Answer.value(0.42));
        ReleaseStatus status = measuringAt(DUE);
        measure(status);
        Measurements round = taken(status);
        assertThat(round.taken().get("error-rate").verdict).isEqualTo("Fail");
        assertThat(round.taken().get("error-rate").reason).isEqualTo("0.42 is above max 0.05");
        assertThat(round.taken().get("latency").verdict).isEqualTo("Pass");
    }

    @Test
    void nothingIsQueriedBeforeTheRoundIsDueNorWhileTheCredentialsAreRefused() {
        assertThat(measure(measuringAt(DUE.plusSeconds(1)))).isEqualTo(Measurements.NONE);
        assertThat(measure(new ReleaseStatus())).isEqualTo(Measurements.NONE);
        Credentials refused = new Credentials(PrometheusAccess.NONE, null, Map.of(),
                List.of("spec.analysis.prometheus.secretName: not labelled"));
        assertThat(background.measure(release, measuringAt(DUE), refused, wakes::incrementAndGet)).isEqualTo(Measurements.NONE);
        assertThat(prometheus.queries()).isEmpty();
    }

    @Test
    void aRoundNoLongerAskedForIsDroppedWithoutWakingTheRelease() throws Exception {
        answer.set(Answer.value(0.01).late(300));
        assertThat(measure(measuringAt(DUE)).inFlight()).isTrue();
        // The rollout ended meanwhile (an abort): nothing is due any more.
        assertThat(measure(new ReleaseStatus())).isEqualTo(Measurements.NONE);
        Thread.sleep(600);
        assertThat(wakes).hasValue(0);
        assertThat(measure(measuringAt(DUE)).inFlight()).as("asked for again: taken afresh").isTrue();
    }

    @Test
    void aRoundForAnotherDueTimeOrQueryReplacesTheOneInFlight() throws Exception {
        answer.set(Answer.value(0.01).late(300));
        measure(measuringAt(DUE));
        clock.advance(Duration.ofSeconds(1));
        ReleaseStatus later = measuringAt(DUE.plusSeconds(1));
        assertThat(measure(later).inFlight()).isTrue();
        Measurements round = taken(later);
        assertThat(round.taken().get("error-rate").time).isEqualTo(DUE.plusSeconds(1).plusMillis(5).toString());
        Thread.sleep(100);
        assertThat(wakes).as("only the round asked for wakes the Release").hasValue(1);
        assertThat(prometheus.queries()).hasSize(4);
    }

    @Test
    void anUnreadableSecretMakesEveryMetricInconclusiveWithoutAQuery() {
        Credentials unreadable = new Credentials(PrometheusAccess.NONE, "Secret prom (spec.analysis.prometheus.secretName) not found",
                Map.of(), List.of());
        Measurements round = background.measure(release, measuringAt(DUE), unreadable, wakes::incrementAndGet);
        assertThat(round.inFlight()).as("answered at once").isFalse();
        assertThat(round.taken().values()).allSatisfy(m -> {
            assertThat(m.verdict).isEqualTo("Inconclusive");
            assertThat(m.reason).contains("spec.analysis.prometheus.secretName");
        });
        assertThat(prometheus.queries()).isEmpty();
    }

    @Test
    void theImmediateSourceAnswersInTheSameCallWithTheSameMeasurements() {
        answer.set(Answer.value(0.42));
        measure(measuringAt(DUE));
        Measurements background = taken(measuringAt(DUE));
        try (ImmediateMeasurements immediate = new ImmediateMeasurements(clock)) {
            Measurements now = immediate.measure(release, measuringAt(DUE), Credentials.NONE, () -> {
                throw new AssertionError("no wake-up: the answer is in the call");
            });
            assertThat(now.inFlight()).isFalse();
            assertThat(now.taken()).usingRecursiveComparison().isEqualTo(background.taken());
            assertThat(immediate.measure(release, measuringAt(DUE.plusSeconds(1)), Credentials.NONE, () -> {
            })).isEqualTo(Measurements.NONE);
        }
    }
}
