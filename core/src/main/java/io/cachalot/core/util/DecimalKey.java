package io.cachalot.core.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys made of fixed leading bytes (a cache's prefix, and a minus sign for a negative
 * number) followed by the decimal digits of a number below {@link #LIMIT}: hashes such a key as
 * {@link Bytes#hash(byte[])} does, and tells whether a stored key is it, without writing the
 * digits out. On a cache of number keys this takes the number's conversion to text off a hit:
 * the hash comes from a precomputed state of the leading bytes and the number itself, and the
 * comparison parses the stored key's digits eight at a time.
 */
public final class DecimalKey {
    /** Numbers below this (at most 15 digits, {@link Bytes#MAX_NUMBER_DIGITS}) can be given. */
    public static final long LIMIT = 1_000_000_000_000_000L;
    /** The longest leading bytes taken. */
    public static final int MAX_HEAD_LENGTH = 24;

    private final byte[] head;
    private final int headLength;
    private final long state;
    /** The head's bytes 0..7 (all of them when shorter, masked by {@link #mask}) and 8..15. */
    private final long w0;
    private final long w1;
    /** The head's last eight bytes, when it has eight or more. */
    private final long tail;
    private final long mask;

    private DecimalKey(byte[] head) {
        this.head = head.clone();
        headLength = head.length;
        state = Bytes.state(head, 0, headLength);
        w0 = Bytes.word(head, 0);
        w1 = Bytes.word(head, 8);
        tail = headLength >= 8 ? Bytes.word(head, headLength - 8) : 0;
        mask = headLength >= 8 ? -1L : (1L << (headLength << 3)) - 1;
    }

    /**
     * The keys {@code head} followed by a number, or null when the head is longer than
     * {@link #MAX_HEAD_LENGTH} or ends in a digit (its digits would then count as the number's).
     */
    public static DecimalKey of(byte[] head) {
        if (head.length > MAX_HEAD_LENGTH || (head.length > 0 && Bytes.isDigit(head[head.length - 1]))) {
            return null;
        }
        return new DecimalKey(head);
    }

    /** {@link Bytes#hash(byte[])} of the key for {@code n}, 0 &lt;= n &lt; {@link #LIMIT}. */
    public int hash(long n) {
        return Bytes.numberHash(state, n);
    }

    /** The key for {@code n}, 0 &lt;= n &lt; {@link #LIMIT}, as an array. */
    public byte[] toBytes(long n) {
        byte[] digits = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(head, headLength + digits.length);
        System.arraycopy(digits, 0, key, headLength, digits.length);
        return key;
    }

    /** Whether {@code key} is the key for {@code n}, 0 &lt;= n &lt; {@link #LIMIT}. */
    public boolean matches(byte[] key, long n) {
        int len = key.length;
        int d = len - headLength;
        if (d < 1 || d > Bytes.MAX_NUMBER_DIGITS) {
            return false;
        }
        if (len < 8 || (d > 8 && len < 16)) {
            return matchesBytewise(key, n);
        }
        if (headLength < 8) {
            if (((long) Bytes.LONGS.get(key, 0) & mask) != w0) {
                return false;
            }
        } else if ((long) Bytes.LONGS.get(key, 0) != w0 || (headLength > 16 && (long) Bytes.LONGS.get(key, 8) != w1)
                || (long) Bytes.LONGS.get(key, headLength - 8) != tail) {
            return false;
        }
        if (d > 1 && key[headLength] == '0') {
            return false; // a leading zero: not the text of any number
        }
        long last = (long) Bytes.LONGS.get(key, len - 8);
        if (d <= 8) {
            long x = Bytes.withLeadingZeros(last, d);
            return Bytes.nonDigitLanes(x) == 0 && Bytes.parse8(x) == n;
        }
        long first = Bytes.withLeadingZeros((long) Bytes.LONGS.get(key, len - 16), d - 8);
        return Bytes.nonDigitLanes(last) == 0 && Bytes.nonDigitLanes(first) == 0
                && Bytes.parse8(first) * 100_000_000L + Bytes.parse8(last) == n;
    }

    /** {@link #matches} for keys too short to read as whole words. */
    private boolean matchesBytewise(byte[] key, long n) {
        for (int i = 0; i < headLength; i++) {
            if (key[i] != head[i]) {
                return false;
            }
        }
        int len = key.length;
        if (len - headLength > 1 && key[headLength] == '0') {
            return false;
        }
        for (int i = headLength; i < len; i++) {
            if (!Bytes.isDigit(key[i])) {
                return false;
            }
        }
        return Bytes.parseDigits(key, headLength, len) == n;
    }
}
