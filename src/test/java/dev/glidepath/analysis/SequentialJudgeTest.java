package dev.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.analysis.SequentialJudge.Counts;
import dev.glidepath.analysis.SequentialJudge.Result;
import dev.glidepath.analysis.SequentialJudge.State;
import dev.glidepath.analysis.SequentialJudge.Tolerance;
import dev.glidepath.analysis.SequentialJudge.Verdict;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The judge's guarantees, by simulation with fixed seeds: requests arrive as Poisson counts each second, split
 * evenly between the revisions, and each request fails with its revision's error rate. A measurement is taken
 * every second and the rollout acts on the first Fail or Pass.
 */
class SequentialJudgeTest {
    private static final Tolerance TOLERANCE = new Tolerance(1.5, null, 0.01, 100);

    /** How one simulated canary ended: the verdict acted on and after how many measurements (0: none within the limit). */
    record Outcome(Verdict verdict, int measurements) {
    }

    /** One canary: total requests/s, the stable and new error rates, at most {@code seconds} measurements. */
    static Outcome canary(RandomGenerator rng, double requestsPerSecond, double stableRate, double newRate, int seconds, Tolerance t) {
        return canary(rng, requestsPerSecond, stableRate, newRate, seconds, t, 0);
    }

    /**
     * One canary whose new revision serves at the stable error rate for {@code healthyFirst} seconds and then at
     * {@code newRate}; the measurements count from the change (a Fail before it gives zero or less).
     */
    static Outcome canary(RandomGenerator rng, double requestsPerSecond, double stableRate, double newRate, int seconds, Tolerance t,
            int healthyFirst) {
        PoissonDistribution arrivals = new PoissonDistribution(rng, requestsPerSecond / 2, PoissonDistribution.DEFAULT_EPSILON,
                PoissonDistribution.DEFAULT_MAX_ITERATIONS);
        // Counters as Prometheus reads them: cumulative since the pods started (the stable ones long ago).
        double ne = 0;
        double nr = 0;
        double se = 5_000;
        double sr = 1_000_000;
        State state = SequentialJudge.judge(null, new Counts(ne, nr, se, sr), t).next();
        for (int s = 1; s <= healthyFirst + seconds; s++) {
            int toNew = arrivals.sample();
            int toStable = arrivals.sample();
            nr += toNew;
            sr += toStable;
            ne += toNew == 0 ? 0 : new BinomialDistribution(rng, toNew, s <= healthyFirst ? stableRate : newRate).sample();
            se += toStable == 0 ? 0 : new BinomialDistribution(rng, toStable, stableRate).sample();
            Result r = SequentialJudge.judge(state, new Counts(ne, nr, se, sr), t);
            state = r.next();
            if (r.verdict() == Verdict.FAIL || r.verdict() == Verdict.PASS && healthyFirst == 0) {
                return new Outcome(r.verdict(), s - healthyFirst);
            }
        }
        return new Outcome(Verdict.PENDING, 0);
    }

    @Test
    void healthyCanariesThirtyPercentUnderTheToleranceAreAlmostNeverFailed() {
        RandomGenerator rng = new Well19937c(20221114L);
        int runs = 2000;
        int failed = 0;
        int passed = 0;
        for (int i = 0; i < runs; i++) {
            // Stable 2%, tolerance 1.5× = 3%, new revision 2.1% (30% under the tolerance), 100 requests/s for 5 minutes.
            Outcome o = canary(rng, 100, 0.02, 0.021, 300, TOLERANCE);
            failed += o.verdict() == Verdict.FAIL ? 1 : 0;
            passed += o.verdict() == Verdict.PASS ? 1 : 0;
        }
        assertThat((double) failed / runs).as("false reverts").isLessThanOrEqualTo(0.01);
        assertThat(passed).as("healthy canaries promoted within 5 minutes").isGreaterThan(runs * 85 / 100);
    }

    @Test
    void atTheToleranceItselfTheFalseRevertRateStaysUnderAlphaHoweverLongItLooks() {
        RandomGenerator rng = new Well19937c(7L);
        int runs = 1000;
        int failed = 0;
        for (int i = 0; i < runs; i++) {
            // The hardest healthy case: exactly 1.5× the stable rate, looked at every second for 10 minutes.
            Outcome o = canary(rng, 200, 0.02, 0.03, 600, new Tolerance(1.5, null, 0.01, Long.MAX_VALUE));
            failed += o.verdict() == Verdict.FAIL ? 1 : 0;
        }
        assertThat((double) failed / runs).isLessThanOrEqualTo(0.01);
    }

    @ParameterizedTest(name = "{0} requests/s, {1}x the stable error rate: reverted within {2} s in 95% of canaries")
    @CsvSource({"100,30,3", "1000,5,5", "100,5,40", "1000,2,120", "10,30,25"})
    void aBadCanaryIsRevertedFast(double requestsPerSecond, double times, int seconds) {
        RandomGenerator rng = new Well19937c(42L);
        int runs = 400;
        int[] detected = new int[runs];
        for (int i = 0; i < runs; i++) {
            Outcome o = canary(rng, requestsPerSecond, 0.01, Math.min(1, 0.01 * times), 600, TOLERANCE);
            assertThat(o.verdict()).isEqualTo(Verdict.FAIL);
            detected[i] = o.measurements();
        }
        java.util.Arrays.sort(detected);
        assertThat(detected[(int) (runs * 0.95) - 1]).as("p95 measurements to revert").isLessThanOrEqualTo(seconds);
    }

