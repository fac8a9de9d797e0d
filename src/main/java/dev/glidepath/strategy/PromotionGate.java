package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.PromotionSpec;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.UpstreamEvidence;
import dev.glidepath.workflow.DeploymentWindows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Promotion between environments: an update starts only when every upstream Release of
 * {@code spec.promotion.from} runs the same images (the version, when the spec sets one) as its stable revision,
 * Healthy with its rollout finished, for at least its soak. What lets it start is kept as evidence for the
 * Rollout; a version that failed upstream is refused with that reason.
 */
final class PromotionGate {
    /** While waiting for an upstream, look again this often (its changes also wake the Release at once). */
    static final Duration RECHECK = Duration.ofSeconds(15);

    private final Situation s;

    PromotionGate(Situation s) {
        this.s = s;
    }

    /** Why the update to {@code target} waits, or empty when every upstream lets it go (the evidence is then set). */
    Optional<String> holds(int target) {
        PromotionSpec promotion = s.spec.promotion;
        s.promotionEvidence = null;
        if (promotion == null || promotion.from == null || promotion.from.isEmpty()) {
            return Optional.empty();
        }
        UpstreamState.Matcher same = new UpstreamState.Matcher(s.spec.version, s.template.images());
        boolean byVersion = s.spec.version != null;
        String what = "revision " + target + " (" + s.template.version() + ")";
        boolean hotfix = DeploymentRecord.hotfix(s.spec, target);
        boolean skipSoak = hotfix || promotion.skipSoak != null && Integer.valueOf(target).equals(promotion.skipSoak.revision);
        List<UpstreamEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < promotion.from.size(); i++) {
            PromotionSpec.Upstream ref = promotion.from.get(i);
            UpstreamState up = s.in.upstreams().stream().filter(u -> u.name().equals(ref.release) && Objects.equals(u.cluster(), ref.cluster)
                    && (ref.namespace == null || u.namespace().equals(ref.namespace))).findFirst().orElse(null);
            String field = "spec.promotion.from[" + i + "]";
            if (up != null && up.unreadable() != null) {
                // Fail closed: nothing read of a cluster that cannot be read now counts, however it stood before.
                s.plan.wakeWithin(RECHECK);
                return Optional.of(what + " waits for " + up.ref() + " (" + field + "): cluster " + up.cluster()
                        + " cannot be read: " + up.unreadable());
            }
            if (up != null && up.cluster() != null && !up.found()) {
                s.plan.wakeWithin(RECHECK);
                return Optional.of(what + " waits for " + up.ref() + " (" + field + "): not found in cluster " + up.cluster());
            }
            if (up == null || !up.found()) {
                s.plan.wakeWithin(RECHECK);
                return Optional.of(what + " waits for " + (up == null ? ref.release : up.ref()) + " (" + field
                        + "): not found in this cluster, in a namespace this operator does not watch, or in another shard (an upstream"
                        + " must carry the same glidepath.dev/shard label)");
            }
            Optional<RevisionRecord> failed = up.failedWith(same);
            Optional<RevisionRecord> stable = up.stable();
            boolean running = stable.map(same::matches).orElse(false);
            if (!running && failed.isPresent()) {
                RevisionRecord f = failed.get();
                return Optional.of(what + " is not promoted: it " + f.outcome + " in " + up.ref() + " (revision " + f.number
                        + (f.reason == null ? "" : ": " + f.reason) + ")");
            }
            if (!running) {
                s.plan.wakeWithin(RECHECK);
                return Optional.of(what + " waits for " + up.ref() + " to run " + same.describe() + "; it runs "
                        + stable.map(r -> UpstreamState.Matcher.describe(r, byVersion) + " (revision " + r.number + ")").orElse("nothing yet"));
            }
            if (!up.settled()) {
                s.plan.wakeWithin(RECHECK);
                return Optional.of(what + " waits for " + up.ref() + " to finish its rollout (it is "
                        + up.release().getStatus().phase + ")");
            }
            String sinceText = up.release().getStatus().stableSince;
            Instant since = Timestamps.parseOrNull(sinceText);
            Duration soak = ref.soak == null ? Duration.ZERO : Durations.parse(ref.soak);
            if (since == null) {
                s.plan.wakeWithin(RECHECK);
                return Optional.of(what + " waits for " + up.ref() + " to record since when it runs it");
            }
            Optional<String> weak = ref.requireAnalysis == null ? Optional.empty()
                    : weakAnalysis(what, field, up, ref.requireAnalysis);
            if (weak.isPresent()) {
                return weak;
            }
            Instant ends = since.plus(soak);
            UpstreamEvidence e = new UpstreamEvidence();
            e.cluster = up.cluster();
            e.namespace = up.namespace();
            e.release = up.name();
            e.revision = up.release().getStatus().stableRevision;
            e.rollout = up.release().getStatus().stableRollout;
            e.since = sinceText;
            if (ref.requireAnalysis != null) {
                e.requestsJudged = UpstreamAnalysis.of(up.stableRollout()).requestsJudged();
            }
            if (s.now.isBefore(ends)) {
                if (!skipSoak) {
                    s.plan.wakeAt(ends);
                    return Optional.of(what + " waits for the soak in " + up.ref() + ": it runs " + same.describe() + " Healthy since "
                            + sinceText + "; the soak of " + ref.soak + " ends at " + ends + " (in "
                            + DeploymentWindows.describe(Duration.between(s.now, ends)) + ")");
                }
                e.soakSkipped = hotfix ? s.spec.hotfix.reason
                        : promotion.skipSoak.reason == null ? "no reason given" : promotion.skipSoak.reason;
            }
            evidence.add(e);
        }
        s.promotionEvidence = evidence;
        return Optional.empty();
    }


    /**
     * Why the upstream's analysis of the images is not evidence enough ({@code requireAnalysis}): its Rollout not found
     * (looked at again), a Fail or Inconclusive verdict, or fewer requests judged than required (refused: that Rollout
     * has ended and will not judge more).
     */
    private Optional<String> weakAnalysis(String what, String field, UpstreamState up, PromotionSpec.AnalysisRequirement required) {
        String rolloutName = up.release().getStatus().stableRollout;
        if (up.stableRollout() == null) {
            s.plan.wakeWithin(RECHECK);
            return Optional.of(what + " waits for the analysis record of " + up.ref() + " (Rollout " + rolloutName + " not found)");
        }
        UpstreamAnalysis analysis = UpstreamAnalysis.of(up.stableRollout());
        if (analysis.badVerdict().isPresent()) {
            return Optional.of(what + " is not promoted: its analysis in " + up.ref() + " (Rollout " + rolloutName + ") did not pass: "
                    + analysis.badVerdict().get() + " (" + field + ".requireAnalysis)");
        }
        long min = required.minRequests == null ? 1 : required.minRequests;
        if (analysis.requestsJudged() < min) {
            return Optional.of(what + " is not promoted: its analysis in " + up.ref() + " (Rollout " + rolloutName + ") judged "
                    + analysis.requestsJudged() + " requests, fewer than the " + min + " of " + field + ".requireAnalysis.minRequests");
        }
        return Optional.empty();
    }

    /** A promoted update that starts without its soak is announced. */
    void announceSkippedSoak(int revision) {
        if (s.promotionEvidence == null) {
            return;
        }
        s.promotionEvidence.stream().filter(e -> e.soakSkipped != null).forEach(e -> s.plan.warn(EventReason.SOAK_SKIPPED,
                "revision " + revision + " starts before its soak in " + (e.cluster == null ? "" : e.cluster + ":") + e.namespace + "/" + e.release + " ended ("
                        + (DeploymentRecord.hotfix(s.spec, revision) ? "spec.hotfix" : "spec.promotion.skipSoak") + ": " + e.soakSkipped + ")"));
    }
}
