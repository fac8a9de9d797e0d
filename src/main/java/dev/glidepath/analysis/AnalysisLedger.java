package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.RequestCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evidence of one rollout's analysis and what it says: pass, keep waiting, hold, or revert. Pure.
 */
public final class AnalysisLedger {
    /** Measurements kept per metric in the Rollout's status. */
    public static final int KEPT = 10;
    public static final int DEFAULT_INCONCLUSIVE_LIMIT = 4;

    public enum Outcome { PASSING, WAITING, HOLD, REVERT }

    /** What the evidence says, with the sentence that explains it. */
    public record Judgement(Outcome outcome, String metric, String message) {
    }

    private AnalysisLedger() {
    }

    /** Adds one round of measurements to the records (a copy; the input is not changed). */
    public static List<MetricRecord> record(List<MetricRecord> previous, Map<String, Measurement> round, AnalysisSpec spec) {
        List<MetricRecord> next = new ArrayList<>();
        for (MetricSpec metric : StandardMetrics.expand(spec)) {
            MetricRecord old = find(previous, metric.name).orElse(null);
            MetricRecord r = new MetricRecord();
            r.name = metric.name;
            r.failures = old == null || old.failures == null ? 0 : old.failures;
            r.consecutiveInconclusive = old == null || old.consecutiveInconclusive == null ? 0 : old.consecutiveInconclusive;
            r.measurements = old == null ? new ArrayList<>() : new ArrayList<>(old.measurements);
            r.judge = old == null ? null : old.judge;
            Measurement m = round.get(metric.name);
            if (m instanceof HistogramMeasurement h && metric.judge != null && metric.judge.histogram != null) {
                m = slowerThanBoundary(metric.judge, h, r);
            } else if (m != null && metric.judge != null && m.counts != null) {
                m = judged(metric.judge, m, r, JudgeStates.state(r.judge));
            }
            if (m != null) {
                r.measurements.add(m);
                if (r.measurements.size() > KEPT) {
                    r.measurements = new ArrayList<>(r.measurements.subList(r.measurements.size() - KEPT, r.measurements.size()));
                }
                if (Verdicts.FAIL.equals(m.verdict)) {
                    r.failures++;
                }
                r.consecutiveInconclusive = Verdicts.INCONCLUSIVE.equals(m.verdict) ? r.consecutiveInconclusive + 1 : 0;
            }
            next.add(r);
        }
        return next;
    }

    /**
     * A latency judge's measurement: the requests of each revision slower than the boundary, judged as failed
     * requests are. The boundary is chosen from the stable revision's buckets at the first readable round and
     * kept in {@code r} for the rest of the rollout, so that the counts stay cumulative and the ones judged were
     * not used to choose it; the comparison starts afresh when it is chosen.
     */
    private static Measurement slowerThanBoundary(JudgeSpec j, HistogramMeasurement h, MetricRecord r) {
        Double kept = r.judge == null ? null : r.judge.boundary;
        double boundary;
        if (kept != null) {
            boundary = kept;
        } else {
            double quantile = j.quantile == null ? JudgeSpec.DEFAULT_QUANTILE : j.quantile;
            // A quantile bucket read from a few requests is mostly chance (at p99, one slow request in fifty moves
            // it a bucket up): the boundary waits until the stable revision has served enough to place it.
            long needed = stableRequestsForBoundary(quantile);
            SlowRequests.Reading<Double> served = SlowRequests.total(h.stableBuckets);
            if (served.problem() == null && served.value() > 0 && served.value() < needed) {
                return new Measurement(h.time, null, Verdicts.PENDING, "the boundary waits for the stable revision's histogram to"
                        + " hold " + needed + " requests (it holds " + Math.round(served.value()) + "): its " + quantile
                        + " quantile bucket cannot be placed before");
            }
            SlowRequests.Reading<Double> chosen = SlowRequests.boundary(h.stableBuckets, quantile);
            if (chosen.problem() != null) {
                return new Measurement(h.time, null, Verdicts.INCONCLUSIVE, "no boundary from the stable revision's histogram: "
                        + chosen.problem());
            }
            boundary = chosen.value();
        }
        SlowRequests.Reading<SlowRequests.Tail> newTail = SlowRequests.tail(h.newBuckets, boundary);
        SlowRequests.Reading<SlowRequests.Tail> stableTail = SlowRequests.tail(h.stableBuckets, boundary);
        if (newTail.problem() != null || stableTail.problem() != null) {
            return new Measurement(h.time, null, Verdicts.INCONCLUSIVE, newTail.problem() != null
                    ? "the new revision's histogram: " + newTail.problem() : "the stable revision's histogram: " + stableTail.problem());
        }
        Measurement counted = new Measurement(h.time, null, Verdicts.PENDING, null);
        counted.counts = new RequestCounts(newTail.value().slow(), newTail.value().total(), stableTail.value().slow(),
                stableTail.value().total());
        Measurement out = judged(j, counted, r, kept == null ? null : JudgeStates.state(r.judge));
        r.judge.boundary = boundary;
        // The judge's words are about errors; here its failures are the slow requests.
        out.reason = "requests slower than le=\"" + Verdicts.format(boundary) + "\" (the stable revision's "
                + (j.quantile == null ? JudgeSpec.DEFAULT_QUANTILE : j.quantile) + " quantile bucket) counted as failed: "
                + (out.reason == null ? "" : out.reason.replace("error rate", "share of slow requests").replace("errors/requests", "slow/all requests"));
        return out;
    }

