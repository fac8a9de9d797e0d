package dev.glidepath.analysis;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.credentials.Credentials;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a decision gets the measurements of the round due for its Release. The status the decision starts
 * from says when a round is due ({@code rollout.nextMeasurementAt}); the measurements of one round are handed
 * to one decision only, which moves that time on.
 */
public interface MeasurementSource extends AutoCloseable {

    /**
     * The measurements of the round due now for the Release whose decision starts from {@code status}, with the
     * credentials read and checked for it. Empty when no round is due, or when the round is still being
     * taken: then {@code inFlight} is set, and {@code taken} runs once its answers are in, to wake the Release.
     */
    Measurements measure(Release release, ReleaseStatus status, Credentials credentials, Runnable taken);

    /** The Release is gone: whatever was measured for it is dropped. */
    default void forget(Release release) {
    }

    /** Stops the Prometheus clients and their threads. */
    @Override
    void close();

    /** What a decision gets: the measurements taken for it (metric name to measurement), or none yet. */
    record Measurements(Map<String, Measurement> taken, boolean inFlight) {
        public static final Measurements NONE = new Measurements(Map.of(), false);
        public static final Measurements IN_FLIGHT = new Measurements(Map.of(), true);

        public Measurements {
            taken = Collections.unmodifiableMap(new LinkedHashMap<>(taken)); // in the order of the spec
        }
    }
}
