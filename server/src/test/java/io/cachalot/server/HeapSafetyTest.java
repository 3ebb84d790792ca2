package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server with a small heap (128 MB) and no maxmemory: clients writing more than it can hold get
 * OOM errors, never an OutOfMemoryError that kills the process; the data written so far and other
 * clients are unaffected (arguments the heap cannot hold: {@link ClientLimitsTest}).
 */
class HeapSafetyTest {
    @TempDir
    Path dir;

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesBeyondTheHeapGetErrorsAndTheServerSurvives() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx128m"))) {
            try (RawClient c = s.client()) {
                byte[] value = new byte[512 * 1024];
                String refused = null;
                int written = 0;
                for (int i = 0; i < 1000 && refused == null; i++) {
                    List<byte[]> set = new ArrayList<>();
                    set.add("SET".getBytes());
                    set.add(("big" + i).getBytes());
                    set.add(value);
                    String r = text(c.call(set));
                    if (r.startsWith("-")) {
                        refused = r;
                    } else {
                        written++;
                    }
                }
                assertThat(refused).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
                // 75% of the heap by default: about 96 MB of data. A 512 KB value is a "humongous"
                // object for G1 at this heap size and takes a 1 MB region, which the estimate counts.
                assertThat(written).as(s.output()).isBetween(85, 96);
                assertThat(text(c.call("GET", "small"))).isEqualTo("$-1\r\n"); // reads still work
                assertThat(text(c.call("DBSIZE"))).isEqualTo(":" + written + "\r\n");
                assertThat(text(c.call("DEL", "big0", "big1"))).isEqualTo(":2\r\n");
                assertThat(text(c.call("SET", "small", "v"))).isEqualTo("+OK\r\n");
            }
            try (RawClient c = s.client()) {
                assertThat(text(c.call("GET", "small"))).isEqualTo("$1\r\nv\r\n");
                assertThat(text(c.call("FLUSHALL"))).isEqualTo("+OK\r\n");
                assertThat(text(c.call("SET", "after", "v"))).isEqualTo("+OK\r\n");
            }
            assertThat(s.isAlive()).isTrue();
            assertThat(s.output()).doesNotContain("OutOfMemoryError");
        }
    }
}
