package dev.glidepath.approval;

/**
 * Whether Approvals count without the admission policy that verifies their approver ({@value ApprovalChecks#TRUST_PROPERTY},
 * false by default: an Approval anyone could write in anyone's name is no approval).
 */
public record ApprovalTrust(boolean trustUnverified) {
}
