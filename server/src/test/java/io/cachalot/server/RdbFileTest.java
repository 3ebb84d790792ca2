package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import io.cachalot.testsupport.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RDB files both ways: what Cachalot saves passes redis-check-rdb 7.0 and loads in a real
 * redis-server with the same DEBUG DIGEST; what redis-server saves loads in Cachalot with the same
 * digest; DEBUG RELOAD and the load at start keep the data, TTLs included.
 */
class RdbFileTest {
    /** The same data, written by commands (so that both servers hold equal values). */
    private static void fill(RawClient x) throws IOException {
        x.call("SET", "str", "hello");
        x.call("SET", "int", "12345");
        x.call("SET", "big", "payload ".repeat(500));
        x.call("SET", "ttl", "v", "PX", "3600000");
        x.call("RPUSH", "list", "a", "1", "-300", "70000", "x".repeat(70));
        x.call("SADD", "intset", "1", "2", "-5", "100000");
        x.call("SADD", "set", "a", "b", "c");
        x.call("HSET", "hash", "f1", "v1", "f2", "2");
        x.call("ZADD", "zset", "1", "a", "2.5", "b", "-3", "c");
        for (int i = 0; i < 300; i++) {
            x.call("RPUSH", "biglist", "item" + i);
            x.call("HSET", "bighash", "f" + i, "v".repeat(i % 80));
            x.call("ZADD", "bigz", String.valueOf(i * 1.5), "m" + i);
            x.call("SADD", "bigset", "m" + i);
        }
        // a string LZF cannot shrink, longer than the loader's buffer (read straight from the file)
        byte[] noise = new byte[100_000];
        new java.util.Random(42).nextBytes(noise);
        x.call(List.of("SET".getBytes(), "noise".getBytes(), noise));
        // a bitmap changed in place by SETBIT
        java.util.Random bits = new java.util.Random(7);
        for (int i = 0; i < 500; i++) {
            x.call("SETBIT", "bitmap", String.valueOf(bits.nextInt(400_000)), "1");
        }
        // a HyperLogLog (a string changed in place), sparse
        x.call("PFADD", "hll", "a", "b", "c");
        // a stream over several nodes, with tombstones, a trimmed head and counters set by XSETID
        for (int i = 1; i <= 250; i++) {
            x.call("XADD", "stream", i + "-1", "field", "v" + i, "n", String.valueOf(i * 7));
        }
        x.call("XDEL", "stream", "5-1", "120-1");
        x.call("XTRIM", "stream", "MINID", "3-0");
        x.call("XADD", "stream", "300-*", "other", "fields", "here", "too");
        StreamGroupState.fill(x, "stream");
        x.call("XADD", "emptied", "1-1", "a", "b");
        x.call("XDEL", "emptied", "1-1");
        x.call("XSETID", "emptied", "5-5", "ENTRIESADDED", "9", "MAXDELETEDID", "2-0");
        x.call("SELECT", "3");
        x.call("SET", "in-db-3", "v");
        x.call("SELECT", "0");
        x.call("FUNCTION", "LOAD", LIBRARY);
    }

    /** A function library: saved in the file, found again by FCALL after the load. */
    static final String LIBRARY = "#!lua name=rdblib\nredis.register_function('twice', "
            + "function(keys, args) return 2 * tonumber(args[1]) end)";

    private static void assertLibraryLoaded(RawClient x) throws IOException {
        assertThat(x.callText("FCALL", "twice", "0", "21")).isEqualTo("42");
    }

    private static String digest(RawClient x) throws IOException {
        return x.callText("DEBUG", "DIGEST");
    }

    private static String checkRdb(Path file) throws Exception {
        return io.cachalot.testsupport.RedisTools.check("redis-check-rdb", file.toString());
    }

    @Test
    void cachalotsFileLoadsInRedisWithTheSameDigest() throws Exception {
        try (CachalotFixture c = CachalotFixture.start();
             RedisServerProcess reference = RedisServerProcess.start();
             RawClient cc = new RawClient("127.0.0.1", c.port());
             RawClient rc = new RawClient("127.0.0.1", reference.port())) {
            fill(cc);
            fill(rc);
            assertThat(digest(cc)).isEqualTo(digest(rc));
            assertThat(Resp.parse(cc.call("SAVE")).text()).isEqualTo("OK");
            Path file = Path.of(c.server().settings().dir.value(), "dump.rdb");
            assertThat(checkRdb(file)).contains("RDB looks OK!");
            Path dir = Files.createTempDirectory("redis-load");
            Files.copy(file, dir.resolve("dump.rdb"));
            try (RedisServerProcess loaded = RedisServerProcess.start("--dir", dir.toString());
                 RawClient lc = new RawClient("127.0.0.1", loaded.port())) {
                assertThat(digest(lc)).isEqualTo(digest(rc));
                // consumer groups are not in the digest
                assertThat(StreamGroupState.state(lc, "stream")).isEqualTo(StreamGroupState.state(cc, "stream"));
                assertThat(Long.parseLong(Resp.parse(lc.call("PTTL", "ttl")).text())).isBetween(3_500_000L, 3_600_000L);
                assertLibraryLoaded(lc);
            }
        }
    }

