package dev.glidepath.approval;

import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.api.v1alpha1.ApprovalStatus;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Signoff;
import dev.glidepath.strategy.ApprovalVote;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import org.jboss.logging.Logger;

/**
 * Decides whether each Approval of a Release counts, before the decision matches them to roles: its approver's
 * identity must be one the API server vouched for (the admission policy {@value #POLICY} is installed and enforced,
 * or the operator was told to trust Approvals without it), and RBAC must let that person approve for the role
 * (a SubjectAccessReview of verb {@value #VERB} on releases/ROLE named after the Release). What it finds is written
 * to the Approval's status. Answers are kept briefly: a Release waiting for approval is not a stream of reviews.
 */
public final class ApprovalChecks {
    public static final String POLICY = "glidepath-approval-identity";
    public static final String VERB = "approve";
    public static final String TRUST_PROPERTY = "glidepath.approvals.trust-unverified";
    static final Duration POLICY_TTL = Duration.ofSeconds(60);
    static final Duration REVIEW_TTL = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(ApprovalChecks.class);

    private final boolean trustUnverified;
    private final Clock clock;
    private volatile Checked<Enforcement> identity;
    private final Map<String, Checked<Optional<String>>> reviews = new ConcurrentHashMap<>();

    private record Checked<T>(T value, Instant at) {
    }

    public ApprovalChecks(boolean trustUnverified, Clock clock) {
        this.trustUnverified = trustUnverified;
        this.clock = clock;
    }

    /**
     * The Approvals of {@code release} for the revisions that may still start ({@code open}: newer than the stable one,
     * or an older one the Release still keeps), each counted or refused with the reason.
     */
    public List<ApprovalVote> check(KubernetesClient client, Release release, Collection<Approval> approvals, IntPredicate open) {
        List<ApprovalVote> votes = new ArrayList<>();
        Instant born = instant(release.getMetadata().getCreationTimestamp());
        List<Approval> relevant = approvals.stream()
                .filter(a -> a.getSpec() != null && release.getMetadata().getName().equals(a.getSpec().release))
                // Made for an earlier Release of the same name (deleted and created again): its revisions were others.
                .filter(a -> born == null || !created(a).isBefore(born))
                .filter(a -> a.getSpec().revision == null || open.test(a.getSpec().revision))
                .sorted(Comparator.comparing(a -> a.getMetadata().getCreationTimestamp() == null ? "" : a.getMetadata().getCreationTimestamp()))
                .toList();
        if (relevant.isEmpty()) {
            return votes;
        }
        Optional<Instant> enforcedSince = trustUnverified ? Optional.of(Instant.MIN) : identityEnforcedSince(client);
        for (Approval a : relevant) {
            Optional<String> untrusted = enforcedSince.isEmpty() ? Optional.of(identity.value().problem())
                    : created(a).isBefore(enforcedSince.get()) ? Optional.of("it was created before the admission policy " + POLICY
                            + " was enforced (" + enforcedSince.get() + "), so nothing verified its approver; create it again")
                    : Optional.empty();
            Optional<String> refusal = incomplete(a.getSpec()).or(() -> untrusted).or(() -> forbidden(client, release, a));
            votes.add(new ApprovalVote(a.getMetadata().getName(), a.getSpec().revision == null ? 0 : a.getSpec().revision,
                    a.getSpec().role, a.getSpec().approver == null ? null : a.getSpec().approver.username,
                    a.getMetadata().getCreationTimestamp(), a.getSpec().comment, refusal.orElse(null)));
            report(client, a, refusal);
        }
        return votes;
    }

    private static Optional<String> incomplete(Signoff spec) {
        if (spec.revision == null || spec.revision < 1) {
            return Optional.of("spec.revision: a revision number of 1 or more is required");
        }
        if (spec.role == null || spec.role.isBlank()) {
            return Optional.of("spec.role: is required");
        }
        if (spec.approver == null || spec.approver.username == null || spec.approver.username.isBlank()) {
            return Optional.of("spec.approver.username: is required");
        }
        return Optional.empty();
    }

    /** Whether the policy that verifies approvers is enforced, and since when; or why not. */
    private record Enforcement(Instant since, String problem) {
    }

    /**
     * Since when approvers' identities are verified here (the later creation of the admission policy and its
     * binding, which must bind that policy and deny), or empty when they are not (the reason is kept in {@link #identity}).
     */
    private Optional<Instant> identityEnforcedSince(KubernetesClient client) {
        Checked<Enforcement> known = identity;
        Instant now = clock.instant();
        if (known == null || !now.isBefore(known.at().plus(POLICY_TTL))) {
            known = new Checked<>(enforcement(client), now);
            identity = known;
        }
        return Optional.ofNullable(known.value().since());
    }

