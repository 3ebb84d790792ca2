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
}
