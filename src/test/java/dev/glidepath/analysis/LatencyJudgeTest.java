package dev.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.analysis.SequentialJudge.Counts;
import dev.glidepath.analysis.SequentialJudge.Result;
import dev.glidepath.analysis.SequentialJudge.State;
import dev.glidepath.analysis.SequentialJudge.Tolerance;
import dev.glidepath.analysis.SequentialJudge.Verdict;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * The latency judge's guarantees, by simulation with fixed seeds, through the same steps as a rollout: the
 * boundary chosen from the stable revision's histogram, then each second both revisions' cumulative buckets read
 * (requests arriving as Poisson counts, 100/s on each side), the slow requests counted by the boundary and judged.
 */
class LatencyJudgeTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    /** The stable revision's request durations: the share of requests up to each bucket boundary (s). */
    private static final double[] LE = {0.05, 0.1, 0.25, 0.5, 1, INF};
    private static final double[] STABLE = {0.5, 0.8, 0.95, 0.99, 0.998, 1};
    /** Every request twice as slow: what was under 0.25 s is now under 0.5 s, so its p99 doubled. */
    private static final double[] TWICE_AS_SLOW = {0.3, 0.5, 0.8, 0.95, 0.99, 1};
    /** The standard latency rule's tolerance: the slow share up to twice the stable revision's, at alpha 0.01. */
    private static final Tolerance STANDARD = new Tolerance(StandardMetrics.LATENCY_MAX_RATIO, null, 0.01,
            AnalysisLedger.minRequests(StandardMetrics.metric(StandardMetrics.Rule.LATENCY, StandardMetrics.Convention.DEFAULT).judge));

    record Outcome(Verdict verdict, int measurements, int firstPass) {
    }

    /** A revision's histogram as Prometheus reads it: cumulative bucket counts since its pods started. */
    static final class Histogram {
        final double[] cumulative = new double[LE.length];

        Histogram(double requests, double[] shares) {
            for (int i = 0; i < LE.length; i++) {
                cumulative[i] = requests * shares[i];
            }
        }

        /** {@code n} more requests: as many slower than the boundary as the binomial draw says, the rest under it. */
        void serve(int n, int boundaryIndex, double slowShare, RandomGenerator rng) {
            int slow = n == 0 ? 0 : new BinomialDistribution(rng, n, slowShare).sample();
            for (int i = 0; i < LE.length; i++) {
                cumulative[i] += i >= boundaryIndex && i < LE.length - 1 ? n - slow : i == LE.length - 1 ? n : 0;
            }
        }

        SortedMap<Double, Double> buckets() {
            SortedMap<Double, Double> b = new TreeMap<>();
            for (int i = 0; i < LE.length; i++) {
                b.put(LE[i], cumulative[i]);
            }
            return b;
        }
    }

    static Counts counts(Histogram newRevision, Histogram stable, double boundary) {
        SlowRequests.Tail n = SlowRequests.tail(newRevision.buckets(), boundary).value();
        SlowRequests.Tail s = SlowRequests.tail(stable.buckets(), boundary).value();
        return new Counts(n.slow(), n.total(), s.slow(), s.total());
    }

    /**
     * One canary at 100 requests/s on each side, measured every second for at most {@code seconds}, whose new
     * revision's requests are slower than the stable revision's p99 boundary with {@code newSlowShare}; it stops at
     * the first Fail, and at the first Pass only when {@code stopAtPass}.
     */
    static Outcome canary(RandomGenerator rng, double newSlowShare, int seconds, boolean stopAtPass) {
        PoissonDistribution arrivals = new PoissonDistribution(rng, 100, PoissonDistribution.DEFAULT_EPSILON,
                PoissonDistribution.DEFAULT_MAX_ITERATIONS);
        Histogram stable = new Histogram(1_000_000, STABLE);
        Histogram newRevision = new Histogram(0, STABLE);
        double boundary = SlowRequests.boundary(stable.buckets(), 0.99).value();
        int at = Arrays.binarySearch(LE, boundary);
        double stableSlowShare = 1 - STABLE[at];
        State state = SequentialJudge.judge(null, counts(newRevision, stable, boundary), STANDARD).next();
        int firstPass = 0;
        for (int s = 1; s <= seconds; s++) {
            newRevision.serve(arrivals.sample(), at, newSlowShare, rng);
            stable.serve(arrivals.sample(), at, stableSlowShare, rng);
            Result r = SequentialJudge.judge(state, counts(newRevision, stable, boundary), STANDARD);
            state = r.next();
            if (r.verdict() == Verdict.FAIL) {
                return new Outcome(Verdict.FAIL, s, firstPass);
            }
            if (r.verdict() == Verdict.PASS && firstPass == 0) {
                firstPass = s;
                if (stopAtPass) {
                    return new Outcome(Verdict.PASS, s, firstPass);
                }
            }
        }
        return new Outcome(firstPass > 0 ? Verdict.PASS : Verdict.PENDING, seconds, firstPass);
    }

    @Test
    void theBoundaryOfTheSimulatedStableRevisionIsItsP99Bucket() {
        assertThat(SlowRequests.boundary(new Histogram(1_000_000, STABLE).buckets(), 0.99).value()).isEqualTo(0.5);
        // Twice as slow, the new revision's requests above 0.5 s are those the stable one served above 0.25 s.
        assertThat(1 - TWICE_AS_SLOW[3]).isEqualTo(1 - STABLE[2]);
    }

    @Test
    void healthyCanariesAsFastAsTheStableRevisionAreAlmostNeverReverted() {
        RandomGenerator rng = new Well19937c(20261206L);
        int runs = 1000;
        int reverted = 0;
        int[] passedAt = new int[runs];
        for (int i = 0; i < runs; i++) {
            // The same durations (1% slower than the boundary), watched every second for 10 minutes, Pass or not.
            Outcome o = canary(rng, 0.01, 600, false);
            reverted += o.verdict() == Verdict.FAIL ? 1 : 0;
            passedAt[i] = o.firstPass() == 0 ? Integer.MAX_VALUE : o.firstPass();
        }
        Arrays.sort(passedAt);
        System.out.printf("latency judge, healthy: %d of %d reverted; first Pass p50 %d, p95 %d measurements%n", reverted, runs,
                passedAt[runs / 2], passedAt[runs * 95 / 100 - 1]);
        assertThat((double) reverted / runs).as("false reverts").isLessThanOrEqualTo(0.01);
    }

    @Test
    void atTheToleranceItselfTheFalseRevertRateStaysUnderAlpha() {
        RandomGenerator rng = new Well19937c(11L);
        int runs = 1000;
        int reverted = 0;
        for (int i = 0; i < runs; i++) {
            // The hardest tolerable canary: exactly twice the stable revision's slow share, for 10 minutes.
            reverted += canary(rng, 0.02, 600, false).verdict() == Verdict.FAIL ? 1 : 0;
        }
        System.out.printf("latency judge, at the tolerance: %d of %d reverted%n", reverted, runs);
        assertThat((double) reverted / runs).as("false reverts").isLessThanOrEqualTo(0.01);
    }

    @Test
    void theStandardRuleNeedsAThousandRequestsBeforeItCanPass() {
        assertThat(STANDARD.minRequests()).isEqualTo(1000);
    }

    @Test
    void aCanaryWhoseP99DoubledIsRevertedFast() {
        RandomGenerator rng = new Well19937c(42L);
        int runs = 400;
        int[] detected = new int[runs];
        for (int i = 0; i < runs; i++) {
            Outcome o = canary(rng, 1 - TWICE_AS_SLOW[3], 600, true);
            assertThat(o.verdict()).isEqualTo(Verdict.FAIL);
            detected[i] = o.measurements();
        }
        Arrays.sort(detected);
        System.out.printf("latency judge, p99 doubled (5%% slow against 1%%): reverted after p50 %d, p95 %d measurements%n",
                detected[runs / 2 - 1], detected[runs * 95 / 100 - 1]);
        assertThat(detected[runs * 95 / 100 - 1]).as("p95 measurements to revert").isLessThanOrEqualTo(60);
    }
}
