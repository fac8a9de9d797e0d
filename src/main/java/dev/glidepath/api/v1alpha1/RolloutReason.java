package dev.glidepath.api.v1alpha1;

import java.util.Arrays;
import java.util.Optional;

/** Why a Rollout happened ({@code spec.reason} of a Rollout, {@code status.rollout.reason} of a Release). */
public enum RolloutReason {
    /** The first revision of a Release, deployed directly. */
    INITIAL("Initial"),
    /** A new template rolled out with the Release's strategy. */
    UPDATE("Update"),
    /** Back to a retained revision, directly. */
    ROLLBACK("Rollback");

    private final String wire;

    RolloutReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean is(String value) {
        return wire.equals(value);
    }

    public static Optional<RolloutReason> of(String wire) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(wire)).findFirst();
    }
}
