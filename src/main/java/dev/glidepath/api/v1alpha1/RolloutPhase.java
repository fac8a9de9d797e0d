package dev.glidepath.api.v1alpha1;

/** The phase of a Rollout ({@code status.phase}) and of the steps it records. */
public enum RolloutPhase {
    PROGRESSING("Progressing"),
    PAUSED("Paused"),
    SUCCEEDED("Succeeded"),
    ABORTED("Aborted"),
    FAILED("Failed"),
    ROLLED_BACK("RolledBack"),
    SUPERSEDED("Superseded");

    private final String wire;

    RolloutPhase(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Not ended: a Rollout in one of these phases may still be adopted and resumed. */
    public static boolean unfinished(String wire) {
        return wire == null || PROGRESSING.wire.equals(wire) || PAUSED.wire.equals(wire);
    }
}
