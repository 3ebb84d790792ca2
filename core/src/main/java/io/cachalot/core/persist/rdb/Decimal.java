package io.cachalot.core.persist.rdb;

/** Canonical decimal integers as Redis' string2ll accepts them (no sign on 0, no leading zeros, no spaces). */
final class Decimal {
    /** Returned for text that is not a canonical 64-bit decimal (never a value {@link #parse} returns otherwise). */
    static final long NOT_CANONICAL = Long.MIN_VALUE;

    private Decimal() {
    }

    /**
     * The value of {@code s[off, off + len)} when it is the canonical decimal form of a long
     * other than {@link Long#MIN_VALUE} (which callers never need to encode as an integer).
     */
    static long parse(byte[] s, int off, int len) {
        if (len == 0 || len > 20) {
            return NOT_CANONICAL;
        }
        int i = off;
        int end = off + len;
        boolean negative = s[i] == '-';
        if (negative) {
            i++;
            if (i == end) {
                return NOT_CANONICAL;
            }
        }
        if (s[i] == '0') {
            return len == 1 ? 0 : NOT_CANONICAL; // "0" only: not "-0", not "01"
        }
        long v = 0;
        for (; i < end; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_CANONICAL;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return NOT_CANONICAL;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
