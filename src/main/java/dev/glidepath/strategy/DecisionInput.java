package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import java.time.Instant;

/** Everything a decision depends on; nothing else is read while deciding. */
public record DecisionInput(String releaseName, Long generation, ReleaseSpec spec, ReleaseStatus status,
        ObservedState observed, Instant now) {
}
