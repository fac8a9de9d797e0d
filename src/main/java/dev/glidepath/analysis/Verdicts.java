package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;

/** Turns what a query returned into a verdict: Pass, Fail (threshold breached) or Inconclusive. */
public final class Verdicts {
    public static final String PASS = "Pass";
    public static final String FAIL = "Fail";
    public static final String INCONCLUSIVE = "Inconclusive";

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

    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