    @Test
    void redisFileLoadsInCachalotWithTheSameDigest() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start();
             RawClient rc = new RawClient("127.0.0.1", reference.port())) {
            fill(rc);
            assertThat(Resp.parse(rc.call("SAVE")).text()).isEqualTo("OK");
            try (CachalotFixture c = CachalotFixture.start("dir", reference.dir().toString());
                 RawClient cc = new RawClient("127.0.0.1", c.port())) {
                assertThat(digest(cc)).isEqualTo(digest(rc));
                assertThat(StreamGroupState.state(cc, "stream")).isEqualTo(StreamGroupState.state(rc, "stream"));
                assertLibraryLoaded(cc);
                assertThat(Resp.parse(cc.call("INFO", "persistence")).text()).contains("rdb_last_load_keys_loaded:19");
                for (String k : List.of("list", "intset", "set", "hash", "zset", "biglist", "bighash", "bigz", "bigset")) {
                    assertThat(Resp.parse(cc.call("OBJECT", "ENCODING", k)).text()).as(k)
                            .isEqualTo(Resp.parse(rc.call("OBJECT", "ENCODING", k)).text());
                }
            }
        }
    }

    @Test
    void debugReloadBgsaveAndLastsave() throws Exception {
        try (CachalotFixture c = CachalotFixture.start();
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            fill(cc);
            String before = digest(cc);
            // the groups as they are, clock readings included: the file keeps them all
            byte[] groups = cc.call("XINFO", "STREAM", "stream", "FULL", "COUNT", "0");
            assertThat(Resp.parse(cc.call("DEBUG", "RELOAD")).text()).isEqualTo("OK");
            assertThat(digest(cc)).isEqualTo(before);
            assertThat(RawClient.show(cc.call("XINFO", "STREAM", "stream", "FULL", "COUNT", "0"))).isEqualTo(RawClient.show(groups));
            assertThat(Resp.parse(cc.call("DEBUG", "RELOAD", "BOGUS")).text())
                    .isEqualTo("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            cc.call("SET", "after", "1");
            assertThat(Resp.parse(cc.call("INFO", "persistence")).text()).contains("rdb_changes_since_last_save:1");
            assertThat(Resp.parse(cc.call("DEBUG", "RELOAD", "NOSAVE")).text()).isEqualTo("OK");
            assertThat(Resp.parse(cc.call("EXISTS", "after")).text()).isEqualTo("0");
            long last = Long.parseLong(Resp.parse(cc.call("LASTSAVE")).text());
            assertThat(last).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            cc.call("SET", "bg", "1");
            assertThat(Resp.parse(cc.call("BGSAVE", "BOGUS")).text()).isEqualTo("ERR syntax error");
            assertThat(Resp.parse(cc.call("BGSAVE")).text()).isEqualTo("Background saving started");
            assertThat(c.server().engine().persistence().awaitIdle(10_000)).isTrue();
            assertThat(Resp.parse(cc.call("INFO", "persistence")).text()).contains("rdb_last_bgsave_status:ok")
                    .contains("rdb_changes_since_last_save:0").contains("rdb_bgsave_in_progress:0");
            assertThat(Resp.parse(cc.call("DEBUG", "RELOAD", "NOSAVE")).text()).isEqualTo("OK");
            assertThat(Resp.parse(cc.call("GET", "bg")).text()).isEqualTo("1");
        }
    }

    /** A file that cannot be read stops the server at start, and is left as it was. */
    @Test
    void aCorruptFileStopsTheStartAndIsKept(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] garbage = "REDIS0010\u00fa\u0009redis-ver".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("dump.rdb"), garbage);
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(new String[] {"--port", String.valueOf(RedisServerProcess.freePort()), "--dir",
                    dir.toString()});
        } finally {
            System.setOut(out);
        }
        assertThat(status).isEqualTo(1);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Fatal error loading the DB: ")
                .contains(". Exiting.").doesNotContain("Failed listening");
        assertThat(Files.readAllBytes(dir.resolve("dump.rdb"))).isEqualTo(garbage);
        // a file whose checksum is wrong is refused too
        byte[] good;
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "dbfilename", "good.rdb");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            cc.call("SET", "k", "v");
            cc.call("SAVE");
            good = Files.readAllBytes(dir.resolve("good.rdb"));
        }
        good[good.length - 1] ^= 1;
        Files.write(dir.resolve("dump.rdb"), good);
        assertThat(Main.run(new String[] {"--port", String.valueOf(RedisServerProcess.freePort()), "--dir",
                dir.toString(), "--logfile", dir.resolve("log").toString()})).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("log"))).contains("Fatal error loading the DB: Wrong RDB checksum");
        // without the checksum (rdbchecksum no: zeros) the file is read, and redis-check-rdb accepts it
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "dbfilename", "nocrc.rdb",
                "rdbchecksum", "no");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            cc.call("SET", "k", "v");
            cc.call("SAVE");
        }
        checkRdb(dir.resolve("nocrc.rdb"));
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "dbfilename", "nocrc.rdb");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            assertThat(Resp.parse(cc.call("GET", "k")).text()).isEqualTo("v");
        }
    }
}
