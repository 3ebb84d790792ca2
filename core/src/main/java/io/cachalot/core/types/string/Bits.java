package io.cachalot.core.types.string;

/**
 * Bit arithmetic on string values, with Redis' bit order: bit 0 is the most significant bit of
 * byte 0, and a bitfield is read from its first (most significant) bit on. Counting and
 * searching go eight bytes at a time.
 */
public final class Bits {
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private Bits() {
    }

    /** The bit at {@code offset} (0 past the end). */
    public static int get(byte[] s, long offset) {
        long b = offset >>> 3;
        return b < s.length ? (s[(int) b] >> (7 - (int) (offset & 7))) & 1 : 0;
    }

    /** Sets the bit at {@code offset} (inside {@code s}) to {@code on}. */
    public static void set(byte[] s, long offset, int on) {
        int b = (int) (offset >>> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        s[b] = (byte) (on != 0 ? s[b] | mask : s[b] & ~mask);
    }

    /** The number of set bits in bytes {@code from..to} (inclusive). */
    public static long count(byte[] s, int from, int to) {
        long n = 0;
        int i = from;
        for (; i + 8 <= to + 1; i += 8) {
            n += Long.bitCount((long) LONGS.get(s, i));
        }
        for (; i <= to; i++) {
            n += Integer.bitCount(s[i] & 0xff);
        }
        return n;
    }

    /**
     * The position of the first bit equal to {@code bit} in bytes {@code from..from+len-1},
     * counted from {@code from}'s first bit: when looking for 0 and finding none, the first bit
     * after the range ({@code len * 8}); when looking for 1 and finding none, -1 (redisBitpos).
     */
    public static long position(byte[] s, int from, int len, int bit) {
        int i = from;
        int end = from + len;
        long skip = bit == 1 ? 0 : -1L;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(s, i);
            if (w != skip) {
                long x = bit == 1 ? w : ~w;
                return (long) (i - from) * 8 + Long.numberOfLeadingZeros(x);
            }
        }
        for (; i < end; i++) {
            int v = s[i] & 0xff;
            int x = bit == 1 ? v : ~v & 0xff;
            if (x != 0) {
                return (long) (i - from) * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return bit == 1 ? -1 : (long) len * 8;
    }

    /** The {@code bits}-wide unsigned field at bit {@code offset}; bits past the end read as 0. */
    public static long getUnsigned(byte[] s, long offset, int bits) {
        long v = 0;
        for (int j = 0; j < bits; j++) {
            v = (v << 1) | get(s, offset + j);
        }
        return v;
    }

    /** As {@link #getUnsigned}, sign-extended from the field's first bit. */
    public static long getSigned(byte[] s, long offset, int bits) {
        long v = getUnsigned(s, offset, bits);
        if (bits < 64 && (v & (1L << (bits - 1))) != 0) {
            v |= -1L << bits;
        }
        return v;
    }

    /** Writes the low {@code bits} bits of {@code value} at bit {@code offset} (inside {@code s}). */
    public static void setField(byte[] s, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            set(s, offset + j, (int) (value >>> (bits - 1 - j)) & 1);
        }
    }

    /** Eight bytes of {@code s} from {@code i} as a big-endian word, zeros past the end (or for a null {@code s}). */
    public static long word(byte[] s, int i) {
        if (s == null || i >= s.length) {
            return 0;
        }
        if (i + 8 <= s.length) {
            return (long) LONGS.get(s, i);
        }
        long r = 0;
        for (int b = 0; b < 8; b++) {
            r = (r << 8) | (i + b < s.length ? s[i + b] & 0xff : 0);
        }
        return r;
    }

    /** Writes {@code w} big-endian at {@code i}, as many of its bytes as fit in {@code s}. */
    public static void putWord(byte[] s, int i, long w) {
        if (i + 8 <= s.length) {
            LONGS.set(s, i, w);
            return;
        }
        for (int b = 0; i + b < s.length; b++) {
            s[i + b] = (byte) (w >>> (56 - 8 * b));
        }
    }
}
