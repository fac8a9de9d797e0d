package dev.glidepath.analysis;

import java.util.Arrays;

/**
 * A sequential, anytime-valid comparison of the new revision's error rate with the stable revision's, from
 * cumulative counts read at each measurement. Pure.
 *
 * <p>Between two measurements the new revision served Δn₁ requests with Δe₁ errors and the stable one Δn₀ with
 * Δe₀. Errors are modelled as Poisson counts (error rate × requests); given the Δe = Δe₁ + Δe₀ errors of the
 * interval, Δe₁ is then Binomial(Δe, θ) with θ = ρΔn₁ / (ρΔn₁ + Δn₀), where ρ is the ratio of the error rates.
 * The new revision is tolerable while ρ ≤ {@code maxRatio} (τ). For each alternative ρⱼ of a fixed grid the
 * product over intervals of the likelihood ratio of ρⱼ against τ is a nonnegative supermartingale whenever the
 * true ρ is on the other side of τ, so is their average (a mixture), and by Ville's inequality it exceeds 1/α
 * with probability at most α, however often it is looked at. On the "worse" side the products start afresh at
 * every interval and the evidence is their weighted sum (see {@link #restartOrGoOn}), so that a long healthy run
 * does not shield a later breach. The judge says Fail when the evidence against
 * "tolerable" reaches 1/α, and Pass when the evidence against "worse" does (with a grid below τ). With an
 * absolute bound ({@code maxErrorRate}, f) the new revision is tolerable also while its own rate is at most f
 * (a one-sample Poisson test against f): Fail then needs both tests to reject, and either test suffices for
 * Pass. This follows the approach of Lindon, Sanden and Shirikian (KDD 2022; NeurIPS 2022).
 */
public final class SequentialJudge {
    /** Alternatives above the tolerance, as multiples of it (equal weights). */
    private static final double[] WORSE = {1.25, 1.5, 2, 3, 5, 10, 30};
    /** Alternatives below the tolerance, as multiples of it (equal weights). */
    private static final double[] BETTER = {0.8, 2.0 / 3, 0.5, 0.25, 0.1};
    /** A stable revision failing at least this share of its requests is no yardstick. */
    static final double STABLE_FAILING = 0.5;

    public enum Verdict { PASS, FAIL, PENDING, INCONCLUSIVE }

    /** Cumulative counts read at one measurement. */
    public record Counts(double newErrors, double newRequests, double stableErrors, double stableRequests) {
        Counts minus(Counts o) {
            return new Counts(newErrors - o.newErrors, newRequests - o.newRequests, stableErrors - o.stableErrors,
                    stableRequests - o.stableRequests);
        }

        Counts plus(Counts o) {
            return new Counts(newErrors + o.newErrors, newRequests + o.newRequests, stableErrors + o.stableErrors,
                    stableRequests + o.stableRequests);
        }

        boolean anyNegative() {
            return newErrors < 0 || newRequests < 0 || stableErrors < 0 || stableRequests < 0;
        }
    }

    /**
     * What tolerable means: a new error rate up to {@code maxRatio} times the stable one (or, with {@code maxErrorRate},
     * up to that rate), judged at level {@code alpha}; Pass needs at least {@code minRequests} new requests.
     */
    public record Tolerance(double maxRatio, Double maxErrorRate, double alpha, long minRequests) {
    }

    /**
     * The evidence so far: the counts of the last measurement (the baseline of the next interval), the counts
     * judged since the first measurement, and the log-likelihood ratios of each alternative.
     */
    public record State(Counts last, Counts judged, long intervals, double[] worse, double[] better, double[] worseAbsolute,
            double[] betterAbsolute) {
        static State start(Counts at) {
            return new State(at, new Counts(0, 0, 0, 0), 0, new double[WORSE.length], new double[BETTER.length],
                    new double[WORSE.length], new double[BETTER.length]);
        }
    }

    /** The verdict of one measurement, with the e-values it rests on and the evidence to carry to the next. */
    public record Result(Verdict verdict, String reason, double failEvidence, double passEvidence, State next) {
    }

    private SequentialJudge() {
    }

