package dev.gatehouse.model.analytics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fixed latency buckets analytics are counted in, shared by the gateways that count calls and the control
 * plane that merges the counts: bucket {@code i} holds the calls that took at most {@link #UPPER_BOUNDS_MICROS}
 * {@code [i]} and more than the bound before it; the last bucket holds everything slower than the last bound.
 *
 * <p>Fixed buckets merge by plain addition, across minutes and across gateways, which a percentile computed by
 * each gateway would not. The price is resolution: a percentile is estimated by linear interpolation within its
 * bucket, so it is exact to within one bucket (the bounds grow by a factor of 1.5 to 2, from 0.1 ms to 60 s).
 */
public final class LatencyBuckets {

    /** The upper bounds of every bucket but the last, in microseconds. */
    static final long[] UPPER_BOUNDS_MICROS = {
        100, 250, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 50_000,
        75_000, 100_000, 150_000, 200_000, 300_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000, 3_000_000,
        5_000_000, 10_000_000, 30_000_000, 60_000_000};

    /** How many buckets there are: one per bound, and one for everything slower. */
    public static final int COUNT = UPPER_BOUNDS_MICROS.length + 1;

    private LatencyBuckets() {
    }

    /** The bucket a call of {@code nanos} falls in; allocates nothing. */
    public static int index(long nanos) {
        long micros = nanos / 1_000;
        int low = 0;
        int high = UPPER_BOUNDS_MICROS.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (UPPER_BOUNDS_MICROS[middle] < micros) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Two counts of the same buckets, added entry by entry: how minutes and gateways merge. */
    public static List<Long> add(List<Long> counts, List<Long> more) {
        if (counts.size() != COUNT || more.size() != COUNT) {
            throw new IllegalArgumentException("bucket counts must have " + COUNT + " entries");
        }
        List<Long> total = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            total.add(counts.get(i) + more.get(i));
        }
        return total;
    }

    /** No call counted in any bucket. */
    public static List<Long> none() {
        return Collections.nCopies(COUNT, 0L);
    }

    /**
     * The latency below which a {@code quantile} (0 to 1) of the counted calls fall, in milliseconds, estimated by
     * linear interpolation within the bucket it falls in; 0 when nothing was counted. Calls in the last bucket
     * count as taking the last bound.
     */
    public static double quantileMillis(List<Long> counts, double quantile) {
        if (counts.size() != COUNT) {
            throw new IllegalArgumentException("counts must have " + COUNT + " buckets, had " + counts.size());
        }
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return 0;
        }
        double rank = quantile * total;
        long seen = 0;
        for (int i = 0; i < COUNT; i++) {
            long count = counts.get(i);
            if (count > 0 && seen + count >= rank) {
                if (i == COUNT - 1) {
                    return UPPER_BOUNDS_MICROS[i - 1] / 1_000.0;
                }
                double lower = i == 0 ? 0 : UPPER_BOUNDS_MICROS[i - 1];
                double within = Math.max(0, rank - seen) / count;
                return (lower + within * (UPPER_BOUNDS_MICROS[i] - lower)) / 1_000.0;
            }
            seen += count;
        }
        return UPPER_BOUNDS_MICROS[UPPER_BOUNDS_MICROS.length - 1] / 1_000.0;
    }
}
