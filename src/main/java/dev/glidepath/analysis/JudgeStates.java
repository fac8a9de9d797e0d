package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.JudgeEvidence;
import dev.glidepath.api.v1alpha1.RequestCounts;
import java.util.Arrays;
import java.util.List;

/** Between the judge's state and its record in the Rollout's status. */
final class JudgeStates {
    private JudgeStates() {
    }

    static SequentialJudge.Counts counts(RequestCounts c) {
        return new SequentialJudge.Counts(value(c.newErrors), value(c.newRequests), value(c.stableErrors), value(c.stableRequests));
    }

    static RequestCounts counts(SequentialJudge.Counts c) {
        return new RequestCounts(c.newErrors(), c.newRequests(), c.stableErrors(), c.stableRequests());
    }

    /** The state recorded, or none (the next counts start the comparison) when there is none or it was edited. */
    static SequentialJudge.State state(JudgeEvidence e) {
        if (e == null || e.last == null || e.judged == null || e.intervals == null || e.intervals < 0 || e.worse == null
                || e.better == null) {
            return null;
        }
        SequentialJudge.State fresh = SequentialJudge.State.start(counts(e.last));
        double[] worse = array(e.worse, fresh.worse().length);
        double[] better = array(e.better, fresh.better().length);
        double[] worseAbs = array(e.worseAbsolute, fresh.worseAbsolute().length);
        double[] betterAbs = array(e.betterAbsolute, fresh.betterAbsolute().length);
        if (worse == null || better == null || worseAbs == null || betterAbs == null) {
            return null;
        }
        return new SequentialJudge.State(counts(e.last), counts(e.judged), e.intervals, worse, better, worseAbs, betterAbs);
    }

    static JudgeEvidence evidence(SequentialJudge.State s) {
        JudgeEvidence e = new JudgeEvidence();
        e.last = counts(s.last());
        e.judged = counts(s.judged());
        e.intervals = s.intervals();
        e.worse = list(s.worse());
        e.better = list(s.better());
        e.worseAbsolute = list(s.worseAbsolute());
        e.betterAbsolute = list(s.betterAbsolute());
        return e;
    }

    private static double value(Double d) {
        return d == null ? 0 : d;
    }

    private static double[] array(List<Double> values, int length) {
        if (values == null) {
            return new double[length];
        }
        if (values.size() != length || values.stream().anyMatch(v -> v == null || v.isNaN())) {
            return null;
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<Double> list(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
