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

    private static final VarHandle LONGS =
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
     * instructions between them fit its window): up to 16 bytes take two overlapping loads and
     * two independent multiplies, longer keys a multiply per eight bytes. The process-wide random
     * seed keeps clients from computing colliding keys in advance.
     */
    public static int hash(byte[] b, int off, int len) {
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
        return finish(h);
    }

    /** The longest key {@link #hash(long, long, long, int)} and its companions take as words. */
    public static final int MAX_WORDS_LENGTH = 24;

    /**
     * {@link #hash(byte[])} of a key of at most {@link #MAX_WORDS_LENGTH} bytes given as three
     * little-endian words (bytes 0..7, 8..15 and 16..23, zero past {@code len}; see
     * {@link #word}). A caller that builds a key in registers (a cache's prefix and a number's
     * digits) looks it up without writing it to memory and reading it back.
     */
    public static int hash(long w0, long w1, long w2, int len) {
        long h;
        if (len >= 8) {
            if (len <= 16) {
                long last = window(w0, w1, len - 8);
                h = (w0 ^ SEED) * M ^ Long.rotateLeft((last ^ len) * M2, 32);
            } else {
                long last = window(w1, w2, len - 16);
                h = SEED ^ (len * M);
                h = (h ^ w0) * M;
                h ^= h >>> 29;
                h = (h ^ w1) * M;
                h ^= h >>> 29;
                h = (h ^ last) * M2;
            }
        } else if (len >= 4) {
            long v = (w0 & 0xFFFFFFFFL) | (w0 >>> ((len - 4) << 3)) << 32;
            h = (v ^ SEED) * M ^ len;
        } else if (len > 0) {
            long v = (w0 & 0xFF) | (w0 >>> ((len >> 1) << 3) & 0xFF) << 8
                    | (w0 >>> ((len - 1) << 3) & 0xFF) << 16 | (long) len << 24;
            h = (v ^ SEED) * M;
        } else {
            h = SEED * M;
        }
        return finish(h);
    }

    /** Whether {@code key} is the key of {@code len} bytes given as words (see {@link #hash(long, long, long, int)}). */
    public static boolean equals(byte[] key, long w0, long w1, long w2, int len) {
        if (key.length != len) {
            return false;
        }
        if (len >= 8) {
            if ((long) LONGS.get(key, 0) != w0 || (len > 16 && (long) LONGS.get(key, 8) != w1)) {
                return false;
            }
            long last = len <= 16 ? window(w0, w1, len - 8) : window(w1, w2, len - 16);
            return (long) LONGS.get(key, len - 8) == last;
        }
        if (len >= 4) {
            return (int) INTS.get(key, 0) == (int) w0 && (int) INTS.get(key, len - 4) == (int) (w0 >>> ((len - 4) << 3));
        }
        for (int i = 0; i < len; i++) {
            if (key[i] != (byte) (w0 >>> (i << 3))) {
                return false;
            }
        }
        return true;
    }

    /** The final mix shared by both forms of the hash: every input bit reaches the low 32. */
    private static int finish(long h) {
        h ^= h >>> 29;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (int) h;
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

    /** The eight bytes from byte {@code off} (0..8) of the sixteen bytes {@code lo}, {@code hi}. */
    private static long window(long lo, long hi, int off) {
        if (off == 0) {
            return lo;
        }
        if (off == 8) {
            return hi;
        }
        int s = off << 3;
        return lo >>> s | hi << (64 - s);
    }

    /** Up to eight bytes of {@code b} from {@code off} as a little-endian word, zero past the end. */
    public static long word(byte[] b, int off) {
        long w = 0;
        int end = Math.min(b.length, off + 8);
        for (int i = end - 1; i >= off; i--) {
            w = w << 8 | (b[i] & 0xFF);
        }
        return w;
    }

    /** The key of {@code len} bytes given as words (see {@link #hash(long, long, long, int)}), as an array. */
    public static byte[] fromWords(long w0, long w1, long w2, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            long w = i < 8 ? w0 : i < 16 ? w1 : w2;
            b[i] = (byte) (w >>> ((i & 7) << 3));
        }
        return b;
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

    public static String lowerAscii(byte[] b) {
        char[] c = new char[b.length];
        for (int i = 0; i < b.length; i++) {
            c[i] = (char) toLower(b[i] & 0xFF);
        }
        return new String(c);
    }

}
