package io.cachalot.core.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A decimal key must hash and compare exactly as the array it stands for, at every head length. */
class DecimalKeyTest {

    private static byte[] text(byte[] head, long n) {
        byte[] digits = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        byte[] k = Arrays.copyOf(head, head.length + digits.length);
        System.arraycopy(digits, 0, k, head.length, digits.length);
        return k;
    }

    private static byte[] head(Random r, int length) {
        byte[] h = new byte[length];
        r.nextBytes(h);
        if (length > 0 && Bytes.isDigit(h[length - 1])) {
            h[length - 1] = ':';
        }
        return h;
    }

    /** Numbers of every digit count, around the powers of ten, and random ones. */
    private static long[] numbers(Random r) {
        long[] ns = new long[200];
        int i = 0;
        for (long ten = 1; ten < DecimalKey.LIMIT; ten *= 10) {
            ns[i++] = ten - 1;
            ns[i++] = ten;
            ns[i++] = ten + 1;
        }
        while (i < ns.length) {
            ns[i++] = (r.nextLong() >>> 1) % (DecimalKey.LIMIT >> r.nextInt(50));
        }
        return ns;
    }

    @Test
    void hashesAndTextAreThoseOfTheArray() {
        Random r = new Random(1);
        for (int len = 0; len <= DecimalKey.MAX_HEAD_LENGTH; len++) {
            byte[] head = head(r, len);
            DecimalKey k = DecimalKey.of(head);
            assertNotNull(k);
            for (long n : numbers(r)) {
                byte[] key = text(head, n);
                assertArrayEquals(key, k.toBytes(n));
                assertEquals(Bytes.hash(key), k.hash(n), () -> "head " + head.length + ", " + n);
            }
        }
    }

    @Test
    void matchesExactlyTheKeyOfTheNumber() {
        Random r = new Random(2);
        for (int len = 0; len <= DecimalKey.MAX_HEAD_LENGTH; len++) {
            byte[] head = head(r, len);
            DecimalKey k = DecimalKey.of(head);
            for (long n : numbers(r)) {
                byte[] key = text(head, n);
                assertEquals(true, k.matches(key, n), () -> new String(key, StandardCharsets.ISO_8859_1));
                // other numbers, same key
                for (long m : new long[] {n + 1, n - 1, n * 10, n / 10, n ^ 1L << r.nextInt(40)}) {
                    if (m >= 0 && m < DecimalKey.LIMIT && m != n) {
                        assertEquals(false, k.matches(key, m), n + " is not " + m);
                    }
                }
                // every single-byte change, to digits and to anything
                for (int i = 0; i < key.length; i++) {
                    byte[] b = key.clone();
                    b[i] = r.nextBoolean() ? (byte) ('0' + r.nextInt(10)) : (byte) r.nextInt(256);
                    boolean same = Arrays.equals(b, key);
                    assertEquals(same, k.matches(b, n), () -> "changed " + new String(b, StandardCharsets.ISO_8859_1));
                }
                // a leading zero, a byte more or less
                byte[] zero = text(head, 0);
                byte[] padded = Arrays.copyOf(zero, zero.length + key.length - head.length);
                System.arraycopy(key, head.length, padded, zero.length, key.length - head.length);
                assertEquals(false, k.matches(padded, n), () -> "leading zero " + new String(padded, StandardCharsets.ISO_8859_1));
                assertEquals(false, k.matches(Arrays.copyOf(key, key.length - 1), n));
                assertEquals(false, k.matches(Arrays.copyOf(key, key.length + 1), n));
            }
        }
    }

    @Test
    void headsThatWouldRunIntoTheNumberAreRefused() {
        assertNull(DecimalKey.of("cache7".getBytes(StandardCharsets.US_ASCII)));
        assertNull(DecimalKey.of(new byte[DecimalKey.MAX_HEAD_LENGTH + 1]));
        assertNotNull(DecimalKey.of(new byte[0]));
        assertNotNull(DecimalKey.of("cache7::-".getBytes(StandardCharsets.US_ASCII)));
    }
}