    @ParameterizedTest(name = "{0} requests/s, {1}x after {2} healthy seconds: reverted within {3} s in 95% of canaries")
    @CsvSource({"100,30,300,6", "100,5,300,70", "1000,5,300,8"})
    void aRevisionThatBreaksAfterALongHealthyRunIsNotShieldedByIt(double requestsPerSecond, double times, int healthy, int seconds) {
        // The healthy minutes count against "worse" in a single product of likelihood ratios, and a breach would
        // first have to make up for them (before the restarts: p95 16, 141 and 75 measurements).
        RandomGenerator rng = new Well19937c(42L);
        int runs = 200;
        int[] detected = new int[runs];
        for (int i = 0; i < runs; i++) {
            Outcome o = canary(rng, requestsPerSecond, 0.01, Math.min(1, 0.01 * times), 600, TOLERANCE, healthy);
            assertThat(o.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(o.measurements()).as("failed only after the change").isPositive();
            detected[i] = o.measurements();
        }
        java.util.Arrays.sort(detected);
        assertThat(detected[(int) (runs * 0.95) - 1]).as("p95 measurements to revert").isLessThanOrEqualTo(seconds);
    }

    @Test
    void noRequestsToTheNewRevisionIsInconclusive() {
        State s = SequentialJudge.judge(null, new Counts(0, 0, 10, 1000), TOLERANCE).next();
        Result r = SequentialJudge.judge(s, new Counts(0, 0, 20, 2000), TOLERANCE);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.reason()).contains("no requests to the new revision");
    }

    @Test
    void aCounterThatGoesBackSkipsTheIntervalAndKeepsTheEvidence() {
        State s = SequentialJudge.judge(null, new Counts(0, 0, 0, 0), TOLERANCE).next();
        Result grown = SequentialJudge.judge(s, new Counts(10, 100, 1, 100), TOLERANCE);
        Result reset = SequentialJudge.judge(grown.next(), new Counts(2, 20, 2, 200), TOLERANCE);
        assertThat(reset.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(reset.reason()).contains("counter went back");
        assertThat(reset.failEvidence()).isEqualTo(grown.failEvidence());
        assertThat(reset.next().last()).isEqualTo(new Counts(2, 20, 2, 200));
        // The next interval counts from the new baseline.
        Result after = SequentialJudge.judge(reset.next(), new Counts(12, 120, 3, 300), TOLERANCE);
        assertThat(after.next().judged().newRequests()).isEqualTo(200);
    }

    @Test
    void aStableRevisionThatFailsItselfIsNoYardstick() {
        State s = SequentialJudge.judge(null, new Counts(0, 0, 0, 0), TOLERANCE).next();
        Result r = SequentialJudge.judge(s, new Counts(60, 100, 60, 100), TOLERANCE);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.reason()).contains("the stable revision fails too (60%");
    }

    @Test
    void withAllTrafficOnTheNewRevisionOnlyTheAbsoluteBoundCanJudgeIt() {
        // After a blue-green switch the stable revision serves nothing: no yardstick.
        State s = SequentialJudge.judge(null, new Counts(0, 0, 100, 10_000), TOLERANCE).next();
        Result alone = SequentialJudge.judge(s, new Counts(500, 1000, 100, 10_000), TOLERANCE);
        assertThat(alone.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(alone.reason()).contains("the stable revision served no requests");
        Tolerance bounded = new Tolerance(1.5, 0.05, 0.01, 100);
        State b = SequentialJudge.judge(null, new Counts(0, 0, 100, 10_000), bounded).next();
        assertThat(SequentialJudge.judge(b, new Counts(500, 1000, 100, 10_000), bounded).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(SequentialJudge.judge(b, new Counts(2, 1000, 100, 10_000), bounded).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void withoutErrorsOnEitherSideItPassesOnceEnoughRequestsWereServed() {
        State s = SequentialJudge.judge(null, new Counts(0, 0, 0, 0), TOLERANCE).next();
        Result few = SequentialJudge.judge(s, new Counts(0, 50, 0, 50), TOLERANCE);
        assertThat(few.verdict()).isEqualTo(Verdict.PENDING);
        assertThat(few.reason()).contains("at least 100 new requests");
        Result enough = SequentialJudge.judge(few.next(), new Counts(0, 150, 0, 150), TOLERANCE);
        assertThat(enough.verdict()).isEqualTo(Verdict.PASS);
        assertThat(enough.reason()).contains("no errors in either revision");
    }

    @Test
    void anErrorRateUnderTheAbsoluteBoundIsNeverFailedHoweverItComparesWithTheStableRevision() {
        RandomGenerator rng = new Well19937c(3L);
        Tolerance withFloor = new Tolerance(1.5, 0.005, 0.01, 100);
        for (int i = 0; i < 200; i++) {
            // 0.1% against a stable revision at 0.01%: 10× worse, but under the 0.5% bound.
            Outcome o = canary(rng, 1000, 0.0001, 0.001, 120, withFloor);
            assertThat(o.verdict()).isNotEqualTo(Verdict.FAIL);
        }
        Outcome bad = canary(rng, 1000, 0.0001, 0.05, 120, withFloor);
        assertThat(bad.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void theMixtureIsTheAverageOfTheLikelihoodRatiosEvenWhenTheyAreHuge() {
        assertThat(SequentialJudge.mixture(new double[] {0, Math.log(3)})).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(SequentialJudge.mixture(new double[] {800, 0})).isInfinite();
        assertThat(SequentialJudge.mixture(new double[] {-800, -800})).isZero();
    }
}
