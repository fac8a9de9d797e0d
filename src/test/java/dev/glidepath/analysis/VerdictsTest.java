package dev.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Threshold;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerdictsTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    static MetricSpec metric(Double min, Double max) {
        MetricSpec m = new MetricSpec();
        m.name = "m";
        m.query = "x";
        m.threshold = new Threshold();
        m.threshold.min = min;
        m.threshold.max = max;
        return m;
    }

    @Test
    void withinTheRangePassesOutsideFails() {
        assertThat(Verdicts.judge(metric(null, 0.05), QueryResult.of(0.05), T).verdict).isEqualTo("Pass");
        var fail = Verdicts.judge(metric(null, 0.05), QueryResult.of(0.0501), T);
        assertThat(fail.verdict).isEqualTo("Fail");
        assertThat(fail.value).isEqualTo(0.0501);
        assertThat(fail.reason).isEqualTo("0.0501 is above max 0.05");
        assertThat(Verdicts.judge(metric(10.0, null), QueryResult.of(9), T).reason).isEqualTo("9 is below min 10");
        assertThat(Verdicts.judge(metric(1.0, 2.0), QueryResult.of(1.5), T).verdict).isEqualTo("Pass");
    }

    @Test
    void errorsNanInfinityAndNoSampleAreInconclusiveNeverPass() {
        assertThat(Verdicts.judge(metric(null, 1.0), QueryResult.failed("Prometheus unreachable: refused"), T))
                .satisfies(m -> {
                    assertThat(m.verdict).isEqualTo("Inconclusive");
                    assertThat(m.reason).contains("unreachable");
                });
        assertThat(Verdicts.judge(metric(null, 1.0), QueryResult.of(Double.NaN), T).verdict).isEqualTo("Inconclusive");
        assertThat(Verdicts.judge(metric(null, 1.0), QueryResult.of(Double.POSITIVE_INFINITY), T).reason).contains("+Inf");
        assertThat(Verdicts.judge(metric(0.0, null), QueryResult.of(Double.NEGATIVE_INFINITY), T).verdict).isEqualTo("Inconclusive");
        var empty = Verdicts.judge(metric(null, 1.0), QueryResult.noSample(), T);
        assertThat(empty.verdict).isEqualTo("Inconclusive");
        assertThat(empty.reason).startsWith("no traffic");
    }

    @Test
    void noTrafficCanBeDeclaredPassing() {
        MetricSpec m = metric(null, 1.0);
        m.noTraffic = "Pass";
        var empty = Verdicts.judge(m, QueryResult.noSample(), T);
        assertThat(empty.verdict).isEqualTo("Pass");
        assertThat(empty.reason).startsWith("no traffic");
    }
}
