package dev.glidepath.reconciler;

import dev.glidepath.sandbox.FakePrometheus;
import dev.glidepath.sandbox.FakePrometheus.Answer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The sandbox with a fake Prometheus whose error-rate answer a test sets (a low, passing rate to start). */
abstract class FakePrometheusTest extends SandboxTest {
    FakePrometheus prometheus;
    final AtomicReference<Answer> errorRate = new AtomicReference<>(Answer.value(0.01));

    @BeforeEach
    void startPrometheus() {
        prometheus = new FakePrometheus();
        prometheus.answer(q -> errorRate.get());
    }

    @AfterEach
    void stopPrometheus() {
        prometheus.close();
    }
}
