package dev.glidepath.workflow;

import java.time.Instant;
import java.util.Optional;

/**
 * A freeze that covers a Release: where it is, why, until when ({@code until} null: until deleted), whether
 * a hotfix override may pass it, and what is wrong with it ({@code problem}, naming the Freeze's field: a freeze
 * that cannot be read in full still holds, and says so).
 */
public record FreezeHold(String namespace, String name, String reason, Instant until, boolean allowOverride, String problem) {

    public FreezeHold(String namespace, String name, String reason, Instant until, boolean allowOverride) {
        this(namespace, name, reason, until, allowOverride, null);
    }

    /** Whether it still stands at {@code now}. */
    public boolean standsAt(Instant now) {
        return until == null || now.isBefore(until);
    }

    public Optional<String> invalid() {
        return Optional.ofNullable(problem);
    }

    public String describe() {
        return "Freeze " + namespace + "/" + name + " (" + reason + (until == null ? "" : "; until " + until) + ")"
                + (problem == null ? "" : "; the Freeze is invalid, fix or delete it: " + problem);
    }
}
