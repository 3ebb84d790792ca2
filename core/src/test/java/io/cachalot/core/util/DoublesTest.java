package io.cachalot.core.util;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** C's printf("%.17g") output for the same doubles. */
class DoublesTest {
    @Test
    void formatsLikeC() {
        assertThat(Doubles.format17g(0.1)).isEqualTo("0.10000000000000001");
        assertThat(Doubles.format17g(1.5)).isEqualTo("1.5");
        assertThat(Doubles.format17g(3)).isEqualTo("3");
        assertThat(Doubles.format17g(-2.25)).isEqualTo("-2.25");
        assertThat(Doubles.format17g(1e17)).isEqualTo("1e+17");
        assertThat(Doubles.format17g(1e16)).isEqualTo("10000000000000000");
        assertThat(Doubles.format17g(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(Doubles.format17g(0.0001)).isEqualTo("0.0001");
        assertThat(Doubles.format17g(2.3e-7)).isEqualTo("2.2999999999999999e-07");
        assertThat(Doubles.format17g(1.0 / 3)).isEqualTo("0.33333333333333331");
        assertThat(Doubles.format17g(0)).isEqualTo("0");
        assertThat(Doubles.format17g(-0.0)).isEqualTo("-0");
        assertThat(Doubles.format17g(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(Doubles.format17g(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(Doubles.format17g(1.7976931348623157e308)).isEqualTo("1.7976931348623157e+308");
    }

    private static double strict(String s) {
        return Doubles.parseStrict(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static double lenient(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return Doubles.parseLenient(b, 0, b.length);
    }

    @Test
    void parsesScoresAsRedisString2d() {
        assertThat(strict("1.5")).isEqualTo(1.5);
        assertThat(strict("-.5")).isEqualTo(-0.5);
        assertThat(strict("5.")).isEqualTo(5.0);
        assertThat(strict("1e3")).isEqualTo(1000.0);
        assertThat(strict("+inf")).isInfinite();
        assertThat(strict("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(strict("0x10")).isEqualTo(16.0);
        assertThat(strict("0x1.8p1")).isEqualTo(3.0);
        assertThat(strict("1e-310")).isEqualTo(1e-310); // subnormal: accepted
        for (String bad : new String[] {"", " 1", "1 ", "nan", "1e", "1e400", "1e-400", ".", "-", "0x", "1d", "abc",
                                        "inf ", "1\u00002"}) {
            assertThat(strict(bad)).as(bad).isNaN();
        }
    }

    @Test
    void parsesRangeBoundsAsStrtod() {
        assertThat(lenient("")).isEqualTo(0.0);
        assertThat(lenient(" 1")).isEqualTo(1.0);
        assertThat(lenient("1e400")).isInfinite();
        assertThat(lenient("1e-400")).isEqualTo(0.0);
        assertThat(lenient("  ")).isNaN();
        assertThat(lenient("1 ")).isNaN();
        assertThat(lenient("nan")).isNaN();
    }
}
