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

    /** Strings decode as UTF-8 whatever the bytes: ASCII takes a shortcut that must agree. */
    @Test
    void stringsDecodeAsUtf8() {
        String[] texts = {"", "a", "value-123456", "0123456789abcdefghij", "é", "naïve café", "日本語のテキスト", "x€"};
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            assertEquals(t, Codecs.STRING.decode(b));
            assertEquals(t, Codecs.STRING.decode(Codecs.STRING.encode(t, PREFIX), PREFIX.length));
        }
        Random r = new Random(4);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            assertEquals(new String(b, StandardCharsets.UTF_8), Codecs.STRING.decode(b));
        }
    }
}
