package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.Rollout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a downstream Release needs to know of an upstream one ({@code spec.promotion.from[i]}), read from the
 * operator's cache of Releases, or from the watch of the upstream cluster it names ({@code cluster}, null for this
 * one): whether it exists, how it stands, what its stable revision runs and since when, and the revisions that
 * failed there, and the Rollout that made its stable revision stable. {@code release} null: not found (or not in a watched namespace). {@code unreadable}: why its
 * cluster cannot be read now (then nothing read of it counts).
 */
public record UpstreamState(String cluster, String namespace, String name, Release release, String unreadable, Rollout stableRollout) {
    private static final Set<String> JUDGED_BAD = Set.of("Failed", "Aborted", "RolledBack");

    /** An upstream Release in this cluster. */
    public UpstreamState(String namespace, String name, Release release) {
        this(null, namespace, name, release, null, null);
    }

    /** An upstream Release in another cluster, as its watch shows it. */
    public static UpstreamState remote(String cluster, String namespace, String name, Release release) {
        return new UpstreamState(cluster, namespace, name, release, null, null);
    }

    /** An upstream Release in another cluster that cannot be read now, and why. */
    public static UpstreamState unreadable(String cluster, String namespace, String name, String why) {
        return new UpstreamState(cluster, namespace, name, null, why, null);
    }

    /** With the Rollout that made its stable revision stable (status.stableRollout), for requireAnalysis; null: not found. */
    public UpstreamState withStableRollout(Rollout rollout) {
        return new UpstreamState(cluster, namespace, name, release, unreadable, rollout);
    }

    boolean found() {
        return release != null && release.getStatus() != null && release.getStatus().phase != null;
    }

    /**
     * Its stable revision serves, with nothing in flight: Healthy, or with a newer revision of its own waiting at a
     * gate (approval, a window, a freeze), or rolled back to it. Not while a rollout runs, nor when Degraded.
     */
    boolean settled() {
        var s = release.getStatus();
        return s.rollout == null && !"Degraded".equals(s.phase);
    }

    Optional<RevisionRecord> stable() {
        var s = release.getStatus();
        return revisions().stream().filter(r -> Objects.equals(r.number, s.stableRevision)).findFirst();
    }

    /**
     * A revision of it that ran {@code what} and was judged bad (failed, aborted, rolled back). A revision with no
     * outcome yet (one waiting at a gate there) has not been judged.
     */
    Optional<RevisionRecord> failedWith(Matcher what) {
        return revisions().stream().filter(r -> r.outcome != null && JUDGED_BAD.contains(r.outcome))
                .filter(what::matches).findFirst();
    }

    private List<RevisionRecord> revisions() {
        return release.getStatus().revisions == null ? List.of() : release.getStatus().revisions;
    }

    /** {@code ns/name}, or {@code CLUSTER:ns/name} in another cluster. */
    String ref() {
        return (cluster == null ? "" : cluster + ":") + namespace + "/" + name;
    }

    /** What "the same" means: the version when the downstream sets one, else the images. */
    record Matcher(String version, List<String> images) {
        boolean matches(RevisionRecord r) {
            return version != null ? version.equals(r.version) : images.equals(r.images);
        }

        String describe() {
            return version != null ? "version " + version : String.join(", ", images);
        }

        static String describe(RevisionRecord r, boolean byVersion) {
            return byVersion ? "version " + r.version : r.images == null ? "?" : String.join(", ", r.images);
        }
    }
}
