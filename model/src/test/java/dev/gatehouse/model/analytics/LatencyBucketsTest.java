package dev.gatehouse.model.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    private static List<Long> counted(long... nanos) {
        List<Long> counts = new ArrayList<>(Collections.nCopies(LatencyBuckets.COUNT, 0L));
        for (long call : nanos) {
            int bucket = LatencyBuckets.index(call);
            counts.set(bucket, counts.get(bucket) + 1);
        }
        return counts;
    }

    @Test
    void aCall_fallsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        assertThat(LatencyBuckets.index(0)).isZero();
        assertThat(LatencyBuckets.index(100_000)).isZero();
        assertThat(LatencyBuckets.index(100_999)).isZero();
        assertThat(LatencyBuckets.index(101_000)).isEqualTo(1);
        assertThat(LatencyBuckets.index(1_000_000)).isEqualTo(4);
        assertThat(LatencyBuckets.index(60_000_000_000L)).isEqualTo(LatencyBuckets.COUNT - 2);
        assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
    }

    @Test
    void quantiles_areInterpolatedWithinTheirBucket() {
        // 100 calls spread evenly over (1 ms, 1.5 ms]: the bucket's bounds.
        long[] calls = new long[100];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = 1_005_000L + i * 4_950L;
        }
        List<Long> counts = counted(calls);

        assertThat(LatencyBuckets.quantileMillis(counts, 0.5)).isCloseTo(1.25, within(1e-9));
        assertThat(LatencyBuckets.quantileMillis(counts, 0.99)).isCloseTo(1.495, within(1e-9));
    }

    @Test
    void quantiles_ofCallsInDifferentBuckets_fallInTheRightOne() {
        long[] calls = new long[100];
        for (int i = 0; i < 90; i++) {
            calls[i] = 2_000_000L;
        }
        for (int i = 90; i < 100; i++) {
            calls[i] = 400_000_000L;
        }
        List<Long> counts = counted(calls);

        assertThat(LatencyBuckets.quantileMillis(counts, 0.5)).isBetween(1.5, 2.0);
        assertThat(LatencyBuckets.quantileMillis(counts, 0.95)).isBetween(300.0, 500.0);
        assertThat(LatencyBuckets.quantileMillis(counted(), 0.5)).isZero();
        assertThat(LatencyBuckets.quantileMillis(counted(Long.MAX_VALUE), 0.99)).isEqualTo(60_000.0);
    }
}
