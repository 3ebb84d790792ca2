package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import io.cachalot.testsupport.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Save points as Redis has them: the cron starts a BGSAVE when enough changes were made, the
 * server saves before it exits on SIGTERM, and a failed background save makes writes (and PING)
 * answer MISCONF until a save succeeds — byte for byte as redis-server.
 */
class SavePointsTest {
    @TempDir
    Path dir;

    private static String info(RawClient c, String field) throws Exception {
        for (String line : c.callText("INFO", "persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field);
    }

    private static void await(RawClient c, String field, String value) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!info(c, field).equals(value) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(info(c, field)).as(field).isEqualTo(value);
    }

    @Test
    void aSavePointStartsABackgroundSave() throws Exception {
        try (CachalotFixture c = CachalotFixture.start("save", "1 2");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            cc.call("SET", "a", "1");
            Thread.sleep(1500);
            assertThat(info(cc, "rdb_saves")).as("one change is not enough").isEqualTo("0");
            cc.call("SET", "b", "2");
            await(cc, "rdb_saves", "1");
            await(cc, "rdb_changes_since_last_save", "0");
            assertThat(Path.of(c.server().settings().dir.value(), "dump.rdb")).exists();
        }
    }

    @Test
    void theServerSavesBeforeItExitsOnSigterm() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx128m"));
             RawClient c = s.client()) {
            assertThat(RawClient.show(c.call("CONFIG", "GET", "save"))).contains("3600 1 300 100 60 10000");
            c.call("SET", "survives", "yes");
            c.call("RPUSH", "list", "a", "b");
            assertThat(s.terminate(20_000)).isZero();
            assertThat(s.output()).contains("Saving the final RDB snapshot before exiting.");
        }
        assertThat(dir.resolve("dump.rdb")).exists();
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx128m"));
             RawClient c = s.client()) {
            assertThat(c.callText("GET", "survives")).isEqualTo("yes");
            assertThat(RawClient.show(c.call("LRANGE", "list", "0", "-1"))).isEqualTo(RawClient.show(
                    "*2\r\n$1\r\na\r\n$1\r\nb\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            assertThat(s.output()).contains("Done loading RDB, keys loaded: 2, keys expired: 0.");
        }
    }

    /** shutdown-on-sigterm: nosave skips the save points' save, save saves without save points. */
    @Test
    void shutdownOnSigtermChoosesWhetherToSave() throws Exception {
        Path a = Files.createDirectory(dir.resolve("nosave"));
        try (ServerProcess s = ServerProcess.start(a, List.of("-Xmx128m"), "--shutdown-on-sigterm", "nosave");
             RawClient c = s.client()) {
            c.call("SET", "k", "v");
            assertThat(s.terminate(20_000)).isZero();
        }
        assertThat(a.resolve("dump.rdb")).doesNotExist();
        Path b = Files.createDirectory(dir.resolve("save"));
        try (ServerProcess s = ServerProcess.start(b, List.of("-Xmx128m"), "--save", "", "--shutdown-on-sigterm", "save");
             RawClient c = s.client()) {
            c.call("SET", "k", "v");
            assertThat(s.terminate(20_000)).isZero();
        }
        assertThat(b.resolve("dump.rdb")).exists();
    }

    /**
     * A disk that fills up (ulimit -f 64 KB): the save fails with the system's reason in the log
     * and INFO, writes get MISCONF, SAVE gets ERR, the data in memory stays, no file is left
     * behind, and SIGTERM does not stop a server that cannot save — until the save points go.
     */
    @Test
    void aFullDiskFailsTheSaveAndLosesNothing() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, 64, List.of("-Xmx256m"), "--save", "3600 1",
                "--rdbcompression", "no");
             RawClient c = s.client()) {
            for (int i = 0; i < 2000; i++) {
                c.call("SET", "k" + i, "x".repeat(100) + i);
            }
            assertThat(c.callText("BGSAVE")).isEqualTo("Background saving started");
            await(c, "rdb_last_bgsave_status", "err");
            assertThat(s.awaitOutput("Write error saving DB on disk: File too large", 5000)).as(s.output()).isTrue();
            assertThat(RawClient.show(c.call("SET", "k", "v"))).startsWith("-MISCONF Redis is configured to save");
            assertThat(RawClient.show(c.call("SAVE"))).isEqualTo("-ERR\\r\\n");
            assertThat(c.callText("DBSIZE")).isEqualTo("2000");
            assertThat(c.callText("GET", "k1999")).isEqualTo("x".repeat(100) + 1999);
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".rdb"));
            }
            assertThat(s.terminate(3000)).as("SIGTERM while the save fails: still up").isEqualTo(-1);
            assertThat(s.awaitOutput("errors trying to shut down the server", 5000)).isTrue();
            assertThat(c.callText("CONFIG", "SET", "save", "")).isEqualTo("OK");
            assertThat(s.terminate(20_000)).isZero();
        }
    }

    @Test
    void aFailedBackgroundSaveRefusesWritesAsRedis() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--save", "3600 1", "--enable-protected-configs", "yes");
             CachalotFixture cachalot = CachalotFixture.start("save", "3600 1", "enable-protected-configs", "yes");
             RawClient r = new RawClient("127.0.0.1", redis.port());
             RawClient c = new RawClient("127.0.0.1", cachalot.port())) {
            for (RawClient x : List.of(r, c)) {
                Path gone = Files.createTempDirectory(dir, "gone");
                assertThat(x.callText("CONFIG", "SET", "dir", gone.toString())).isEqualTo("OK");
                Files.delete(gone);
                x.call("SET", "before", "1");
                assertThat(x.callText("BGSAVE")).isEqualTo("Background saving started");
                await(x, "rdb_last_bgsave_status", "err");
            }
            for (String[] cmd : new String[][] {{"SET", "k", "v"}, {"PING"}, {"GET", "before"}, {"INCR", "n"},
                    {"MULTI"}, {"SET", "k", "v"}, {"EXEC"}, {"DEL", "before"}, {"EXISTS", "before"}}) {
                assertThat(RawClient.show(c.call(cmd))).as(String.join(" ", cmd)).isEqualTo(RawClient.show(r.call(cmd)));
            }
            for (RawClient x : List.of(r, c)) {
                Path back = Files.createTempDirectory(dir, "back");
                assertThat(x.callText("CONFIG", "SET", "dir", back.toString())).isEqualTo("OK");
                assertThat(x.callText("BGSAVE")).isEqualTo("Background saving started");
                await(x, "rdb_last_bgsave_status", "ok");
                assertThat(x.callText("SET", "k", "v")).isEqualTo("OK");
            }
        }
    }
}