    private static Enforcement enforcement(KubernetesClient client) {
        try {
            var admission = client.admissionRegistration().v1();
            var policy = admission.validatingAdmissionPolicies().withName(POLICY).get();
            var binding = admission.validatingAdmissionPolicyBindings().withName(POLICY).get();
            if (policy == null || binding == null) {
                return new Enforcement(null, "Approvals are not counted: the admission policy " + POLICY + " (or its binding) is not"
                        + " installed, so nothing verifies that an approver is who the Approval says; install it (the Helm chart and"
                        + " deploy/ do), or set " + TRUST_PROPERTY + "=true to count Approvals without it");
            }
            var spec = binding.getSpec();
            if (spec == null || !POLICY.equals(spec.getPolicyName()) || spec.getValidationActions() == null
                    || !spec.getValidationActions().contains("Deny") || spec.getMatchResources() != null
                    && (spec.getMatchResources().getNamespaceSelector() != null
                            && spec.getMatchResources().getNamespaceSelector().getMatchLabels() != null
                            && !spec.getMatchResources().getNamespaceSelector().getMatchLabels().isEmpty()
                            || spec.getMatchResources().getObjectSelector() != null
                            && spec.getMatchResources().getObjectSelector().getMatchLabels() != null
                            && !spec.getMatchResources().getObjectSelector().getMatchLabels().isEmpty())) {
                return new Enforcement(null, "Approvals are not counted: the binding " + POLICY + " must bind the policy " + POLICY
                        + " for every namespace with validationActions [Deny]");
            }
            Instant since = later(instant(policy.getMetadata().getCreationTimestamp()), instant(binding.getMetadata().getCreationTimestamp()));
            return new Enforcement(since == null ? Instant.MIN : since, null);
        } catch (KubernetesClientException e) {
            return new Enforcement(null, "Approvals are not counted: cannot read the admission policy " + POLICY + " (" + e.getCode()
                    + "): " + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** When the Approval was created (unknown: as old as can be, so it counts for no later policy or Release). */
    private static Instant created(Approval a) {
        Instant at = instant(a.getMetadata().getCreationTimestamp());
        return at == null ? Instant.MIN : at;
    }

    /** Why RBAC does not let the approver approve for the role, from a SubjectAccessReview; empty when it does. */
    private Optional<String> forbidden(KubernetesClient client, Release release, Approval a) {
        Signoff who = a.getSpec();
        // What the review depends on (a status write changes the resourceVersion, not the answer).
        String key = a.getMetadata().getUid() + "/" + who.role + "/" + who.approver.username + "/" + who.approver.uid + "/"
                + who.approver.groups;
        Instant now = clock.instant();
        Checked<Optional<String>> known = reviews.get(key);
        if (known != null && now.isBefore(known.at().plus(REVIEW_TTL))) {
            return known.value();
        }
        Signoff spec = a.getSpec();
        Optional<String> answer;
        try {
            SubjectAccessReview review = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                    .withNewSpec().withUser(spec.approver.username).withUid(spec.approver.uid).withGroups(spec.approver.groups)
                    .withNewResourceAttributes().withNamespace(release.getMetadata().getNamespace()).withVerb(VERB)
                    .withGroup(Release.GROUP).withResource("releases").withSubresource(spec.role).withName(release.getMetadata().getName())
                    .endResourceAttributes().endSpec().build());
            boolean allowed = review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
            String reason = review.getStatus() == null ? null : review.getStatus().getReason();
            answer = allowed ? Optional.empty() : Optional.of(spec.approver.username + " may not approve for role " + spec.role
                    + ": RBAC grants no '" + VERB + "' on releases/" + spec.role + " of " + release.getMetadata().getName()
                    + " (SubjectAccessReview" + (reason == null || reason.isBlank() ? "" : ": " + reason) + ")");
        } catch (KubernetesClientException e) {
            answer = Optional.of("cannot check " + spec.approver.username + "'s permission for role " + spec.role
                    + " (SubjectAccessReview " + e.getCode() + "): " + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
        }
        if (reviews.size() > 10_000) {
            reviews.clear();
        }
        reviews.put(key, new Checked<>(answer, now));
        LOG.debugf("approval %s (%s) checked: %s", a.getMetadata().getName(), key, answer.orElse("counts"));
        return answer;
    }

    /** Writes what was found on the Approval's status, when it changed; a refused write is tried at the next check. */
    private void report(KubernetesClient client, Approval a, Optional<String> refusal) {
        ApprovalStatus now = new ApprovalStatus();
        now.counted = refusal.isEmpty();
        now.message = refusal.orElse("counts for role " + a.getSpec().role + " of revision " + a.getSpec().revision);
        ApprovalStatus before = a.getStatus();
        if (before != null && Objects.equals(before.counted, now.counted) && Objects.equals(before.message, now.message)) {
            return;
        }
        now.checkedAt = clock.instant().toString();
        Approval next = new Approval();
        next.setMetadata(a.getMetadata());
        next.setSpec(a.getSpec());
        next.setStatus(now);
        try {
            client.resource(next).updateStatus();
        } catch (KubernetesClientException e) {
            LOG.debugf("status of Approval %s not written (%d); written at the next check", a.getMetadata().getName(), e.getCode());
        }
    }
}
