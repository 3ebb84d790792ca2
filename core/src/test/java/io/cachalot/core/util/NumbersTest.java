package io.cachalot.core.util;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NumbersTest {
    private static boolean ok(String s) {
        return Numbers.isLong(Bytes.ascii(s));
    }

    @Test
    void canonicalIntegersOnly() {
        assertThat(ok("0")).isTrue();
        assertThat(ok("-1")).isTrue();
        assertThat(ok("9223372036854775807")).isTrue();
        assertThat(ok("-9223372036854775808")).isTrue();
        assertThat(ok("9223372036854775808")).isFalse();
        assertThat(ok("-9223372036854775809")).isFalse();
        assertThat(ok("-0")).isFalse();
        assertThat(ok("007")).isFalse();
        assertThat(ok("+1")).isFalse();
        assertThat(ok(" 1")).isFalse();
        assertThat(ok("1 ")).isFalse();
        assertThat(ok("")).isFalse();
        assertThat(ok("-")).isFalse();
        assertThat(ok("1.0")).isFalse();
        assertThat(ok("123456789012345678901")).isFalse();
    }

    @Test
    void parseAndPrintRoundTrip() {
        long[] values = {0, 1, -1, 9, 10, 1023, 1024, -1024, Long.MAX_VALUE, Long.MIN_VALUE, 123456789L};
        for (long v : values) {
            byte[] b = Numbers.toBytes(v);
            assertThat(Bytes.latin1(b)).isEqualTo(Long.toString(v));
            assertThat(Numbers.parseLong(b)).isEqualTo(v);
            assertThat(Numbers.length(v)).isEqualTo(b.length);
        }
    }
}
