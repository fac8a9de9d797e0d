package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.HeaderMatch;
import java.util.List;

/**
 * What a traffic router is asked to do. While a rollout routes ({@code active}), the canary Service takes
 * {@code canaryWeight} percent of each routed rule's requests (the stable Service the rest) and requests
 * matching {@code headers}, when there are any, go to the canary Service. When not active, nothing of
 * Glidepath's stays in the routes: all traffic goes to the stable Service as the routes' owners wrote them.
 */
public record TrafficSplit(boolean active, int canaryWeight, List<HeaderMatch> headers) {
    /** Nothing routed to the canary: the routes as their owners wrote them. */
    public static final TrafficSplit NONE = new TrafficSplit(false, 0, List.of());

    public TrafficSplit {
        headers = List.copyOf(headers);
    }

    static TrafficSplit weighted(int canaryWeight, List<HeaderMatch> headers) {
        return new TrafficSplit(true, canaryWeight, headers);
    }
}
