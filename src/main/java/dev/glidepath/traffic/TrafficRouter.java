package dev.glidepath.traffic;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.strategy.TrafficSplit;
import java.util.List;
import java.util.Optional;

/**
 * Moves a Release's traffic between its stable and canary Services by editing routes its users own. The
 * decision core only says what split it wants ({@link TrafficSplit}); a router turns that into writes. The
 * Gateway API is one; others (a service mesh's routes) can follow without touching the decision core.
 */
public interface TrafficRouter {

    /**
     * What a router read, once per reconcile: the problems that keep it from routing (each naming the field of
     * the Release to fix), and the canary's weight the routes hold now.
     */
    interface Reading {
        List<String> problems();

        Optional<Integer> canaryWeight();

        /** Whether routes this Release marked but no longer names were found (to be given back in this reconcile). */
        default boolean givesBack() {
            return false;
        }

        /** Whether any route of the namespace sends requests to this Service (one no route uses can go). */
        default boolean sendsTo(String service) {
            return true;
        }
    }

    /** Reads the routes the Release names. */
    Reading read(Release release);

    /**
     * Brings every route to {@code split}: at most one update per route, none where it already holds it; a
     * conflicting write is retried on a fresh read.
     */
    void apply(Release release, Reading reading, TrafficSplit split);

    /**
     * Gives back the routes this Release still marks but no longer names (its routing removed, a route taken
     * off its list) to the weights their owner wrote; returns their names.
     */
    List<String> giveBack(Release release, Reading reading);

    /** Gives back every route this Release marks (it is being deleted); returns their names. */
    List<String> giveBackAll(Release release);
}
