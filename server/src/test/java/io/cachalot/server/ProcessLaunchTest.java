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
            // verbose shows Cachalot's lines, not Netty's debug output (-Dio.netty.allocator.pageSize: ...)
            assertThat(s.output()).contains("- Accepted ").doesNotContain("io.netty").doesNotContain("-Dio.");
            assertThat(s.terminate(20_000)).isZero(); // SIGTERM
            assertThat(s.output()).contains("# Received SIGTERM scheduling shutdown...")
                    .contains("# User requested shutdown...")
                    .contains("# Cachalot is now ready to exit, bye bye...");
        }
    }

    @Test
    void sigintStopsItAsRedisServer() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, List.of())) {
            assertThat(s.signal("INT", 20_000)).isZero();
            assertThat(s.output()).contains("# Received SIGINT scheduling shutdown...")
                    .contains("# Cachalot is now ready to exit, bye bye...");
        }
    }

    /**
     * A script's background job starts with SIGINT ignored, which a JVM cannot undo: the launcher
     * script resets it before it starts java. A stand-in "java" reports the disposition it got.
     */
    @Test
    void launcherScriptUndoesAnInheritedIgnoredSigint() throws Exception {
        Path bin = dir.resolve("bin");
        java.nio.file.Files.createDirectories(bin);
        Path fakeJava = bin.resolve("java");
        java.nio.file.Files.writeString(fakeJava, "#!/usr/bin/env bash\n"
                + "grep '^SigIgn:' /proc/$$/status > \"" + dir.resolve("sigign") + "\"\n");
        fakeJava.toFile().setExecutable(true);
        Path jar = dir.resolve("fake.jar");
        java.nio.file.Files.writeString(jar, "");
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/cachalot-server");
        assertThat(sigintIgnored(bin, jar, "java -jar \"$CACHALOT_JAR\"")).as("the case itself").isTrue();
        assertThat(sigintIgnored(bin, jar, "\"" + script + "\"")).as("through bin/cachalot-server").isFalse();
    }

    /** Runs {@code command} as a background job of a non-interactive bash; whether it started with SIGINT ignored. */
    private boolean sigintIgnored(Path bin, Path jar, String command) throws Exception {
        Path out = dir.resolve("sigign");
        java.nio.file.Files.deleteIfExists(out);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command + " & wait");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("CACHALOT_JAR", jar.toString());
        Process p = pb.redirectErrorStream(true).start();
        assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String line = java.nio.file.Files.readString(out).trim();
        long mask = Long.parseLong(line.substring(line.indexOf(':') + 1).trim(), 16);
        return (mask & (1L << (2 - 1))) != 0; // SIGINT is signal 2
    }
}
