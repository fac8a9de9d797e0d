package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.PromotionSpec;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Promotion chains must end: a Release that (through its upstreams' upstreams) waits for itself would wait
 * forever. Finds the shortest such cycle through one Release, reading the other Releases' specs from a lookup
 * (the operator's cache). Pure.
 */
public final class PromotionCycle {
    /** A Release, as "namespace/name". */
    public record Ref(String namespace, String name) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    private PromotionCycle() {
    }

    /** The Releases a spec names as upstream, with the namespace filled in. */
    static List<Ref> upstreams(Ref of, ReleaseSpec spec) {
        if (spec == null || spec.promotion == null || spec.promotion.from == null) {
            return List.of();
        }
        List<Ref> refs = new ArrayList<>();
        for (PromotionSpec.Upstream u : spec.promotion.from) {
            // An upstream in another cluster waits on nothing here: it cannot close a cycle of this cluster.
            if (u != null && u.release != null && u.cluster == null) {
                refs.add(new Ref(u.namespace == null ? of.namespace() : u.namespace, u.release));
            }
        }
        return refs;
    }

    /**
     * The problem to report when {@code start} is on a promotion cycle: the cycle, from {@code start} back to it,
     * naming the field of {@code start}'s spec that begins it; empty when it is not. {@code specs} gives the spec of
     * another Release, or null when it is not known.
     */
    public static Optional<String> through(Ref start, ReleaseSpec spec, Function<Ref, ReleaseSpec> specs) {
        if (spec == null || spec.promotion == null || spec.promotion.from == null) {
            return Optional.empty();
        }
        for (int i = 0; i < spec.promotion.from.size(); i++) {
            // Walked by position, so that the field named is the entry's own among those skipped (another cluster's).
            PromotionSpec.Upstream u = spec.promotion.from.get(i);
            if (u == null || u.release == null || u.cluster != null) {
                continue;
            }
            Optional<List<Ref>> back = path(new Ref(u.namespace == null ? start.namespace() : u.namespace, u.release), start, specs);
            if (back.isPresent()) {
                List<String> names = new ArrayList<>();
                names.add(start.toString());
                back.get().forEach(r -> names.add(r.toString()));
                return Optional.of("spec.promotion.from[" + i + "]: promotion cycle " + String.join(" -> ", names)
                        + " (each waits for the next to run the version first, so none ever would); remove one of these upstreams");
            }
        }
        return Optional.empty();
    }

    /** The shortest path of upstream links from {@code from} to {@code to}, both included (breadth first). */
    private static Optional<List<Ref>> path(Ref from, Ref to, Function<Ref, ReleaseSpec> specs) {
        Map<Ref, Ref> cameFrom = new HashMap<>();
        Deque<Ref> queue = new ArrayDeque<>();
        queue.add(from);
        cameFrom.put(from, from);
        while (!queue.isEmpty()) {
            Ref at = queue.poll();
            if (at.equals(to)) {
                List<Ref> path = new ArrayList<>();
                for (Ref r = at; ; r = cameFrom.get(r)) {
                    path.add(0, r);
                    if (r.equals(from)) {
                        return Optional.of(path);
                    }
                }
            }
            ReleaseSpec spec = specs.apply(at);
            for (Ref next : upstreams(at, spec)) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return Optional.empty();
    }
}
