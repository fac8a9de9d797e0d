package dev.glidepath.workflow;

import java.time.Instant;

/**
 * A freeze that covers a Release: where it is, why, until when ({@code until} null: until deleted), and whether
 * a hotfix override may pass it.
 */
public record FreezeHold(String namespace, String name, String reason, Instant until, boolean allowOverride) {

    /** Whether it still stands at {@code now}. */
    public boolean standsAt(Instant now) {
        return until == null || now.isBefore(until);
    }

    public String describe() {
        return "Freeze " + namespace + "/" + name + " (" + reason + (until == null ? "" : "; until " + until) + ")";
    }
}
