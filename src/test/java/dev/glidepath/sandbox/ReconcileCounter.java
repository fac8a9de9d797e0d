package dev.glidepath.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A JOSDK metrics hook that counts reconciles, for the benchmark. */
public final class ReconcileCounter implements Metrics {
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong nanosInReconciler = new AtomicLong();

    /** A snapshot of the counts; subtract two to get what happened in between. */
    public record Counts(long started, long finished, long failed, long nanosInReconciler) {
        public Counts minus(Counts earlier) {
            return new Counts(started - earlier.started, finished - earlier.finished, failed - earlier.failed,
                    nanosInReconciler - earlier.nanosInReconciler);
        }

        /** Mean time spent in the reconciler per call, in milliseconds. */
        public double meanMillis() {
            long calls = finished + failed;
            return calls == 0 ? 0 : nanosInReconciler / 1e6 / calls;
        }
    }

    public Counts now() {
        return new Counts(started.get(), finished.get(), failed.get(), nanosInReconciler.get());
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retry, Map<String, Object> metadata) {
        started.incrementAndGet();
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        finished.incrementAndGet();
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        failed.incrementAndGet();
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        long start = System.nanoTime();
        try {
            return execution.execute();
        } finally {
            nanosInReconciler.addAndGet(System.nanoTime() - start);
        }
    }
}