    /** Judges the counts read now, after the evidence so far ({@code previous}, null at the first measurement). */
    public static Result judge(State previous, Counts now, Tolerance t) {
        if (previous == null) {
            State start = State.start(now);
            return new Result(Verdict.PENDING, "first counts read: the comparison starts from them", 1, 1, start);
        }
        Counts delta = now.minus(previous.last());
        if (delta.anyNegative()) {
            // A counter went back (a pod restarted): the interval is unknown; the evidence so far stands.
            State reset = new State(now, previous.judged(), previous.intervals(), previous.worse(), previous.better(), previous.worseAbsolute(),
                    previous.betterAbsolute());
            return new Result(Verdict.INCONCLUSIVE, "a counter went back (a pod restarted?): this interval is skipped",
                    evidence(previous.worse(), previous.worseAbsolute(), t, true), evidence(previous.better(), previous.betterAbsolute(), t, false),
                    reset);
        }
        double[] worse = previous.worse().clone();
        double[] better = previous.better().clone();
        double[] worseAbs = previous.worseAbsolute().clone();
        double[] betterAbs = previous.betterAbsolute().clone();
        long intervals = previous.intervals() + 1;
        double[] step = new double[WORSE.length];
        accumulateRelative(step, WORSE, delta, t.maxRatio());
        restartOrGoOn(worse, step, intervals);
        accumulateRelative(better, BETTER, delta, t.maxRatio());
        if (t.maxErrorRate() != null) {
            step = new double[WORSE.length];
            accumulateAbsolute(step, WORSE, delta, t.maxErrorRate());
            restartOrGoOn(worseAbs, step, intervals);
            accumulateAbsolute(betterAbs, BETTER, delta, t.maxErrorRate());
        }
        Counts judged = previous.judged().plus(delta);
        State next = new State(now, judged, intervals, worse, better, worseAbs, betterAbs);
        double fail = evidence(worse, worseAbs, t, true);
        double pass = evidence(better, betterAbs, t, false);
        double threshold = 1 / t.alpha();
        String counts = String.format("new %.0f/%.0f, stable %.0f/%.0f errors/requests", judged.newErrors(), judged.newRequests(),
                judged.stableErrors(), judged.stableRequests());
        if (judged.newRequests() == 0) {
            return new Result(Verdict.INCONCLUSIVE, "no requests to the new revision yet", fail, pass, next);
        }
        if (delta.newRequests() > 0 && delta.stableRequests() == 0) {
            // All traffic on the new revision (after a blue-green switch, in a post-promotion window): nothing to
            // compare with; only the absolute bound, when there is one, can judge it alone.
            if (t.maxErrorRate() == null) {
                return new Result(Verdict.INCONCLUSIVE, "the stable revision served no requests in this interval: nothing to"
                        + " compare with (maxErrorRate would judge the new revision alone)", fail, pass, next);
            }
            fail = mixture(worseAbs);
            pass = mixture(betterAbs);
        }
        if (judged.stableRequests() > 0 && judged.stableErrors() / judged.stableRequests() >= STABLE_FAILING) {
            return new Result(Verdict.INCONCLUSIVE, String.format("the stable revision fails too (%.0f%% of its requests): no yardstick; %s",
                    100 * judged.stableErrors() / judged.stableRequests(), counts), fail, pass, next);
        }
        if (fail >= threshold) {
            return new Result(Verdict.FAIL, String.format("error rate worse than %s: evidence %.3g ≥ 1/alpha = %.3g (%s)",
                    describe(t), fail, threshold, counts), fail, pass, next);
        }
        boolean enough = judged.newRequests() >= t.minRequests();
        boolean clean = t.maxErrorRate() == null && judged.newErrors() == 0 && judged.stableErrors() == 0;
        if (enough && (pass >= threshold || clean)) {
            return new Result(Verdict.PASS, clean ? "no errors in either revision (" + counts + ")"
                    : String.format("not worse than %s: evidence %.3g ≥ 1/alpha = %.3g (%s)", describe(t), pass, threshold, counts),
                    fail, pass, next);
        }
        return new Result(Verdict.PENDING, String.format("collecting evidence: against tolerable %.3g, against worse %.3g, of 1/alpha = %.3g"
                + "%s (%s)", fail, pass, threshold, enough ? "" : "; at least " + t.minRequests() + " new requests needed", counts),
                fail, pass, next);
    }

