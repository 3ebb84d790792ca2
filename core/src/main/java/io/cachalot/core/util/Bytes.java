package io.cachalot.core.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** Helpers for binary-safe byte strings: hashing, ASCII comparison and conversion. */
public final class Bytes {
    public static final byte[] EMPTY = new byte[0];

    /** Little-endian 8-byte reads of a byte array (shared with {@link DecimalKey}). */
    static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Per-process seed so that clients cannot pre-compute colliding keys (hash flooding). */
    private static final long SEED = ThreadLocalRandom.current().nextLong() | 1L;
    private static final long M = 0x9E3779B97F4A7C15L;
    private static final long M2 = 0xC2B2AE3D27D4EB4FL;

    private Bytes() {
    }

    /** A well-mixed 32-bit hash of a whole array. */
    public static int hash(byte[] b) {
        return hash(b, 0, b.length);
    }

    /**
     * A well-mixed 32-bit hash of {@code len} bytes from {@code off}. Keys are usually short, and
     * a look-up's speed on a large table depends on how few instructions surround its cache
     * misses (the processor overlaps the misses of consecutive look-ups only while the
     * instructions between them fit its window; see the MissOverlap benchmark): up to 16 bytes
     * take two overlapping loads and two independent multiplies, longer keys a multiply per
     * eight bytes.
     *
     * <p>Trailing decimal digits (at most {@link #MAX_NUMBER_DIGITS}, the last ones of a longer
     * run) are hashed by their value, mixed into the hash state of the bytes before them, so
     * that a cache with number keys hashes {@code prefix + n} from a precomputed prefix state and
     * {@code n} itself ({@link DecimalKey}), without writing the digits out. Digit runs that
     * differ only in leading zeros ({@code a7}, {@code a007}) collide, at most fifteen to a value.
     * The process-wide random seed keeps clients from computing colliding keys in advance.
     */
    public static int hash(byte[] b, int off, int len) {
        int end = off + len;
        if (len == 0 || !isDigit(b[end - 1])) {
            return finish(state(b, off, len));
        }
        int start;
        long n;
        if (len >= 8) {
            long w = (long) LONGS.get(b, end - 8);
            int run = Long.numberOfLeadingZeros(nonDigitLanes(w)) >>> 3; // 1..8 trailing digits
            n = parse8(withLeadingZeros(w, run));
            start = end - run;
            if (run == 8 && len > 8) {
                int more; // digits before the last eight, at most 7
                long hi;
                if (len >= 16) {
                    long w2 = (long) LONGS.get(b, end - 16);
                    more = Math.min(MAX_NUMBER_DIGITS - 8, Long.numberOfLeadingZeros(nonDigitLanes(w2)) >>> 3);
                    hi = more == 0 ? 0 : parse8(withLeadingZeros(w2, more));
                } else {
                    int stop = Math.max(off, end - MAX_NUMBER_DIGITS);
                    int s = start;
                    while (s > stop && isDigit(b[s - 1])) {
                        s--;
                    }
                    more = start - s;
                    hi = parseDigits(b, s, start);
                }
                n += hi * 100_000_000L;
                start -= more;
            }
        } else {
            start = end;
            while (start > off && isDigit(b[start - 1])) {
                start--;
            }
            n = parseDigits(b, start, end);
        }
        return numberHash(state(b, off, start - off), n);
    }

    /** The most trailing digits {@link #hash(byte[], int, int)} reads as a number. */
    public static final int MAX_NUMBER_DIGITS = 15;

    /** The hash of bytes whose {@link #state} is {@code prefixState}, followed by the digits of {@code n}. */
    static int numberHash(long prefixState, long n) {
        return finish(prefixState ^ n * M2); // the multiply runs beside the prefix state
    }

    /** The hash state of {@code len} bytes from {@code off}, before the final mix. */
    static long state(byte[] b, int off, int len) {
        long h;
        if (len >= 8) {
            long last = (long) LONGS.get(b, off + len - 8);
            if (len <= 16) {
                h = ((long) LONGS.get(b, off) ^ SEED) * M ^ Long.rotateLeft((last ^ len) * M2, 32);
            } else {
                h = SEED ^ (len * M);
                int end = off + len - 8;
                for (int i = off; i < end; i += 8) {
                    h = (h ^ (long) LONGS.get(b, i)) * M;
                    h ^= h >>> 29;
                }
                h = (h ^ last) * M2;
            }
        } else if (len >= 4) {
            long v = ((int) INTS.get(b, off) & 0xFFFFFFFFL) | ((long) (int) INTS.get(b, off + len - 4) << 32);
            h = (v ^ SEED) * M ^ len;
        } else if (len > 0) {
            long v = (b[off] & 0xFF) | (b[off + (len >> 1)] & 0xFF) << 8 | (b[off + len - 1] & 0xFF) << 16 | len << 24;
            h = (v ^ SEED) * M;
        } else {
            h = SEED * M;
        }
        return h;
    }

