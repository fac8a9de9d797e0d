package dev.glidepath.analysis;

import java.util.Map;
import java.util.SortedMap;

/**
 * Requests slower than a bucket boundary, read from the cumulative buckets of a request-duration histogram (by
 * {@code le}, +Inf as {@link Double#POSITIVE_INFINITY}). Pure. With the boundary fixed, the slow requests of a
 * revision are a cumulative count like its failed requests, so the latency judge is the error judge on them.
 */
final class SlowRequests {
    /** Cumulative counts below one part in 10¹² of the target still hold the quantile (floating-point products). */
    private static final double ROUNDING = 1e-12;

    /** How many requests took longer than the boundary, of how many. */
    record Tail(double slow, double total) {
    }

    /** The value read, or why none could be. */
    record Reading<T>(T value, String problem) {
        static <T> Reading<T> of(T value) {
            return new Reading<>(value, null);
        }

        static <T> Reading<T> unreadable(String problem) {
            return new Reading<>(null, problem);
        }
    }

    private SlowRequests() {
    }

    /**
     * The boundary: the smallest finite {@code le} with at most {@link #slack} of all requests (the +Inf bucket) above
     * it: twice the quantile's share (2% at p99), at most 5 points more. Not the edge of the bucket that holds the
     * quantile exactly: when the quantile lies near a bucket edge, which side of it the stable revision's counts
     * fall on is chance (at p99 a few slow requests in a thousand), and the bucket above can leave almost no requests
     * to count by. None without a +Inf bucket, without requests, or when only +Inf qualifies (no finite boundary to
     * count slow requests by).
     */
    static Reading<Double> boundary(SortedMap<Double, Double> buckets, double quantile) {
        Reading<Double> total = total(buckets);
        if (total.problem() != null) {
            return total;
        }
        if (total.value() == 0) {
            return Reading.unreadable("no requests in its histogram yet");
        }
        double target = (1 - slack(quantile)) * total.value() * (1 - ROUNDING);
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getKey().isInfinite()) {
                break;
            }
            if (b.getValue() >= target) {
                return Reading.of(b.getKey());
            }
        }
        return Reading.unreadable("more than " + Verdicts.format(slack(quantile)) + " of its requests are above the largest finite"
                + " bucket: no boundary near its " + quantile + " quantile to count slow requests by");
    }

    /** The largest share of the stable revision's requests the boundary may leave above it. */
    static double slack(double quantile) {
        return Math.min(2 * (1 - quantile), (1 - quantile) + 0.05);
    }

    /**
     * The requests slower than {@code boundary}: all (+Inf) minus those up to it. No buckets at all is a revision
     * that served nothing yet (0 of 0); a missing +Inf or boundary bucket, or counts that are not cumulative, are
     * unreadable.
     */
    static Reading<Tail> tail(SortedMap<Double, Double> buckets, double boundary) {
        if (buckets.isEmpty()) {
            return Reading.of(new Tail(0, 0));
        }
        Reading<Double> total = total(buckets);
        if (total.problem() != null) {
            return Reading.unreadable(total.problem());
        }
        Double upTo = buckets.get(boundary);
        if (upTo == null) {
            return Reading.unreadable("no bucket le=\"" + Verdicts.format(boundary) + "\" (the boundary chosen from the stable"
                    + " revision)");
        }
        if (!valid(upTo) || upTo > total.value()) {
            return Reading.unreadable("the bucket le=\"" + Verdicts.format(boundary) + "\" holds " + upTo + " of " + total.value()
                    + " requests: not cumulative counts");
        }
        return Reading.of(new Tail(total.value() - upTo, total.value()));
    }

    static Reading<Double> total(SortedMap<Double, Double> buckets) {
        Double all = buckets.get(Double.POSITIVE_INFINITY);
        if (all == null) {
            return Reading.unreadable("no le=\"+Inf\" bucket (the histogram query must keep every bucket, e.g. sum by (le) (..._bucket{...}))");
        }
        if (!valid(all)) {
            return Reading.unreadable("the le=\"+Inf\" bucket holds " + all);
        }
        return Reading.of(all);
    }

    private static boolean valid(double count) {
        return !Double.isNaN(count) && !Double.isInfinite(count) && count >= 0;
    }
}
