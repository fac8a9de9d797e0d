package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import java.time.Instant;
import java.util.Map;

/**
 * Everything a decision depends on; nothing else is read while deciding. {@code measurements} holds the
 * analysis round taken in this reconcile (metric name to measurement), empty when none was due.
 */
public record DecisionInput(String releaseName, Long generation, ReleaseSpec spec, ReleaseStatus status,
        ObservedState observed, Instant now, Map<String, Measurement> measurements) {

    public DecisionInput(String releaseName, Long generation, ReleaseSpec spec, ReleaseStatus status,
            ObservedState observed, Instant now) {
        this(releaseName, generation, spec, status, observed, now, Map.of());
    }
}
