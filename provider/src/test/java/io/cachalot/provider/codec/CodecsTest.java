package io.cachalot.provider.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The readable encodings: what redis-cli shows must be exactly the value's text. */
class CodecsTest {
    private static final byte[] PREFIX = "cache::".getBytes(StandardCharsets.US_ASCII);

    private static void roundTrip(long v) {
        String text = Long.toString(v);
        assertEquals(text, new String(Codecs.LONG.encode(v, new byte[0]), StandardCharsets.US_ASCII));
        assertEquals("cache::" + text, new String(Codecs.LONG.encode(v, PREFIX), StandardCharsets.US_ASCII));
        assertEquals(v, Codecs.LONG.decode(Codecs.LONG.encode(v, PREFIX), PREFIX.length));
        assertEquals(text.length() - (v < 0 ? 1 : 0), v == Long.MIN_VALUE ? 19 : Codecs.digits(Math.abs(v)));
    }

    @Test
    void longsAreTheirDecimalTextAroundEveryPowerOfTen() {
        long p = 1;
        for (int i = 0; i < 19; i++) {
            for (long d = -2; d <= 2; d++) {
                roundTrip(p + d);
                roundTrip(-(p + d));
            }
            p *= 10;
        }
        roundTrip(Long.MAX_VALUE);
        roundTrip(Long.MIN_VALUE);
        roundTrip(Integer.MAX_VALUE);
        roundTrip(Integer.MAX_VALUE + 1L);
        roundTrip(Integer.MIN_VALUE);
        for (long v = -1000; v <= 100_000; v++) {
            roundTrip(v);
        }
        Random r = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            roundTrip(r.nextLong() >> r.nextInt(64));
        }
    }
}
