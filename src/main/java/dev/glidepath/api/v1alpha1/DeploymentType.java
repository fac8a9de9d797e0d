package dev.glidepath.api.v1alpha1;

/** The kind of deployment a rollout is, each with its own process and approval. */
public enum DeploymentType {
    /** The full process; approval by spec.approval.roles.standard. */
    STANDARD("Standard"),
    /** Expedited (spec.hotfix names the revision): no soak, windows and overridable freezes passed; roles.hotfix. */
    HOTFIX("Hotfix"),
    /** Back to an earlier revision: immediate, never waits for anyone. */
    ROLLBACK("Rollback"),
    /** The full process inside a deployment window (the Release has spec.windows); roles.scheduled. */
    SCHEDULED("Scheduled");

    private final String wire;

    DeploymentType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
