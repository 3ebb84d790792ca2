package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher as its own process: Redis-style log lines in the log file, clean exit on SIGTERM. */
class ProcessLaunchTest {
    @TempDir
    Path dir;

    @Test
    void logsLikeRedisAndStopsCleanlyOnSigterm() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, List.of(), "--loglevel", "verbose")) {
            try (RawClient c = s.client()) {
                assertThat(new String(c.call("SET", "k", "v"), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
            }
            assertThat(s.output()).containsPattern("(?m)^\\d+:M \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\* "
                    + "Ready to accept connections tcp$");
            assertThat(s.terminate(20_000)).isZero(); // SIGTERM
            assertThat(s.output()).contains("# Received shutdown signal, scheduling shutdown...")
                    .contains("# Cachalot is now ready to exit, bye bye...");
        }
    }
}
