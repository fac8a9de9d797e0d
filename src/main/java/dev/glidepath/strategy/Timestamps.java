package dev.glidepath.strategy;

import java.time.Instant;

/** The one place where status timestamps (RFC 3339 text on the wire) become instants and back. */
final class Timestamps {
    private Timestamps() {
    }

    static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }

    static String format(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
