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

    /** Random bytes, mostly digits, so that digit runs of every length end the keys. */
    static byte[] digitHeavy(Random r, int n) {
        byte[] k = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(20);
            k[i] = (byte) (c < 14 ? '0' + r.nextInt(10) : c < 16 ? '0' - 1 - r.nextInt(3) : c < 18 ? '9' + 1 + r.nextInt(3) : r.nextInt(256));
        }
        return k;
    }

    /** The hash by its definition, one byte at a time: the state of the bytes before the trailing digits (at most 15), mixed with their value. */
    private static int referenceHash(byte[] k) {
        int start = k.length;
        while (start > 0 && k.length - start < Bytes.MAX_NUMBER_DIGITS && k[start - 1] >= '0' && k[start - 1] <= '9') {
            start--;
        }
        if (start == k.length) {
            return Bytes.finish(Bytes.state(k, 0, k.length));
        }
        return Bytes.numberHash(Bytes.state(k, 0, start), Long.parseLong(new String(k, start, k.length - start, StandardCharsets.US_ASCII)));
    }

    @Test
    void hashReadsTrailingDigitsAsTheirValue() {
        Random r = new Random(11);
        for (int n = 0; n <= 40; n++) {
            for (int round = 0; round < 2000; round++) {
                byte[] k = digitHeavy(r, n);
                assertEquals(referenceHash(k), Bytes.hash(k), () -> "hash of " + Arrays.toString(k));
            }
        }
        // leading zeros are the only digit runs that share a value
        assertEquals(Bytes.hash(ascii("key:7")), Bytes.hash(ascii("key:0007")));
        assertTrue(Bytes.hash(ascii("key:7")) != Bytes.hash(ascii("key:8")));
        assertTrue(Bytes.hash(ascii("key:7")) != Bytes.hash(ascii("kez:7")));
        // sixteen digits and more: the last fifteen are the number, the others belong to the bytes before
        assertEquals(referenceHash(ascii("1234567890123456789")), Bytes.hash(ascii("1234567890123456789")));
    }

    @Test
    void digitLanesParseAndValidateEightAtOnce() {
        Random r = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            long u = i < 1000 ? i : r.nextInt(100_000_000);
            byte[] text = String.format("%08d", u).getBytes(StandardCharsets.US_ASCII);
            long w = Bytes.word(text, 0);
            assertEquals(0, Bytes.nonDigitLanes(w));
            assertEquals(u, Bytes.parse8(w));
            byte[] bad = text.clone();
            bad[r.nextInt(8)] = (byte) (r.nextBoolean() ? '0' - 1 - r.nextInt(48) : '9' + 1 + r.nextInt(200));
            assertTrue(Bytes.nonDigitLanes(Bytes.word(bad, 0)) != 0, () -> Arrays.toString(bad));
        }
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
        byte[] digits = digitHeavy(r, 100);
        for (byte[] b : new byte[][] {big, digits}) {
            for (int off = 0; off < 10; off++) {
                for (int len = 0; len + off <= b.length; len++) {
                    assertEquals(Bytes.hash(Arrays.copyOfRange(b, off, off + len)), Bytes.hash(b, off, len));
                }
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
