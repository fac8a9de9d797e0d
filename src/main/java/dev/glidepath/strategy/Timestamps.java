package dev.glidepath.strategy;

import java.time.Instant;

/** The one place where status timestamps (RFC 3339 text on the wire) become instants and back. */
final class Timestamps {
    private Timestamps() {
    }

    static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }

    /** A timestamp written by hand or by an older version: null when absent or not RFC 3339. */
    static Instant parseOrNull(String text) {
        try {
            return parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String format(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
