package dev.glidepath.api.v1alpha1;

import java.util.Arrays;
import java.util.Optional;

/** Where a revision's database migration stands ({@code status.revisions[].migration}). */
public enum MigrationState {
    SUCCEEDED("Succeeded"),
    FAILED("Failed"),
    /** The down-migration Job was started. */
    ROLLING_BACK("RollingBack"),
    /** The down-migration succeeded. */
    ROLLED_BACK("RolledBack"),
    ROLLBACK_FAILED("RollbackFailed");

    private final String wire;

    MigrationState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<MigrationState> of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
    }
}
