package dev.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The boundary chosen from the stable revision's buckets, and the slow requests counted by it. */
class SlowRequestsTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static SortedMap<Double, Double> buckets(double... leThenCount) {
        SortedMap<Double, Double> b = new TreeMap<>();
        for (int i = 0; i < leThenCount.length; i += 2) {
            b.put(leThenCount[i], leThenCount[i + 1]);
        }
        return b;
    }

    @Test
    void theBoundaryIsTheSmallestLeHoldingTheQuantile() {
        SortedMap<Double, Double> b = buckets(0.05, 500, 0.1, 800, 0.25, 950, 0.5, 995, 1, 999, INF, 1000);
        assertThat(SlowRequests.boundary(b, 0.99).value()).isEqualTo(0.5);
        assertThat(SlowRequests.boundary(b, 0.95).value()).isEqualTo(0.25);
        assertThat(SlowRequests.boundary(b, 0.5).value()).isEqualTo(0.05);
        assertThat(SlowRequests.boundary(b, 0.999).value()).isEqualTo(1.0);
    }

    @Test
    void aBucketHoldingExactlyTheQuantileIsTheBoundaryDespiteRounding() {
        // 0.99 × 1000 is not exactly 990 in floating point.
        assertThat(SlowRequests.boundary(buckets(0.25, 950, 0.5, 990, 1, 1000, INF, 1000), 0.99).value()).isEqualTo(0.5);
        assertThat(SlowRequests.boundary(buckets(0.1, 297, 0.2, 300, INF, 300), 0.99).value()).isEqualTo(0.1);
    }

    @Test
    void aQuantileJustPastABucketEdgeKeepsThatEdgeAsTheBoundary() {
        // 98.8% under 0.25 s: the p99 lies just above the edge, by a few requests in a thousand. The edge above
        // would leave almost none to count by.
        assertThat(SlowRequests.boundary(buckets(0.1, 550, 0.25, 988, 0.5, 1000, INF, 1000), 0.99).value()).isEqualTo(0.25);
        assertThat(SlowRequests.boundary(buckets(0.1, 550, 0.25, 979, 0.5, 1000, INF, 1000), 0.99).value()).isEqualTo(0.5);
        assertThat(SlowRequests.slack(0.99)).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(SlowRequests.slack(0.5)).isCloseTo(0.55, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void equalBucketsGiveTheSmallestOfThem() {
        assertThat(SlowRequests.boundary(buckets(0.1, 990, 0.25, 990, 0.5, 1000, INF, 1000), 0.99).value()).isEqualTo(0.1);
    }

    @Test
    void bucketsReadInAnyOrderGiveTheSameBoundary() {
        SortedMap<Double, Double> unsorted = new TreeMap<>(Map.of(INF, 1000.0, 0.1, 800.0, 1.0, 999.0, 0.5, 995.0, 0.25, 950.0));
        assertThat(SlowRequests.boundary(unsorted, 0.99).value()).isEqualTo(0.5);
    }

    @Test
    void withoutInfOrRequestsOrAFiniteBucketHoldingTheQuantileThereIsNoBoundary() {
        assertThat(SlowRequests.boundary(buckets(0.1, 800, 0.5, 1000), 0.99).problem()).contains("+Inf");
        assertThat(SlowRequests.boundary(buckets(0.1, 0, 0.5, 0, INF, 0), 0.99).problem()).contains("no requests");
        assertThat(SlowRequests.boundary(buckets(), 0.99).problem()).contains("+Inf");
        assertThat(SlowRequests.boundary(buckets(0.1, 900, 0.5, 970, INF, 1000), 0.99).problem()).contains("more than 0.02 of its requests are above the largest finite bucket");
        assertThat(SlowRequests.boundary(buckets(0.1, 900, INF, Double.NaN), 0.99).problem()).contains("NaN");
    }

    @Test
    void theSlowRequestsAreAllMinusThoseUpToTheBoundary() {
        SlowRequests.Tail t = SlowRequests.tail(buckets(0.1, 800, 0.5, 990, INF, 1000), 0.5).value();
        assertThat(t.slow()).isEqualTo(10);
        assertThat(t.total()).isEqualTo(1000);
    }

    @Test
    void aRevisionWithoutBucketsServedNothingYet() {
        SlowRequests.Tail t = SlowRequests.tail(buckets(), 0.5).value();
        assertThat(t.slow()).isZero();
        assertThat(t.total()).isZero();
    }

    @Test
    void aMissingInfOrBoundaryBucketOrCountsThatAreNotCumulativeAreUnreadable() {
        assertThat(SlowRequests.tail(buckets(0.1, 800, 0.5, 990), 0.5).problem()).contains("+Inf");
        assertThat(SlowRequests.tail(buckets(0.1, 800, 0.25, 990, INF, 1000), 0.5).problem()).contains("no bucket le=\"0.5\"");
        assertThat(SlowRequests.tail(buckets(0.5, 1200, INF, 1000), 0.5).problem()).contains("not cumulative");
        assertThat(SlowRequests.tail(buckets(0.5, Double.NaN, INF, 1000), 0.5).problem()).contains("not cumulative");
    }
}
