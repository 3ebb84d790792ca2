package io.cachalot.core.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BytesTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void equalsAgreesWithArraysEqualsAtEveryLength() {
        Random r = new Random(42);
        for (int n = 0; n <= 80; n++) {
            byte[] a = new byte[n];
            r.nextBytes(a);
            assertTrue(Bytes.equals(a, a.clone()), "equal, length " + n);
            for (int i = 0; i < n; i++) {
                byte[] b = a.clone();
                b[i] ^= 1 << r.nextInt(8);
                assertEquals(false, Bytes.equals(a, b), "differs at " + i + " of " + n);
            }
            assertEquals(false, Bytes.equals(a, Arrays.copyOf(a, n + 1)));
        }
        assertTrue(Bytes.equals(null, null));
        assertEquals(false, Bytes.equals(null, new byte[0]));
        assertEquals(false, Bytes.equals(new byte[0], null));
    }

    /** A key given as words hashes and compares exactly as its array, at every length up to 24. */
    @Test
    void wordsAgreeWithTheArray() {
        Random r = new Random(11);
        for (int n = 0; n <= Bytes.MAX_WORDS_LENGTH; n++) {
            for (int round = 0; round < 200; round++) {
                byte[] k = new byte[n];
                r.nextBytes(k);
                long w0 = Bytes.word(k, 0);
                long w1 = Bytes.word(k, 8);
                long w2 = Bytes.word(k, 16);
                assertEquals(Bytes.hash(k), Bytes.hash(w0, w1, w2, n), "hash, length " + n);
                assertTrue(Bytes.equals(k, w0, w1, w2, n), "equal, length " + n);
                assertTrue(Arrays.equals(k, Bytes.fromWords(w0, w1, w2, n)), "round trip, length " + n);
                assertEquals(false, Bytes.equals(Arrays.copyOf(k, n + 1), w0, w1, w2, n));
                if (n > 0) {
                    assertEquals(false, Bytes.equals(Arrays.copyOf(k, n - 1), w0, w1, w2, n));
                }
                for (int i = 0; i < n; i++) {
                    byte[] b = k.clone();
                    b[i] ^= 1 << r.nextInt(8);
                    assertEquals(false, Bytes.equals(b, w0, w1, w2, n), "differs at " + i + " of " + n);
                }
            }
        }
        assertEquals(0x0807060504030201L, Bytes.word(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0));
        assertEquals(0x09L, Bytes.word(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 8));
        assertEquals(0L, Bytes.word(new byte[] {1}, 8));
    }

    @Test
    void isAsciiFindsAHighByteAnywhere() {
        for (int n = 0; n <= 40; n++) {
            byte[] b = new byte[n];
            Arrays.fill(b, (byte) 'a');
            assertTrue(Bytes.isAscii(b), "length " + n);
            for (int i = 0; i < n; i++) {
                byte[] c = b.clone();
                c[i] = (byte) 0x80;
                assertEquals(false, Bytes.isAscii(c), i + " of " + n);
                c[i] = (byte) 0xFF;
                assertEquals(false, Bytes.isAscii(c), i + " of " + n);
            }
        }
    }

    @Test
    void hashOfARangeEqualsHashOfTheCopy() {
        Random r = new Random(7);
        byte[] big = new byte[100];
        r.nextBytes(big);
        for (int off = 0; off < 10; off++) {
            for (int len = 0; len + off <= big.length; len++) {
                assertEquals(Bytes.hash(Arrays.copyOfRange(big, off, off + len)), Bytes.hash(big, off, len));
            }
        }
    }

    /**
     * Sequential keys of the shapes caches and benchmarks use spread evenly over both the low
     * bits (buckets) and the high bits (segments): no bucket or segment far above its share.
     */
    @Test
    void sequentialKeysSpreadOverBucketsAndSegments() {
        String[] shapes = {"%d", "bench::%d", "key:%012d", "user:%d:profile", "k%d", "cache-with-a-long-name::%d"};
        int n = 1 << 18;
        for (String shape : shapes) {
            int[] buckets = new int[n];
            int[] segments = new int[64];
            for (int i = 0; i < n; i++) {
                int h = Bytes.hash(ascii(String.format(shape, i)));
                buckets[h & (n - 1)]++;
                segments[h >>> 26]++;
            }
            int max = 0;
            int empty = 0;
            for (int c : buckets) {
                max = Math.max(max, c);
                empty += c == 0 ? 1 : 0;
            }
            // n keys in n buckets: about 1/e of them empty, the fullest holding single digits
            assertTrue(Math.abs(empty / (double) n - Math.exp(-1)) < 0.01, shape + ": empty share " + empty / (double) n);
            assertTrue(max <= 12, shape + ": fullest bucket " + max);
            for (int c : segments) {
                assertTrue(Math.abs(c - n / 64) < n / 64 / 10, shape + ": segment holds " + c);
            }
        }
    }

    @Test
    void shortKeysOfEveryLengthSpread() {
        int n = 1 << 16;
        for (int len = 1; len <= 20; len++) {
            int[] buckets = new int[n];
            byte[] k = new byte[len];
            for (int i = 0; i < n; i++) {
                Arrays.fill(k, (byte) 'a');
                for (int j = 0, v = i; j < len && v != 0; j++, v >>>= 4) {
                    k[len - 1 - j] = (byte) ('a' + (v & 15));
                }
                buckets[Bytes.hash(k) & (n - 1)]++;
            }
            int distinct = Math.min(n, 1 << Math.min(30, 4 * len));
            int empty = 0;
            for (int c : buckets) {
                empty += c == 0 ? 1 : 0;
            }
            double expected = n * Math.exp(-distinct / (double) n);
            assertTrue(Math.abs(empty - expected) < n * 0.02 + 2, "length " + len + ": " + empty + " empty, expected " + expected);
        }
    }
}