    /** The stable revision's requests before its quantile bucket is taken as the boundary: 10 / (1 - quantile). */
    static long stableRequestsForBoundary(double quantile) {
        return Math.round(10 / (1 - quantile));
    }

    /**
     * The new requests a judge needs before it can pass: as written, or by default 100 for errors and, for a
     * latency judge, enough to expect 10 slow ones at the stable revision's share (1000 at p99): without slow
     * requests on either side a judge passes, which a hundred requests at a 1% slow share would often allow.
     */
    public static long minRequests(JudgeSpec j) {
        if (j.minRequests != null) {
            return j.minRequests;
        }
        if (j.histogram == null) {
            return JudgeSpec.DEFAULT_MIN_REQUESTS;
        }
        double quantile = j.quantile == null ? JudgeSpec.DEFAULT_QUANTILE : j.quantile;
        return Math.max(JudgeSpec.DEFAULT_MIN_REQUESTS, stableRequestsForBoundary(quantile));
    }

    /**
     * A judged metric's measurement, with its verdict on the evidence so far ({@code previous}); the evidence moves
     * on in {@code r}.
     */
    private static Measurement judged(JudgeSpec j, Measurement m, MetricRecord r, SequentialJudge.State previous) {
        SequentialJudge.Tolerance tolerance = new SequentialJudge.Tolerance(
                j.maxRatio == null ? JudgeSpec.DEFAULT_MAX_RATIO : j.maxRatio, j.maxErrorRate,
                j.alpha == null ? JudgeSpec.DEFAULT_ALPHA : j.alpha, minRequests(j));
        SequentialJudge.Result result = SequentialJudge.judge(previous, JudgeStates.counts(m.counts), tolerance);
        r.judge = JudgeStates.evidence(result.next());
        Measurement out = new Measurement(m.time, null, switch (result.verdict()) {
            case PASS -> Verdicts.PASS;
            case FAIL -> Verdicts.FAIL;
            case PENDING -> Verdicts.PENDING;
            case INCONCLUSIVE -> Verdicts.INCONCLUSIVE;
        }, result.reason());
        out.counts = m.counts;
        var judged = result.next().judged();
        out.value = judged.newRequests() > 0 ? judged.newErrors() / judged.newRequests() : null;
        // Finite for the status (JSON has no infinity): beyond 1e300 the evidence says all it can.
        out.evidenceWorse = Math.min(result.failEvidence(), 1e300);
        out.evidenceNotWorse = Math.min(result.passEvidence(), 1e300);
        return out;
    }

