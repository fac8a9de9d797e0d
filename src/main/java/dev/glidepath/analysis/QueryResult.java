package dev.glidepath.analysis;

import java.util.OptionalDouble;

/** What one query returned: one number, no sample at all, or an error (unreachable, timeout, bad query). */
public record QueryResult(OptionalDouble value, boolean empty, String error) {

    public static QueryResult of(double value) {
        return new QueryResult(OptionalDouble.of(value), false, null);
    }

    public static QueryResult noSample() {
        return new QueryResult(OptionalDouble.empty(), true, null);
    }

    public static QueryResult failed(String error) {
        return new QueryResult(OptionalDouble.empty(), false, error);
    }
}
