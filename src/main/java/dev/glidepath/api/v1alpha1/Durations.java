package dev.glidepath.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as used across the Release API ("30s", "10m", "1h30m", "500ms"). */
public final class Durations {
    public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
    public static final String POSITIVE_RULE = "duration(self) > duration('0s')";
    /** The longest duration any field takes: longer ones are typos (and would overflow the wake-up timer). */
    public static final Duration MAX = Duration.ofHours(8760);
    public static final String MAX_TEXT = "8760h";
    public static final String MAX_RULE = "duration(self) <= duration('" + MAX_TEXT + "')";
    public static final String MAX_MESSAGE = "must be at most " + MAX_TEXT + " (365 days)";
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile(PATTERN);

    private Durations() {
    }

    /**
     * Parses a duration of at most {@link #MAX}; throws IllegalArgumentException with a readable message on bad
     * input.
     */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 10m or 1h30m");
        }
        Matcher m = PART.matcher(text);
        double millis = 0;
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
        }
        if (millis > MAX.toMillis()) {
            throw new IllegalArgumentException("'" + text + "' is longer than " + MAX_TEXT + " (365 days), the longest duration"
                    + " a Release takes");
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** Formats a duration compactly for messages ("1m30s", "250ms"). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || b.length() == 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
