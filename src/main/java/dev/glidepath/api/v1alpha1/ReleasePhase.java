package dev.glidepath.api.v1alpha1;

import java.util.Arrays;

/** The phase of a Release ({@code status.phase}), with what it means for kstatus and for alerts. */
public enum ReleasePhase {
    HEALTHY("Healthy"),
    PROGRESSING("Progressing"),
    PAUSED("Paused"),
    AWAITING_APPROVAL("AwaitingApproval"),
    AWAITING_PROMOTION("AwaitingPromotion"),
    WAITING_FOR_WINDOW("WaitingForWindow"),
    FROZEN("Frozen"),
    DEGRADED("Degraded"),
    ROLLED_BACK("RolledBack");

    private final String wire;

    ReleasePhase(String wire) {
        this.wire = wire;
    }

    /** As written in the status. */
    public String wire() {
        return wire;
    }

    public static ReleasePhase of(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a Release phase: " + wire));
    }

    /** kstatus Ready: the stable revision serves everything the spec asks for. */
    public boolean ready() {
        return this == HEALTHY;
    }

    /** kstatus Reconciling: on the way to what the spec asks, without a person. */
    public boolean reconciling() {
        return this == PROGRESSING || this == PAUSED || this == AWAITING_APPROVAL || this == AWAITING_PROMOTION || this == WAITING_FOR_WINDOW
                || this == FROZEN;
    }

    /** kstatus Stalled: it cannot get where the spec asks without a person; announced as a Warning. */
    public boolean stalled() {
        return this == DEGRADED || this == ROLLED_BACK;
    }
}