    /** The final mix: every input bit reaches the low 32. */
    static int finish(long h) {
        h ^= h >>> 29;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (int) h;
    }

    static boolean isDigit(byte c) {
        return ((c - '0') & 0xFF) < 10;
    }

    /** The value of the digits {@code b[from..to)}, every one a digit. */
    static long parseDigits(byte[] b, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private static final long ZEROS = 0x3030303030303030L;

    /** The high bit of every byte of {@code w} that is not an ASCII digit (no carry between bytes). */
    static long nonDigitLanes(long w) {
        long t = w ^ ZEROS; // digits become 0..9
        return (((t & 0x7F7F7F7F7F7F7F7FL) + 0x7676767676767676L) | t) & 0x8080808080808080L;
    }

    /** {@code w} with all but its last (highest) {@code digits} bytes, 1..8, replaced by '0'. */
    static long withLeadingZeros(long w, int digits) {
        long keep = -1L << ((8 - digits) << 3);
        return (w & keep) | (ZEROS & ~keep);
    }

    /** The value of eight ASCII digits, the first (most significant) in the lowest byte. */
    static long parse8(long x) {
        long v = x & 0x0F0F0F0F0F0F0F0FL;
        v = (v * 10 + (v >>> 8)) & 0x00FF00FF00FF00FFL;
        v = (v * 100 + (v >>> 16)) & 0x0000FFFF0000FFFFL;
        return (v * 10000 + (v >>> 32)) & 0xFFFFFFFFL;
    }

    /** Whether every byte is below 0x80, eight at a time. */
    public static boolean isAscii(byte[] b) {
        int n = b.length;
        int i = 0;
        long or = 0;
        for (; i + 8 <= n; i += 8) {
            or |= (long) LONGS.get(b, i);
        }
        for (; i < n; i++) {
            or |= b[i];
        }
        return (or & 0x8080808080808080L) == 0;
    }

    /** Up to eight bytes of {@code b} from {@code off} as a little-endian word, zero past the end. */
    static long word(byte[] b, int off) {
        long w = 0;
        int end = Math.min(b.length, off + 8);
        for (int i = end - 1; i >= off; i--) {
            w = w << 8 | (b[i] & 0xFF);
        }
        return w;
    }

    /**
     * {@link Arrays#equals(byte[], byte[])} tuned for the short arrays keys usually are: eight
     * bytes at a time, the last word overlapping the one before, so that a key of up to 16 bytes
     * costs two loads per side and no loop set-up (see {@link #hash(byte[], int, int)} for why
     * the instruction count matters). Either argument may be null.
     */
    public static boolean equals(byte[] a, byte[] b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        int n = a.length;
        if (n != b.length) {
            return false;
        }
        if (n >= 8) {
            if (n > 32) {
                return Arrays.equals(a, b);
            }
            int last = n - 8;
            for (int i = 0; i < last; i += 8) {
                if ((long) LONGS.get(a, i) != (long) LONGS.get(b, i)) {
                    return false;
                }
            }
            return (long) LONGS.get(a, last) == (long) LONGS.get(b, last);
        }
        if (n >= 4) {
            return (int) INTS.get(a, 0) == (int) INTS.get(b, 0) && (int) INTS.get(a, n - 4) == (int) INTS.get(b, n - 4);
        }
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code b} equals the lower-case ASCII word {@code lower}, ignoring ASCII case. */
    public static boolean equalsIgnoreCase(byte[] b, String lower) {
        int n = lower.length();
        if (b.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = b[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public static boolean equalsIgnoreCase(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (toLower(a[i]) != toLower(b[i])) {
                return false;
            }
        }
        return true;
    }

    public static int toLower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** Unsigned lexicographic comparison, as Redis' memcmp-based comparisons. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes as a String, one char per byte (for error messages and logs; never on the data path). */
    public static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** The bytes as C's "%s" prints them in Redis' messages: up to the first NUL byte. */
    public static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return latin1(b, 0, n);
    }

    public static String lowerAscii(byte[] b) {
        char[] c = new char[b.length];
        for (int i = 0; i < b.length; i++) {
            c[i] = (char) toLower(b[i] & 0xFF);
        }
        return new String(c);
    }

}
