package dev.glidepath.strategy;

import java.time.Duration;
import java.time.Instant;

/** Something that started at a time and lasts a while: a pause, a timeout, a scale-down delay, a window. */
record Deadline(Instant start, Duration length) {

    Instant end() {
        return start.plus(length);
    }

    boolean passed(Instant now) {
        return !now.isBefore(end());
    }
}
