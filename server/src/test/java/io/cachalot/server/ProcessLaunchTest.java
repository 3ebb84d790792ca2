package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher as its own process: Redis-style log lines in the log file, clean exit on SIGTERM. */
class ProcessLaunchTest {
    @TempDir
    Path dir;

    @Test
    void logsLikeRedisAndStopsCleanlyOnSigterm() throws Exception {
        int port = RedisServerProcess.freePort();
        Path log = dir.resolve("cachalot.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.cachalot.server.Main",
                "--port", Integer.toString(port), "--logfile", log.toString(), "--loglevel", "verbose")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        try {
            LauncherTest.awaitPing(port);
            try (RawClient c = new RawClient("127.0.0.1", port)) {
                assertThat(new String(c.call("SET", "k", "v"), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
            }
            String text = Files.readString(log);
            assertThat(text).containsPattern("(?m)^\\d+:M \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\* "
                    + "Ready to accept connections tcp$");
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(Files.readString(log)).contains("# Received shutdown signal, scheduling shutdown...")
                    .contains("# Cachalot is now ready to exit, bye bye...");
        } finally {
            p.destroyForcibly();
        }
        assertThat(new File(dir.toFile(), "stdout.txt")).exists();
    }
}
