package dev.glidepath.analysis;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.glidepath.api.v1alpha1.Measurement;
import java.util.SortedMap;

/**
 * A latency judge's reading of one round: both revisions' cumulative buckets by {@code le}. The ledger turns it
 * into counts of slow requests by the boundary the rollout keeps ({@link AnalysisLedger}); the buckets themselves
 * are never written to the status.
 */
final class HistogramMeasurement extends Measurement {
    @JsonIgnore
    final SortedMap<Double, Double> newBuckets;
    @JsonIgnore
    final SortedMap<Double, Double> stableBuckets;

    HistogramMeasurement(String time, SortedMap<Double, Double> newBuckets, SortedMap<Double, Double> stableBuckets) {
        super(time, null, Verdicts.PENDING, null);
        this.newBuckets = newBuckets;
        this.stableBuckets = stableBuckets;
    }
}