    /**
     * The e-value of a side: the relative mixture, and with an absolute bound its one-sample mixture too (Fail
     * needs both, so the smaller; Pass either, so the larger).
     */
    private static double evidence(double[] relative, double[] absolute, Tolerance t, boolean fail) {
        double rel = mixture(relative);
        if (t.maxErrorRate() == null) {
            return rel;
        }
        double abs = mixture(absolute);
        return fail ? Math.min(rel, abs) : Math.max(rel, abs);
    }

    /** Adds one interval's log-likelihood ratio of each alternative ratio against the tolerance. */
    private static void accumulateRelative(double[] logs, double[] multiples, Counts d, double tau) {
        if (d.newErrors() + d.stableErrors() == 0 || d.newRequests() == 0 || d.stableRequests() == 0) {
            // Without errors, or without requests on one side, the interval says nothing about the ratio.
            return;
        }
        double theta0 = tau * d.newRequests() / (tau * d.newRequests() + d.stableRequests());
        for (int j = 0; j < multiples.length; j++) {
            double rho = tau * multiples[j];
            double theta = rho * d.newRequests() / (rho * d.newRequests() + d.stableRequests());
            logs[j] += d.newErrors() * Math.log(theta / theta0) + d.stableErrors() * Math.log((1 - theta) / (1 - theta0));
        }
    }

    /**
     * Moves the evidence that the new revision became worse on by one interval's log-likelihood ratios
     * ({@code step}), the {@code k}-th interval. For each alternative the evidence is T = S + R, where S sums
     * over the intervals i ≤ k, with weight wᵢ = Rᵢ₋₁ − Rᵢ, the products of likelihood ratios from interval i on,
     * and R = Rₖ is the weight of the intervals still to come (whose products are 1 so far). Each product is a
     * supermartingale when the revision is tolerable, the weights are fixed in advance and add up to 1, so T is
     * one too, and Ville's inequality holds for it as for a single product; but a revision that breaks after a
     * long healthy run is caught by the products started after it broke, instead of first having to make up for
     * the evidence of all the healthy intervals. Rₖ = ln 1.2 / ln(k + 1.2) gives wₖ ≈ ln 1.2 / (k ln² k): late
     * starts weigh more than with wₖ = 1/(k(k+1)) (e^−10.9 against e^−11.4 at the 300th interval), so a late
     * breach needs less evidence, and the first start weighs more (0.77 against 0.5). Recursively,
     * T ← (T − Rₖ) · L + Rₖ.
     */
    private static void restartOrGoOn(double[] logs, double[] step, long k) {
        double logRemaining = Math.log(Math.log(1.2) / Math.log(k + 1.2));
        for (int j = 0; j < logs.length; j++) {
            double started = logs[j] > 30 ? logs[j] + Math.log1p(-Math.exp(logRemaining - logs[j]))
                    : Math.log(Math.max(Math.exp(logs[j]) - Math.exp(logRemaining), 0));
            logs[j] = logAddExp(started + step[j], logRemaining);
        }
    }

    private static double logAddExp(double a, double b) {
        double max = Math.max(a, b);
        return max == Double.NEGATIVE_INFINITY ? max : max + Math.log(Math.exp(a - max) + Math.exp(b - max));
    }

    /** Adds one interval's log-likelihood ratio of each alternative rate against the absolute bound f. */
    private static void accumulateAbsolute(double[] logs, double[] multiples, Counts d, double f) {
        for (int j = 0; j < multiples.length; j++) {
            double p = Math.min(f * multiples[j], 1);
            logs[j] += d.newErrors() * Math.log(p / f) - (p - f) * d.newRequests();
        }
    }

    /** The average of the alternatives' likelihood ratios, computed in logs. */
    static double mixture(double[] logs) {
        double max = Arrays.stream(logs).max().orElse(0);
        double sum = 0;
        for (double l : logs) {
            sum += Math.exp(l - max);
        }
        return Math.exp(max) * sum / logs.length;
    }

    private static String describe(Tolerance t) {
        return t.maxRatio() + "× the stable revision's" + (t.maxErrorRate() == null ? "" : " and above " + t.maxErrorRate());
    }
}
