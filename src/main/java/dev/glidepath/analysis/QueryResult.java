package dev.glidepath.analysis;

import java.util.Collections;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one query returned: one number, no sample at all, or an error (unreachable, timeout, bad query). A vector
 * whose every series has an {@code le} label also carries its values by {@code le} ({@code buckets}, +Inf as
 * {@link Double#POSITIVE_INFINITY}), for the histogram of a latency judge; read as one number it is an error when
 * it has more than one series, as any vector is.
 */
public record QueryResult(OptionalDouble value, boolean empty, String error, SortedMap<Double, Double> buckets) {

    public QueryResult {
        buckets = buckets == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(buckets));
    }

    public QueryResult(OptionalDouble value, boolean empty, String error) {
        this(value, empty, error, null);
    }

    public static QueryResult of(double value) {
        return new QueryResult(OptionalDouble.of(value), false, null);
    }

    public static QueryResult noSample() {
        return new QueryResult(OptionalDouble.empty(), true, null);
    }

    public static QueryResult failed(String error) {
        return new QueryResult(OptionalDouble.empty(), false, error);
    }

    /** This result with the series' values by {@code le}. */
    QueryResult withBuckets(SortedMap<Double, Double> byLe) {
        return new QueryResult(value, empty, error, byLe);
    }
}