    /**
     * Judges the records. A failure beyond failureLimit reverts; too many inconclusive measurements in a row
     * revert or hold as the Release says; the rollout may advance only when every metric's latest
     * measurement, taken at or after {@code since}, passed.
     */
    public static Judgement judge(List<MetricRecord> records, AnalysisSpec spec, Instant since) {
        int inconclusiveLimit = spec.inconclusiveLimit == null ? DEFAULT_INCONCLUSIVE_LIMIT : spec.inconclusiveLimit;
        boolean allPass = true;
        String waitingFor = null;
        for (MetricSpec metric : StandardMetrics.expand(spec)) {
            Optional<MetricRecord> r = find(records, metric.name);
            int failureLimit = metric.failureLimit == null ? 0 : metric.failureLimit;
            Measurement latest = r.flatMap(x -> x.measurements.isEmpty() ? Optional.empty()
                    : Optional.of(x.measurements.get(x.measurements.size() - 1))).orElse(null);
            if (r.isPresent() && r.get().failures != null && r.get().failures > failureLimit) {
                Measurement failed = lastWith(r.get(), Verdicts.FAIL);
                return new Judgement(Outcome.REVERT, metric.name, "metric " + metric.name + " failed: "
                        + (failed == null ? "threshold breached" : failed.reason) + " (measured at " + (failed == null ? "?" : failed.time)
                        + "; " + r.get().failures + " failure(s), failureLimit " + failureLimit + ")");
            }
            if (r.isPresent() && r.get().consecutiveInconclusive != null && r.get().consecutiveInconclusive >= inconclusiveLimit) {
                String why = latest == null ? "no verdict" : latest.reason;
                Outcome o = "Hold".equals(spec.onInconclusive) ? Outcome.HOLD : Outcome.REVERT;
                return new Judgement(o, metric.name, "metric " + metric.name + " inconclusive " + r.get().consecutiveInconclusive
                        + " times in a row (" + why + ")" + (o == Outcome.HOLD ? "; holding until it passes" : ""));
            }
            boolean fresh = latest != null && !Instant.parse(latest.time).isBefore(since);
            if (!fresh || !Verdicts.PASS.equals(latest.verdict)) {
                allPass = false;
                if (waitingFor == null) {
                    waitingFor = metric.name + (latest == null || !fresh ? " (not measured yet at this step)"
                            : " (" + latest.verdict.toLowerCase() + ": " + latest.reason + ")");
                }
            }
        }
        return allPass ? new Judgement(Outcome.PASSING, null, "all metrics pass")
                : new Judgement(Outcome.WAITING, null, "waiting for a passing measurement of " + waitingFor);
    }

    /**
     * Whether the evidence is enough for the final promotion when steps advance unless failed: each metric's latest
     * measurement since {@code since} passes, or (a judged metric) has not failed and judged at least its minRequests
     * requests of the new revision. Otherwise WAITING, saying for which metric.
     */
    public static Judgement enoughToPromote(List<MetricRecord> records, AnalysisSpec spec, Instant since) {
        for (MetricSpec metric : StandardMetrics.expand(spec)) {
            Optional<MetricRecord> r = find(records, metric.name);
            Measurement latest = r.flatMap(x -> x.measurements.isEmpty() ? Optional.empty()
                    : Optional.of(x.measurements.get(x.measurements.size() - 1))).orElse(null);
            boolean fresh = latest != null && !Instant.parse(latest.time).isBefore(since);
            if (!fresh) {
                return new Judgement(Outcome.WAITING, metric.name, "waiting for a measurement of " + metric.name + " before the final promotion");
            }
            if (Verdicts.PASS.equals(latest.verdict)) {
                continue;
            }
            long needed = metric.judge == null ? 0 : minRequests(metric.judge);
            double judged = r.get().judge == null || r.get().judge.judged == null || r.get().judge.judged.newRequests == null ? 0
                    : r.get().judge.judged.newRequests;
            boolean judgedEnough = metric.judge != null && !Verdicts.FAIL.equals(latest.verdict)
                    && !Verdicts.INCONCLUSIVE.equals(latest.verdict) && judged >= needed;
            if (!judgedEnough) {
                return new Judgement(Outcome.WAITING, metric.name, "the final promotion waits for " + metric.name + " to pass"
                        + (metric.judge == null ? "" : " or to have judged " + needed + " requests of the new revision (" + (long) judged
                        + " so far)") + " (" + latest.verdict.toLowerCase() + ": " + latest.reason + ")");
            }
        }
        return new Judgement(Outcome.PASSING, null, "enough evidence to promote");
    }

    private static Measurement lastWith(MetricRecord r, String verdict) {
        for (int i = r.measurements.size() - 1; i >= 0; i--) {
            if (verdict.equals(r.measurements.get(i).verdict)) {
                return r.measurements.get(i);
            }
        }
        return null;
    }

    private static Optional<MetricRecord> find(List<MetricRecord> records, String name) {
        return records == null ? Optional.empty() : records.stream().filter(r -> name.equals(r.name)).findFirst();
    }
}
