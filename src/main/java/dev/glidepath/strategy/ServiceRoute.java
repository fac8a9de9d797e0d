package dev.glidepath.strategy;

import java.util.Optional;

/**
 * Where a Service should send traffic: pinned to one revision (blue-green), or to every revision of the
 * Release (canary: replica counts carry the weight). {@code stableRevision} is recorded on the stable
 * Service so that the rollback target survives anything that happens to the Release's status.
 */
public record ServiceRoute(Optional<Integer> pinnedRevision, Integer stableRevision) {

    public static ServiceRoute pinned(int revision, Integer stableRevision) {
        return new ServiceRoute(Optional.of(revision), stableRevision);
    }

    public static ServiceRoute allRevisions(Integer stableRevision) {
        return new ServiceRoute(Optional.empty(), stableRevision);
    }
}
