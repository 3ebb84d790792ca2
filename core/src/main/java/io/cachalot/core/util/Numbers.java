package io.cachalot.core.util;

/**
 * Integer parsing and printing with Redis' exact rules: integers are accepted only in canonical
 * form ("12", "-5", "0"), never with a sign '+', leading zeros, spaces or "-0", and must fit a
 * signed 64-bit value. This strictness decides both argument validation and the "int" encoding.
 */
public final class Numbers {
    /** Redis rejects integer strings of this length or more before looking at the digits. */
    private static final int LONG_STR_SIZE = 21;

    private Numbers() {
    }

    /** True when {@code b} is a canonical signed 64-bit integer. */
    public static boolean isLong(byte[] b) {
        return isLong(b, 0, b.length);
    }

    public static boolean isLong(byte[] b, int off, int len) {
        if (len == 0 || len >= LONG_STR_SIZE) {
            return false;
        }
        if (len == 1 && b[off] == '0') {
            return true;
        }
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            i++;
            if (i == end) {
                return false;
            }
        }
        if (b[i] < '1' || b[i] > '9') {
            return false;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            // Accumulate negatively so that Long.MIN_VALUE fits.
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        return negative || v != Long.MIN_VALUE;
    }

    /**
     * Parses a canonical integer; call {@link #isLong} first (or use {@link #parseLongOr}).
     */
    public static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    public static long parseLong(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        for (; i < end; i++) {
            v = v * 10 - (b[i] - '0');
        }
        return negative ? v : -v;
    }

    /** Parses {@code b} if it is a canonical integer, else returns {@code dflt}. */
    public static long parseLongOr(byte[] b, long dflt) {
        return isLong(b) ? parseLong(b) : dflt;
    }

    /** Decimal digits of a long, as bytes. */
    public static byte[] toBytes(long v) {
        if (v >= 0 && v < SMALL.length) {
            return SMALL[(int) v].clone();
        }
        int len = length(v);
        byte[] out = new byte[len];
        write(v, out, 0, len);
        return out;
    }

    /** The number of characters {@link #toBytes} produces. */
    public static int length(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int len = 1;
        if (v < 0) {
            len++;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            len++;
        }
        return len;
    }

    /** Writes the {@code len} decimal characters of {@code v} at {@code off}. */
    public static void write(long v, byte[] out, int off, int len) {
        int p = off + len;
        boolean negative = v < 0;
        if (!negative) {
            v = -v;
        }
        do {
            out[--p] = (byte) ('0' - (v % 10));
            v /= 10;
        } while (v != 0);
        if (negative) {
            out[--p] = '-';
        }
    }

    private static final byte[][] SMALL = new byte[1024][];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Bytes.ascii(Integer.toString(i));
        }
    }

        }
