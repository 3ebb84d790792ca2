package io.cachalot.core.util;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ArgSplitterTest {
    private static List<String> split(String s) {
        List<byte[]> r = ArgSplitter.split(Bytes.ascii(s));
        return r == null ? null : r.stream().map(Bytes::latin1).toList();
    }

    @Test
    void splitsLikeSdssplitargs() {
        assertThat(split("set a b")).containsExactly("set", "a", "b");
        assertThat(split("  set   a  ")).containsExactly("set", "a");
        assertThat(split("\"a b\" 'c d'")).containsExactly("a b", "c d");
        assertThat(split("\"\\x41\\x4g\\n\"")).containsExactly("Ax4g\n");
        assertThat(split("'it\\'s'")).containsExactly("it's");
        assertThat(split("a\"b c\"d")).isNull();
        assertThat(split("a\"b c\" d")).containsExactly("ab c", "d");
        assertThat(split("\"unterminated")).isNull();
        assertThat(split("\"\"")).containsExactly("");
        assertThat(split("")).isEmpty();
        assertThat(split("a\u0000b c")).containsExactly("a");
    }
}
