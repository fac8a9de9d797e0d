package dev.glidepath.analysis;

import dev.glidepath.credentials.PrometheusAccess;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.sandbox.FakePrometheus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusClientTest {

    private QueryResult ask(FakePrometheus.Answer answer) {
        try (FakePrometheus fake = new FakePrometheus()) {
            fake.answer(q -> answer);
            return new PrometheusClient(fake.address(), PrometheusAccess.NONE, Duration.ofSeconds(2)).query("up").join();
        }
    }

    @Test
    void readsOneSampleNoSampleNanAndErrors() {
        assertThat(ask(FakePrometheus.Answer.value(0.25)).value()).hasValue(0.25);
        assertThat(ask(FakePrometheus.Answer.noSample()).empty()).isTrue();
        assertThat(ask(FakePrometheus.Answer.value(Double.NaN)).value().getAsDouble()).isNaN();
        assertThat(ask(FakePrometheus.Answer.error("parse error at char 3")).error()).contains("HTTP 400").contains("parse error");
    }

    @Test
    void manySeriesAreRefusedWithAHint() {
        var many = new FakePrometheus.Answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"a\":\"1\"},\"value\":[1,\"1\"]},{\"metric\":{\"a\":\"2\"},\"value\":[1,\"2\"]}]}}", 200, 0);
        assertThat(ask(many).error()).contains("2 series").contains("sum(");
    }

    @Test
    void aVectorOfBucketsIsReadByLeInOrderWhateverTheOrderOfTheSeries() {
        var buckets = new FakePrometheus.Answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"le\":\"+Inf\"},\"value\":[1,\"100\"]},{\"metric\":{\"le\":\"0.5\"},\"value\":[1,\"99\"]},"
                + "{\"metric\":{\"le\":\"0.1\"},\"value\":[1,\"90\"]}]}}", 200, 0);
        QueryResult r = ask(buckets);
        assertThat(r.buckets()).containsExactly(Map.entry(0.1, 90.0), Map.entry(0.5, 99.0), Map.entry(Double.POSITIVE_INFINITY, 100.0));
        // Read as one number, it is still refused: a threshold query must aggregate.
        assertThat(r.error()).contains("3 series");
        assertThat(ask(FakePrometheus.Answer.value(0.25)).buckets()).isNull();
        assertThat(ask(FakePrometheus.Answer.buckets(Map.of(Double.POSITIVE_INFINITY, 7.0))).buckets())
                .containsExactly(Map.entry(Double.POSITIVE_INFINITY, 7.0));
    }

    @Test
    void seriesWithoutLeOrWithTheSameLeTwiceAreNoBuckets() {
        var twice = new FakePrometheus.Answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"le\":\"0.5\",\"pod\":\"a\"},\"value\":[1,\"1\"]},{\"metric\":{\"le\":\"0.5\",\"pod\":\"b\"},"
                + "\"value\":[1,\"2\"]}]}}", 200, 0);
        assertThat(ask(twice).buckets()).isNull();
        var mixed = new FakePrometheus.Answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"le\":\"0.5\"},\"value\":[1,\"1\"]},{\"metric\":{},\"value\":[1,\"2\"]}]}}", 200, 0);
        assertThat(ask(mixed).buckets()).isNull();
    }

    @Test
    void aSlowOrAbsentPrometheusAnswersInconclusivelyWithinTheTimeout() {
        try (FakePrometheus fake = new FakePrometheus()) {
            fake.answer(q -> FakePrometheus.Answer.value(1).late(3000));
            QueryResult r = new PrometheusClient(fake.address(), PrometheusAccess.NONE, Duration.ofMillis(300)).query("up").join();
            // The late answer (value 1) never arrives in time: the query gave up at its timeout.
            assertThat(r.value()).isEmpty();
            assertThat(r.error()).contains("no answer within");
        }
        assertThat(new PrometheusClient("http://127.0.0.1:9", PrometheusAccess.NONE, Duration.ofSeconds(1)).query("up").join()
                .error()).startsWith("Prometheus unreachable");
    }
}
