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

    private Bytes() {
    }

    /** A well-mixed 32-bit hash of a whole array, reading eight bytes at a time. */
    public static int hash(byte[] b) {
        return hash(b, 0, b.length);
    }

    public static int hash(byte[] b, int off, int len) {
        long h = SEED ^ (len * M);
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            h = (h ^ (long) LONGS.get(b, i)) * M;
            h ^= h >>> 29;
            i += 8;
        }
        if (end - i >= 4) {
            h = (h ^ ((int) INTS.get(b, i) & 0xFFFFFFFFL)) * M;
            h ^= h >>> 29;
            i += 4;
        }
        while (i < end) {
            h = (h ^ (b[i++] & 0xFF)) * M;
        }
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (int) h;
    }

    public static boolean equals(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
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
