package io.cachalot.core.util;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {
    private static boolean m(String p, String s) {
        return Glob.matches(p, s, false);
    }

    @Test
    void starsAndQuestionMarks() {
        assertThat(m("*", "")).isTrue();
        assertThat(m("*", "anything")).isTrue();
        assertThat(m("h?llo", "hello")).isTrue();
        assertThat(m("h?llo", "hllo")).isFalse();
        assertThat(m("h*llo", "hllo")).isTrue();
        assertThat(m("h*llo", "heeeello")).isTrue();
        assertThat(m("a*b*c", "aXXbYYc")).isTrue();
        assertThat(m("a*b*c", "aXXbYY")).isFalse();
        assertThat(m("", "")).isTrue();
        assertThat(m("", "a")).isFalse();
        assertThat(m("abc", "abc")).isTrue();
        assertThat(m("abc", "abd")).isFalse();
    }

    @Test
    void classesRangesAndEscapes() {
        assertThat(m("h[ae]llo", "hallo")).isTrue();
        assertThat(m("h[ae]llo", "hillo")).isFalse();
        assertThat(m("h[^e]llo", "hallo")).isTrue();
        assertThat(m("h[^e]llo", "hello")).isFalse();
        assertThat(m("h[a-c]llo", "hbllo")).isTrue();
        assertThat(m("h[c-a]llo", "hbllo")).isTrue();
        assertThat(m("\\*", "*")).isTrue();
        assertThat(m("\\*", "a")).isFalse();
        assertThat(m("[\\]]", "]")).isTrue();
        assertThat(m("h[a", "ha")).isTrue();
        assertThat(m("[]", "")).isFalse();
    }

    @Test
    void nocase() {
        assertThat(Glob.matches("HEL*", "hello", true)).isTrue();
        assertThat(Glob.matches("[A-C]x", "bx", true)).isTrue();
        assertThat(Glob.matches("HEL*", "hello", false)).isFalse();
    }

    @Test
    void pathologicalPatternsFinishQuickly() {
        String p = "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
        String s = "a".repeat(5000);
        long start = System.nanoTime();
        assertThat(m(p, s)).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    }
}
