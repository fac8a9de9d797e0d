package dev.glidepath.api.v1alpha1;

import java.util.Arrays;
import java.util.Optional;

/** How a revision stands or ended ({@code status.revisions[].outcome}). */
public enum RevisionOutcome {
    STABLE("Stable"),
    PROGRESSING("Progressing"),
    REPLACED("Replaced"),
    SUPERSEDED("Superseded"),
    FAILED("Failed"),
    ABORTED("Aborted"),
    ROLLED_BACK("RolledBack");

    private final String wire;

    RevisionOutcome(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Judged bad: not rolled out again until retried, and retired at once. */
    public boolean blocked() {
        return this == FAILED || this == ABORTED || this == ROLLED_BACK;
    }

    public static Optional<RevisionOutcome> of(String wire) {
        return Arrays.stream(values()).filter(o -> o.wire.equals(wire)).findFirst();
    }
}
