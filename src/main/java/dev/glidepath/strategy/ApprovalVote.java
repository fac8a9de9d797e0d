package dev.glidepath.strategy;

/**
 * An Approval as the operator found it: which revision and role it is for, who gave it and when, and whether it
 * counts ({@code refusal} null) or why not (the identity is not verified, or RBAC does not let that person approve
 * for the role). Read before deciding; the decision only matches them to the roles needed.
 */
public record ApprovalVote(String name, int revision, String role, String approver, String at, String comment, String refusal) {

    public boolean counts() {
        return refusal == null;
    }
}
