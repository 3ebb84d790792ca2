package io.cachalot.core.util;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected texts are what redis-server 7.0.15 on x86-64 (80-bit long double) answers. */
class LongDoubleTest {
    private static LongDouble p(String s) {
        return LongDouble.parse(Bytes.ascii(s));
    }

    private static String add(String a, String b) {
        return p(a).add(p(b)).toString();
    }

    @Test
    void additionAsRedisPrintsIt() {
        assertThat(add("10.5", "0.1")).isEqualTo("10.6");
        assertThat(add(add(add("0", "0.1"), "0.1"), "0.1")).isEqualTo("0.3");
        assertThat(add("0", "3.14159265358979323846264338327950288")).isEqualTo("3.14159265358979324");
        assertThat(add("5", "5.0")).isEqualTo("10");
        assertThat(add("-0.0", "0")).isEqualTo("0");
        assertThat(p("1e300").toString()).startsWith("1000000000000000000008997324079559193870");
        assertThat(p("1.7976931348623157e308").toString()).startsWith("179769313486231569995921046774");
    }

    @Test
    void parsingFollowsStrtold() {
        assertThat(p("0x10").toString()).isEqualTo("16");
        assertThat(p("0x1p-2").toString()).isEqualTo("0.25");
        assertThat(p(".5").toString()).isEqualTo("0.5");
        assertThat(p("5.").toString()).isEqualTo("5");
        assertThat(p("+3").toString()).isEqualTo("3");
        assertThat(p("inf").isInfinite()).isTrue();
        assertThat(p("-Infinity").isInfinite()).isTrue();
        assertThat(p("nan")).isNull();
        assertThat(p("abc")).isNull();
        assertThat(p("")).isNull();
        assertThat(p(" 1")).isNull();
        assertThat(p("1 ")).isNull();
        assertThat(p("1e")).isNull();
        assertThat(p("0x")).isNull();
        assertThat(p("1e5000")).isNull();
        assertThat(p("1e-5000")).isNull();
        assertThat(LongDouble.parse(new byte[] {'1', 0, '2'})).isNull();
    }

    @Test
    void overflowIsInfinite() {
        assertThat(p("1e4900").add(p("1e4900")).isInfinite()).isFalse();
        assertThat(p("1.1e4932").add(p("1.1e4932")).isInfinite()).isTrue();
    }
}
