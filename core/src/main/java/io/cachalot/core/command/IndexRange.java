package io.cachalot.core.command;

/**
 * Redis' rule for a start/end index pair over {@code len} elements (LRANGE, LTRIM, ZRANGE by rank,
 * ZREMRANGEBYRANK): negative indexes count from the end, start is clamped to 0 and end to the
 * last element. The range is empty when {@link #isEmpty} (start past end, or past the last).
 */
public final class IndexRange {
    private IndexRange() {
    }

    public static long first(long start, long len) {
        if (start < 0) {
            start += len;
        }
        return start < 0 ? 0 : start;
    }

    public static long last(long end, long len) {
        if (end < 0) {
            end += len;
        }
        return Math.min(end, len - 1);
    }

    /** With {@code first}/{@code last} from this class. */
    public static boolean isEmpty(long first, long last, long len) {
        return first >= len || first > last;
    }
}
