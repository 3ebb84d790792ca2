package io.cachalot.provider;

import io.cachalot.core.util.Bytes;
import io.cachalot.provider.codec.Codecs;
import io.cachalot.provider.store.CacheStore;

/**
 * The hit path of a cache whose keys are whole numbers stored as decimal text (Long and Integer
 * keys): the store key, the cache's prefix followed by the digits, is built as three
 * little-endian words in registers and looked up as words ({@link CacheStore#peek(long, long,
 * long, int)}). Encoding into a fresh array and hashing it back cost more instructions than the
 * look-up itself, and the processor overlaps the cache misses of consecutive gets only while the
 * instructions between them fit its window. Keys that would be longer than 24 bytes (or numbers
 * of 16 digits and more) take the array path.
 */
final class NumberKeyLookup {
    private static final long ZEROS = 0x3030303030303030L;

    /** The class of the keys this look-up serves (Long or Integer). */
    final Class<?> keyType;
    private final int prefixLength;
    private final long p0;
    private final long p1;
    private final long p2;

    private NumberKeyLookup(byte[] prefix, Class<?> keyType) {
        this.keyType = keyType;
        prefixLength = prefix.length;
        p0 = Bytes.word(prefix, 0);
        p1 = Bytes.word(prefix, 8);
        p2 = Bytes.word(prefix, 16);
    }

    /**
     * A look-up for keys of {@code keyType} after {@code prefix}, or null when there are no number
     * keys ({@code keyType} null) or none could fit in 24 bytes.
     */
    static NumberKeyLookup of(byte[] prefix, Class<?> keyType) {
        return keyType != null && prefix.length < Bytes.MAX_WORDS_LENGTH ? new NumberKeyLookup(prefix, keyType) : null;
    }

    /**
     * The store's {@link CacheStore#peek} of the key {@code prefix + decimal(v)}, or null: a miss,
     * or a key the words cannot hold (the caller then takes its general path, which answers both).
     */
    Object peek(CacheStore store, long v) {
        boolean neg = v < 0;
        long u = neg ? -v : v; // Long.MIN_VALUE stays negative and fails the bound below
        if (u < 0 || u >= 1_000_000_000_000_000L) { // 16 digits and more: array path
            return null;
        }
        int digits = Codecs.digits(u);
        int len = digits + (neg ? 1 : 0);
        int total = prefixLength + len;
        if (len > 16 || total > Bytes.MAX_WORDS_LENGTH) {
            return null;
        }
        // the digits as text, first digit in the lowest byte: d0 holds bytes 0..7, d1 bytes 8..15
        long d0;
        long d1;
        if (digits <= 8) {
            int skip = (8 - digits) << 3;
            d0 = (digitValues((int) u) >>> skip) | (ZEROS >>> skip);
            d1 = 0;
        } else {
            long high = u / 100_000_000;
            int low = (int) (u - high * 100_000_000);
            int skip = (16 - digits) << 3; // the high part has digits - 8 digits
            long a = (digitValues((int) high) >>> skip) | (ZEROS >>> skip);
            long b = digitValues(low) | ZEROS;
            int s = (digits - 8) << 3; // 8..56: the bytes of a (digits is at most 15)
            d0 = a | b << s;
            d1 = b >>> (64 - s);
        }
        if (neg) {
            d1 = d1 << 8 | d0 >>> 56;
            d0 = d0 << 8 | '-';
        }
        // shifted past the prefix: byte offset prefixLength in a 24-byte key
        int bits = (prefixLength & 7) << 3;
        long s0 = d0;
        long s1 = d1;
        long s2 = 0;
        if (bits != 0) {
            s2 = d1 >>> (64 - bits);
            s1 = d1 << bits | d0 >>> (64 - bits);
            s0 = d0 << bits;
        }
        long w0 = p0;
        long w1 = p1;
        long w2 = p2;
        switch (prefixLength >>> 3) {
            case 0:
                w0 |= s0;
                w1 |= s1;
                w2 |= s2;
                break;
            case 1:
                w1 |= s0;
                w2 |= s1;
                break;
            default:
                w2 |= s0;
                break;
        }
        return store.peek(w0, w1, w2, total);
    }

    /**
     * The eight decimal digits of {@code u} (below 10^8, leading zeros kept) as byte values 0..9,
     * most significant first in the lowest byte: split into halves of four digits, then pairs,
     * then digits, every lane at once (the multiply-shifts divide by 100 and by 10 exactly for
     * the lane values they see).
     */
    static long digitValues(int u) {
        int hi = u / 10_000;
        long x = hi | (long) (u - hi * 10_000) << 32;
        long q = (x * 5243 >>> 19) & 0x0000007F0000007FL;
        long y = q | (x - q * 100) << 16;
        long t = (y * 103 >>> 10) & 0x000F000F000F000FL;
        return t | (y - t * 10) << 8;
    }
}
