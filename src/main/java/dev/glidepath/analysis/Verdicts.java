package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.RequestCounts;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;

/** Turns what a query returned into a verdict: Pass, Fail (threshold breached) or Inconclusive. */
public final class Verdicts {
    public static final String PASS = "Pass";
    public static final String FAIL = "Fail";
    public static final String INCONCLUSIVE = "Inconclusive";
    /** A judged metric still collecting evidence: neither a pass nor a failure, and not inconclusive either. */
    public static final String PENDING = "Pending";

    private Verdicts() {
    }

    public static Measurement judge(MetricSpec metric, QueryResult result, Instant at) {
        String time = at.toString();
        if (result.error() != null) {
            return new Measurement(time, null, INCONCLUSIVE, result.error());
        }
        if (result.empty()) {
            String verdict = "Pass".equals(metric.noTraffic) ? PASS : INCONCLUSIVE;
            return new Measurement(time, null, verdict, "no traffic: the query returned no sample");
        }
        double v = result.value().orElse(Double.NaN);
        if (Double.isNaN(v)) {
            return new Measurement(time, null, INCONCLUSIVE, "the query returned NaN (often 0/0: no requests)");
        }
        if (Double.isInfinite(v)) {
            return new Measurement(time, null, INCONCLUSIVE, "the query returned " + (v > 0 ? "+Inf" : "-Inf"));
        }
        if (metric.threshold.max != null && v > metric.threshold.max) {
            return new Measurement(time, v, FAIL, format(v) + " is above max " + format(metric.threshold.max));
        }
        if (metric.threshold.min != null && v < metric.threshold.min) {
            return new Measurement(time, v, FAIL, format(v) + " is below min " + format(metric.threshold.min));
        }
        return new Measurement(time, v, PASS, null);
    }

    /**
     * A value metric bounded also by a multiple of the same query for the stable revision: its own verdict
     * first, then the comparison (Inconclusive when the stable revision has no data).
     */
    public static Measurement judge(MetricSpec metric, QueryResult result, QueryResult stable, Instant at) {
        Measurement own = judge(metric, result, at);
        if (!PASS.equals(own.verdict) || own.value == null) {
            return own;
        }
        double s = stable.error() != null || stable.empty() ? Double.NaN : stable.value().orElse(Double.NaN);
        if (Double.isNaN(s) || Double.isInfinite(s)) {
            return new Measurement(own.time, own.value, INCONCLUSIVE, "the stable revision has no data to compare with"
                    + (stable.error() != null ? " (" + stable.error() + ")" : ""));
        }
        own.stableValue = s;
        double bound = metric.threshold.maxStableRatio * s;
        if (own.value > bound) {
            own.verdict = FAIL;
            own.reason = format(own.value) + " is above " + format(metric.threshold.maxStableRatio) + "x the stable revision's "
                    + format(s);
        }
        return own;
    }

    /**
     * The counts of a judged metric: a series that does not exist yet (a revision that served nothing) counts 0;
     * an error or NaN leaves the measurement Inconclusive.
     */
    public static Measurement counts(QueryResult newErrors, QueryResult newRequests, QueryResult stableErrors,
            QueryResult stableRequests, Instant at) {
        String time = at.toString();
        double[] values = new double[4];
        QueryResult[] results = {newErrors, newRequests, stableErrors, stableRequests};
        for (int i = 0; i < 4; i++) {
            QueryResult r = results[i];
            if (r.error() != null) {
                return new Measurement(time, null, INCONCLUSIVE, r.error());
            }
            double v = r.empty() ? 0 : r.value().orElse(Double.NaN);
            if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
                return new Measurement(time, null, INCONCLUSIVE, "a count query returned " + v);
            }
            values[i] = v;
        }
        Measurement m = new Measurement(time, null, PENDING, null);
        m.counts = new RequestCounts(values[0], values[1], values[2], values[3]);
        return m;
    }

    /**
     * The buckets of a latency judge's histogram for both revisions: a histogram that does not exist yet (a revision
     * that served nothing) has no buckets; an error, or a vector not keyed by {@code le}, leaves the measurement
     * Inconclusive.
     */
    public static Measurement histograms(QueryResult newHistogram, QueryResult stableHistogram, Instant at) {
        String time = at.toString();
        for (QueryResult r : new QueryResult[] {newHistogram, stableHistogram}) {
            if (r.error() != null && r.buckets() == null) {
                return new Measurement(time, null, INCONCLUSIVE, r.error());
            }
            if (!r.empty() && r.buckets() == null) {
                return new Measurement(time, null, INCONCLUSIVE, "the histogram query must return one series per le, e.g. with"
                        + " sum by (le) (..._bucket{...})");
            }
        }
        return new HistogramMeasurement(time, buckets(newHistogram), buckets(stableHistogram));
    }

    private static SortedMap<Double, Double> buckets(QueryResult r) {
        return r.buckets() == null ? new TreeMap<>() : r.buckets();
    }

    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
