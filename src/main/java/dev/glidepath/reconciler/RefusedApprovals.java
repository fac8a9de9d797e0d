package dev.glidepath.reconciler;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.notify.ReleaseEvents;
import dev.glidepath.strategy.ApprovalVote;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.EventReason;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Says on a Release, once per Approval and reason, that an Approval of it does not count: who, and why. */
final class RefusedApprovals {
    private static final int REMEMBERED = 10_000;
    private final Map<String, String> reported = new ConcurrentHashMap<>();

    void report(Release release, List<ApprovalVote> votes, ReleaseEvents events) {
        for (ApprovalVote v : votes) {
            String key = release.getMetadata().getNamespace() + "/" + v.name();
            if (v.counts()) {
                reported.remove(key);
                continue;
            }
            if (reported.size() > REMEMBERED) {
                reported.clear();
            }
            if (!Objects.equals(reported.put(key, v.refusal()), v.refusal())) {
                events.emit(release, List.of(new Decision.Note(true, EventReason.APPROVAL_REFUSED, "Approval " + v.name() + " by "
                        + v.approver() + " for role " + v.role() + " of revision " + v.revision() + " does not count: " + v.refusal())));
            }
        }
    }
}
