package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.ApprovalSpec;
import dev.glidepath.api.v1alpha1.DeploymentType;
import dev.glidepath.api.v1alpha1.RecordedApproval;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Approval by role: the roles a deployment type needs (spec.approval.roles), each filled by a counted Approval of
 * the revision, one person per role (separation of duties: the same person approving twice counts once). Pure.
 */
final class ApprovalGate {
    private ApprovalGate() {
    }

    /** The roles a rollout of this type needs; none for a rollback. */
    static List<String> rolesFor(ApprovalSpec approval, DeploymentType type) {
        if (approval == null || approval.roles == null || type == DeploymentType.ROLLBACK) {
            return List.of();
        }
        ApprovalSpec.Roles r = approval.roles;
        // A type without its own list needs the standard roles: declaring a hotfix never lowers the bar.
        List<String> roles = switch (type) {
            case HOTFIX -> r.hotfix != null ? r.hotfix : r.standard;
            case SCHEDULED -> r.scheduled != null ? r.scheduled : r.standard;
            default -> r.standard;
        };
        return roles == null ? List.of() : roles.stream().distinct().toList();
    }

    /** Who fills which role, when every role can be filled by a different person; else empty. */
    static Optional<List<RecordedApproval>> assign(List<String> roles, int revision, List<ApprovalVote> votes) {
        Map<String, List<ApprovalVote>> byRole = new LinkedHashMap<>();
        for (String role : roles) {
            // One candidate per person and role: duplicates would only multiply the search.
            Map<String, ApprovalVote> byPerson = new LinkedHashMap<>();
            votes.stream().filter(v -> v.counts() && v.revision() == revision && role.equals(v.role()) && v.approver() != null)
                    .forEach(v -> byPerson.putIfAbsent(v.approver(), v));
            if (byPerson.isEmpty()) {
                return Optional.empty();
            }
            byRole.put(role, List.copyOf(byPerson.values()));
        }
        List<ApprovalVote> chosen = new ArrayList<>();
        if (!fill(roles, 0, byRole, new HashSet<>(), chosen)) {
            return Optional.empty();
        }
        return Optional.of(chosen.stream().map(ApprovalGate::recorded).toList());
    }

    /** Backtracking over the roles (a handful): a person already used for one role cannot fill another. */
    private static boolean fill(List<String> roles, int i, Map<String, List<ApprovalVote>> byRole, Set<String> people,
            List<ApprovalVote> chosen) {
        if (i == roles.size()) {
            return true;
        }
        for (ApprovalVote v : byRole.get(roles.get(i))) {
            if (people.add(v.approver())) {
                chosen.add(v);
                if (fill(roles, i + 1, byRole, people, chosen)) {
                    return true;
                }
                chosen.remove(chosen.size() - 1);
                people.remove(v.approver());
            }
        }
        return false;
    }

    /** What the waiting message says: which roles are still missing, who approved what, and what was refused. */
    static String missing(List<String> roles, int revision, List<ApprovalVote> votes) {
        List<ApprovalVote> forRevision = votes.stream().filter(v -> v.revision() == revision && roles.contains(v.role())).toList();
        List<String> given = forRevision.stream().filter(ApprovalVote::counts).map(v -> v.role() + " by " + v.approver()).toList();
        Set<String> covered = new HashSet<>();
        forRevision.stream().filter(ApprovalVote::counts).forEach(v -> covered.add(v.role()));
        List<String> open = roles.stream().filter(r -> !covered.contains(r)).toList();
        StringBuilder b = new StringBuilder();
        if (!open.isEmpty()) {
            b.append("needs ").append(String.join(" and ", open));
        } else {
            b.append("needs a different person for each of ").append(String.join(", ", roles))
                    .append(" (one person counts for one role only)");
        }
        if (!given.isEmpty()) {
            b.append("; approved: ").append(String.join(", ", given));
        }
        forRevision.stream().filter(v -> !v.counts()).forEach(v -> b.append("; Approval ").append(v.name()).append(" of ")
                .append(v.approver()).append(" for ").append(v.role()).append(" does not count: ").append(v.refusal()));
        return b.toString();
    }

    private static RecordedApproval recorded(ApprovalVote v) {
        RecordedApproval r = new RecordedApproval();
        r.role = v.role();
        r.approver = v.approver();
        r.at = v.at();
        r.approval = v.name();
        r.comment = v.comment();
        return r;
    }
}
