package io.cachalot.core.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-command latency distribution for LATENCY HISTOGRAM and INFO latencystats: log-linear
 * buckets (16 per power of two, about 6% relative precision) over microseconds, updated with one
 * atomic increment per command.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = 64 * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long nanos) {
        long v = Math.max(1, nanos);
        counts.getAndIncrement(index(v));
    }

    static int index(long v) {
        int msb = 63 - Long.numberOfLeadingZeros(v);
        if (msb < SUB_BITS) {
            return (int) v;
        }
        int sub = (int) ((v >>> (msb - SUB_BITS)) & (SUB - 1));
        return (msb - SUB_BITS + 1) * SUB + sub;
    }

    /** The largest value that falls in bucket {@code i}. */
    static long upperBound(int i) {
        if (i < SUB) {
            return i;
        }
        int msb = i / SUB + SUB_BITS - 1;
        long sub = i % SUB;
        long base = (SUB | sub) << (msb - SUB_BITS);
        return base + (1L << (msb - SUB_BITS)) - 1;
    }

    public long total() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The value (nanoseconds) at or below which {@code p} percent of the samples fall. */
    public long percentile(double p) {
        long[] snap = snapshot();
        long total = 0;
        for (long c : snap) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100.0 * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snap[i];
            if (seen >= Math.max(rank, 1)) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }

    /**
     * Cumulative counts at power-of-two microsecond bounds (1, 2, 4, ...), as LATENCY HISTOGRAM
     * prints them: pairs of (bound, count of samples &lt;= bound), only bounds where the count grows.
     */
    public long[][] cumulativeMicrosPowersOfTwo() {
        long[] snap = snapshot();
        long total = 0;
        for (long c : snap) {
            total += c;
        }
        java.util.List<long[]> out = new java.util.ArrayList<>();
        long cumulative = 0;
        int b = 0;
        for (long bound = 1; cumulative < total && bound > 0; bound <<= 1) {
            long limit = bound > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : bound * 1000;
            long before = cumulative;
            while (b < BUCKETS && upperBound(b) < limit) {
                cumulative += snap[b++];
            }
            if (cumulative > before) {
                out.add(new long[] {bound, cumulative});
            }
        }
        return out.toArray(new long[0][]);
    }

    private long[] snapshot() {
        long[] s = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            s[i] = counts.get(i);
        }
        return s;
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }
}
