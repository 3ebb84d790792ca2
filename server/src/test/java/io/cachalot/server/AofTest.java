package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import io.cachalot.testsupport.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The append-only file both ways: what Cachalot logs passes redis-check-aof 7.0 and loads in a real
 * redis-server with the same DEBUG DIGEST (commands logged as their effects, rewrites, both base
 * formats), what redis-server logs loads in Cachalot; every acknowledged write survives kill -9;
 * a torn last command is cut or refused as aof-load-truncated says; a failing disk gives MISCONF
 * and loses nothing in memory.
 */
class AofTest {
    @TempDir
    Path dir;

    /** Writes whose effects differ from their arguments (relative times, pops, floats), same data on both servers. */
    private static void fill(RawClient x) throws IOException {
        x.call("SET", "str", "hello");
        x.call("SET", "ttl", "v", "EX", "3600");
        x.call("SETEX", "ttl2", "3600", "v");
        x.call("SET", "t3", "v");
        x.call("EXPIRE", "t3", "3600");
        x.call("SET", "gone", "v");
        x.call("EXPIRE", "gone", "-5");
        x.call("SET", "f", "1.5");
        x.call("INCRBYFLOAT", "f", "0.1");
        x.call("RPUSH", "list", "a", "b", "c", "d");
        x.call("BLPOP", "list", "0");
        x.call("LMPOP", "1", "list", "RIGHT", "COUNT", "1");
        x.call("LMOVE", "list", "list2", "LEFT", "RIGHT");
        x.call("SADD", "one", "only");
        x.call("SPOP", "one");
        x.call("SADD", "s", "a", "b", "1", "2");
        x.call("SPOP", "s", "10");
        x.call("SADD", "set", "x", "y", "3");
        x.call("HSET", "hash", "f1", "v1", "n", "1.5");
        x.call("HINCRBYFLOAT", "hash", "n", "2.25");
        x.call("ZADD", "zset", "1", "a", "2.5", "b", "-3", "c");
        // XADD * and MAXLEN ~ are logged as what they did (the id made, the exact trim)
        for (int i = 0; i < 150; i++) {
            x.call("XADD", "stream", "MAXLEN", "~", "120", "*", "i", String.valueOf(i));
        }
        x.call("XADD", "stream", "MAXLEN", "0", "*", "last", "one");
        x.call("XDEL", "stream", "0-1");
        x.call("XADD", "stream2", "1-*", "a", "b");
        x.call("XADD", "stream2", "1-*", "c", "d");
        x.call("XDEL", "stream2", "1-0");
        // consumer groups travel as the XCLAIM / XGROUP SETID / CREATECONSUMER effects Redis logs
        for (int i = 1; i <= 20; i++) {
            x.call("XADD", "groups", i + "-1", "n", String.valueOf(i));
        }
        x.call("XDEL", "groups", "1-1", "2-1", "5-1");
        StreamGroupState.fill(x, "groups");
        x.call("XDEL", "groups", "8-1");
        x.call("XAUTOCLAIM", "groups", "readers", "dave", "0", "0", "COUNT", "3");
        x.call("XREADGROUP", "GROUP", "readers", "alice", "STREAMS", "groups", "0");
        // a rewrite drops pending entries of deleted messages (its XCLAIM finds no entry), in Redis too
        x.call("XACK", "groups", "readers", "8-1");
        x.call("BZPOPMIN", "zset", "0");
        x.call("MULTI");
        x.call("INCR", "counter");
        x.call("GETEX", "str", "PX", "7200000");
        x.call("EXEC");
        x.call("SET", "gd", "v");
        x.call("GETDEL", "gd");
        for (int i = 0; i < 200; i++) {
            x.call("RPUSH", "biglist", "item" + i);
            x.call("HSET", "bighash", "f" + i, "v".repeat(i % 80));
            x.call("ZADD", "bigz", String.valueOf(i * 1.5), "m" + i);
        }
        x.call("SELECT", "3");
        x.call("SET", "in-db-3", "v");
        x.call("SELECT", "0");
        // scripts and functions are logged as the commands they ran, in MULTI/EXEC; FUNCTION LOAD as itself
        x.call("EVAL", "redis.call('set', KEYS[1], ARGV[1]) redis.call('incr', 'sc:n') "
                + "redis.call('expire', KEYS[1], 3600) return redis.call('rpush', 'sc:l', ARGV[1])", "1", "sc:k", "x");
        x.call("EVAL", "return redis.call('incr', 'sc:n')", "0");
        x.call("EVAL", "return redis.call('get', 'sc:n')", "0");
        x.call("FUNCTION", "LOAD", "#!lua name=aoflib\nredis.register_function('bump', "
                + "function(keys, args) return redis.call('incrby', keys[1], args[1]) end)");
        x.call("FCALL", "bump", "1", "fc:n", "5");
    }

    /** What a log holds once loaded: the function library works. */
    private static void assertLibraryLoaded(RawClient x) throws IOException {
        assertThat(x.callText("FCALL", "bump", "1", "fc:n", "0")).isEqualTo("5");
    }

    private static String digest(RawClient x) throws IOException {
        return x.callText("DEBUG", "DIGEST");
    }

    private static String checkAof(Path manifest) throws Exception {
        return io.cachalot.testsupport.RedisTools.check("redis-check-aof", manifest.toString());
    }

    private static void awaitRewrite(RawClient x) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (x.callText("INFO", "persistence").contains("aof_rewrite_in_progress:1")
                || x.callText("INFO", "persistence").contains("aof_rewrite_scheduled:1")) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * Waits until redis-server has written its AOF buffer: under appendfsync everysec it postpones
     * the write (up to 2 s, replies still sent) while a background fsync is pending, so a copy
     * taken right after a reply can miss the last commands.
     */
    private static void awaitRedisAofWritten(RawClient rc) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            String p = rc.callText("INFO", "persistence");
            if (p.contains("aof_buffer_length:0\r\n") && p.contains("aof_pending_bio_fsync:0\r\n")) {
                return;
            }
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static Path copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void cachalotsAofLoadsInRedisWithTheSameDigest() throws Exception {
        for (String preamble : List.of("yes", "no")) {
            Path d = Files.createDirectories(dir.resolve("preamble-" + preamble));
            try (CachalotFixture c = CachalotFixture.start("dir", d.toString(), "appendonly", "yes",
                    "aof-use-rdb-preamble", preamble);
                 RedisServerProcess reference = RedisServerProcess.start();
                 RawClient cc = new RawClient("127.0.0.1", c.port());
                 RawClient rc = new RawClient("127.0.0.1", reference.port())) {
                fill(cc);
                fill(rc);
                assertThat(digest(cc)).isEqualTo(digest(rc));
                Path aofDir = d.resolve("appendonlydir");
                assertThat(checkAof(aofDir.resolve("appendonly.aof.manifest"))).contains("All AOF files and manifest are valid");
                String logged = Files.readString(aofDir.resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
                assertThat(logged).doesNotContain("EVAL").doesNotContain("FCALL").contains("FUNCTION")
                        .contains("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nset\r\n$4\r\nsc:k\r\n$1\r\nx\r\n*2\r\n$4\r\nincr\r\n"
                                + "$4\r\nsc:n\r\n*3\r\n$9\r\nPEXPIREAT\r\n");
                // as logged (a base of the empty start, then every command's effect)
                try (RedisServerProcess loaded = RedisServerProcess.start("--dir", copyDir(aofDir, dir.resolve("a-" + preamble)
                        .resolve("appendonlydir")).getParent().toString(), "--appendonly", "yes");
                     RawClient lc = new RawClient("127.0.0.1", loaded.port())) {
                    assertThat(digest(lc)).isEqualTo(digest(rc));
                    assertThat(StreamGroupState.state(lc, "groups")).isEqualTo(StreamGroupState.state(rc, "groups"));
                    assertThat(Long.parseLong(lc.callText("PTTL", "ttl"))).isBetween(3_500_000L, 3_600_000L);
                    assertLibraryLoaded(lc);
                }
                // rewritten, then written to
                assertThat(cc.callText("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
                cc.call("SET", "after-rewrite", "1");
                rc.call("SET", "after-rewrite", "1");
                awaitRewrite(cc);
                cc.call("RPUSH", "list2", "z");
                rc.call("RPUSH", "list2", "z");
                assertThat(cc.callText("INFO", "persistence")).contains("aof_rewrites:1").contains("aof_last_bgrewrite_status:ok");
                String manifest = Files.readString(aofDir.resolve("appendonly.aof.manifest"));
                assertThat(manifest).contains("appendonly.aof.2.base." + (preamble.equals("yes") ? "rdb" : "aof"))
                        .contains("appendonly.aof.2.incr.aof").doesNotContain("type h");
                try (Stream<Path> files = Files.list(aofDir)) {
                    assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                            "appendonly.aof.2.base." + (preamble.equals("yes") ? "rdb" : "aof"),
                            "appendonly.aof.2.incr.aof", "appendonly.aof.manifest");
                }
                assertThat(checkAof(aofDir.resolve("appendonly.aof.manifest"))).contains("All AOF files and manifest are valid");
                try (RedisServerProcess loaded = RedisServerProcess.start("--dir", copyDir(aofDir, dir.resolve("b-" + preamble)
                        .resolve("appendonlydir")).getParent().toString(), "--appendonly", "yes");
                     RawClient lc = new RawClient("127.0.0.1", loaded.port())) {
                    assertThat(digest(lc)).isEqualTo(digest(rc));
                    assertThat(StreamGroupState.state(lc, "groups")).isEqualTo(StreamGroupState.state(rc, "groups"));
                    assertLibraryLoaded(lc);
                }
                // and Cachalot reads its own files back (DEBUG LOADAOF)
                assertThat(cc.callText("DEBUG", "LOADAOF")).isEqualTo("OK");
                assertThat(digest(cc)).isEqualTo(digest(rc));
                assertThat(StreamGroupState.state(cc, "groups")).isEqualTo(StreamGroupState.state(rc, "groups"));
                assertLibraryLoaded(cc);
            }
        }
    }

    @Test
    void redisAofLoadsInCachalotWithTheSameDigest() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start("--appendonly", "yes");
             RawClient rc = new RawClient("127.0.0.1", reference.port())) {
            fill(rc);
            rc.callText("BGREWRITEAOF");
            awaitRewrite(rc);
            rc.call("SET", "in-incr", "1");
            rc.call("LPUSH", "biglist", "head");
            awaitRedisAofWritten(rc);
            Path copy = copyDir(reference.dir().resolve("appendonlydir"), dir.resolve("from-redis").resolve("appendonlydir"));
            try (CachalotFixture c = CachalotFixture.start("dir", copy.getParent().toString(), "appendonly", "yes");
                 RawClient cc = new RawClient("127.0.0.1", c.port())) {
                assertThat(digest(cc)).isEqualTo(digest(rc));
                assertThat(StreamGroupState.state(cc, "groups")).isEqualTo(StreamGroupState.state(rc, "groups"));
                assertLibraryLoaded(cc);
                cc.call("SET", "more", "1");
                rc.call("SET", "more", "1");
            }
            // what Cachalot appended to Redis' files loads in Redis again
            try (RedisServerProcess loaded = RedisServerProcess.start("--dir", copy.getParent().toString(), "--appendonly", "yes");
                 RawClient lc = new RawClient("127.0.0.1", loaded.port())) {
                assertThat(digest(lc)).isEqualTo(digest(rc));
            }
        }
    }

    /**
     * Commands that wait for the log to be written (BGREWRITEAOF, CONFIG SET appendonly no)
     * inside a transaction whose earlier writes hold a place in the log: they must not wait for
     * their own transaction.
     */
    @Test
    void logWaitsInsideATransactionDoNotWaitForItself() throws Exception {
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "appendonly", "yes");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            cc.call("MULTI");
            cc.call("SET", "a", "1");
            cc.call("BGREWRITEAOF");
            cc.call("BGSAVE");
            cc.call("SET", "b", "2");
            // inside EXEC a snapshot would hold half the transaction: both are scheduled, as Redis
            List<Resp> replies = Resp.parse(cc.call("EXEC")).children;
            assertThat(replies.get(1).text()).isEqualTo("Background append only file rewriting scheduled");
            assertThat(replies.get(2).text()).isEqualTo("Background saving scheduled");
            awaitRewrite(cc);
            assertThat(c.server().engine().persistence().awaitIdle(10_000)).isTrue();
            cc.call("MULTI");
            cc.call("SET", "c", "3");
            cc.call("CONFIG", "SET", "appendonly", "no");
            assertThat(Resp.parse(cc.call("EXEC")).children).hasSize(2);
            assertThat(cc.callText("GET", "b")).isEqualTo("2");
        }
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "appendonly", "yes");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            assertThat(cc.callText("GET", "a")).isEqualTo("1");
            assertThat(cc.callText("GET", "b")).isEqualTo("2");
        }
    }

    /** auto-aof-rewrite-*: the cron rewrites once the AOF grew past the minimum by the percentage. */
    @Test
    void theAofIsRewrittenWhenItGrows() throws Exception {
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "appendonly", "yes",
                "auto-aof-rewrite-min-size", "64kb", "auto-aof-rewrite-percentage", "100", "hz", "100");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            // write until the cron starts a rewrite (past 64 KB, the AOF has grown 100% over its start)
            long deadline = System.currentTimeMillis() + 10_000;
            // (stop once it has started: what is written during the rewrite lands in the new incremental file)
            for (int i = 0; !rewriteStarted(cc.callText("INFO", "persistence")); i++) {
                assertThat(System.currentTimeMillis()).as(cc.callText("INFO", "persistence")).isLessThan(deadline);
                cc.call("SET", "k" + (i % 10), "v".repeat(500));
            }
            awaitRewrite(cc);
            String info = cc.callText("INFO", "persistence");
            long size = Long.parseLong(info.replaceAll("(?s).*aof_current_size:(\\d+).*", "$1"));
            assertThat(size).as(info).isLessThan(64 * 1024);
            assertThat(cc.callText("GET", "k3")).isEqualTo("v".repeat(500));
        }
    }

    private static boolean rewriteStarted(String info) {
        return info.contains("aof_rewrites:1") || info.contains("aof_rewrite_in_progress:1");
    }

    /** CONFIG SET appendonly yes at run time: a rewrite makes the base, logging starts at its snapshot. */
    @Test
    void appendonlyTurnedOnAtRunTime() throws Exception {
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString());
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            fill(cc);
            assertThat(cc.callText("INFO", "persistence")).contains("aof_enabled:0");
            assertThat(cc.callText("CONFIG", "SET", "appendonly", "yes")).isEqualTo("OK");
            cc.call("SET", "during", "1");
            awaitRewrite(cc);
            cc.call("SET", "after", "2");
            assertThat(cc.callText("INFO", "persistence")).contains("aof_enabled:1");
            String d = digest(cc);
            Path aofDir = dir.resolve("appendonlydir");
            assertThat(checkAof(aofDir.resolve("appendonly.aof.manifest"))).contains("All AOF files and manifest are valid");
            try (RedisServerProcess loaded = RedisServerProcess.start("--dir", copyDir(aofDir, dir.resolve("copy")
                    .resolve("appendonlydir")).getParent().toString(), "--appendonly", "yes");
                 RawClient lc = new RawClient("127.0.0.1", loaded.port())) {
                assertThat(digest(lc)).isEqualTo(d);
            }
            assertThat(cc.callText("CONFIG", "SET", "appendonly", "no")).isEqualTo("OK");
            assertThat(cc.callText("INFO", "persistence")).contains("aof_enabled:0");
            // BGREWRITEAOF with appendonly no rewrites the files and leaves logging off, as Redis
            cc.call("SET", "while-off", "3");
            assertThat(cc.callText("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
            awaitRewrite(cc);
            assertThat(cc.callText("INFO", "persistence")).contains("aof_enabled:0").contains("aof_rewrites:2");
            cc.call("SET", "not-logged", "4");
            try (RedisServerProcess loaded = RedisServerProcess.start("--dir", copyDir(aofDir, dir.resolve("copy2")
                    .resolve("appendonlydir")).getParent().toString(), "--appendonly", "yes");
                 RawClient lc = new RawClient("127.0.0.1", loaded.port())) {
                assertThat(lc.callText("GET", "while-off")).isEqualTo("3");
                assertThat(lc.callText("EXISTS", "not-logged")).isEqualTo("0");
            }
        }
    }

    /**
     * appendfsync always: clients write, every acknowledged write is recorded, the server is killed
     * (SIGKILL) at a random moment, and after the restart every acknowledged write is there.
     */
    @Test
    void everyAcknowledgedWriteSurvivesKill9() throws Exception {
        Map<String, String> acked = new ConcurrentHashMap<>();
        long seed = System.nanoTime();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int round = 0; round < 3; round++) {
            String fsync = round == 2 ? "everysec" : "always";
            try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx256m"), "--appendonly", "yes",
                    "--appendfsync", fsync, "--save", "")) {
                // what earlier rounds acknowledged is all there
                try (RawClient c = s.client()) {
                    assertAcknowledged(c, acked, seed);
                }
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(6);
                List<Future<?>> fs = new ArrayList<>();
                int r = round;
                for (int t = 0; t < 6; t++) {
                    int thread = t;
                    fs.add(pool.submit(() -> {
                        try (RawClient c = s.client()) {
                            for (int i = 0; !stop.get(); i++) {
                                String k = "r" + r + ":t" + thread + ":" + (i % 50);
                                String v = Integer.toString(i);
                                String reply = c.callText("SET", k, v);
                                if ("OK".equals(reply)) {
                                    acked.put(k, v); // this thread alone writes k, in growing values
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            // the server was killed mid-request: that write was not acknowledged
                        }
                        return null;
                    }));
                }
                Thread.sleep(300 + rnd.nextInt(900));
                new ProcessBuilder("kill", "-9", Long.toString(s.pid())).start().waitFor(10, TimeUnit.SECONDS);
                assertThat(s.awaitExit(10_000)).isNotEqualTo(-1);
                stop.set(true);
                pool.shutdown();
                assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(acked).isNotEmpty();
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx256m"), "--appendonly", "yes", "--save", "");
             RawClient c = s.client()) {
            assertAcknowledged(c, acked, seed);
        }
    }

    /**
     * Each key holds its acknowledged value or a later one (a write the kill cut off after it was
     * applied and logged, before its reply arrived): values only grow per key.
     */
    private static void assertAcknowledged(RawClient c, Map<String, String> acked, long seed) throws IOException {
        for (Map.Entry<String, String> e : acked.entrySet()) {
            String v = c.callText("GET", e.getKey());
            assertThat(v).as("seed " + seed + " " + e.getKey()).isNotNull();
            assertThat(Long.parseLong(v)).as("seed " + seed + " " + e.getKey())
                    .isGreaterThanOrEqualTo(Long.parseLong(e.getValue()));
        }
    }

    /** A torn last command: cut off with aof-load-truncated yes (the default), refused with no. */
    @Test
    void aTornLastCommandIsCutOrRefused() throws Exception {
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "appendonly", "yes");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            cc.call("SET", "kept", "1");
        }
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        long whole = Files.size(incr);
        byte[] torn = "*3\r\n$3\r\nSET\r\n$4\r\ntorn\r\n$5\r\nval".getBytes(StandardCharsets.US_ASCII);
        Files.write(incr, torn, StandardOpenOption.APPEND);
        assertThat(Main.run(new String[] {"--port", String.valueOf(RedisServerProcess.freePort()), "--dir",
                dir.toString(), "--appendonly", "yes", "--aof-load-truncated", "no", "--logfile",
                dir.resolve("refused.log").toString()})).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("refused.log")))
                .contains("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof");
        assertThat(Files.size(incr)).isEqualTo(whole + torn.length);
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "appendonly", "yes");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            assertThat(cc.callText("GET", "kept")).isEqualTo("1");
            assertThat(cc.callText("EXISTS", "torn")).isEqualTo("0");
            cc.call("SET", "next", "2");
        }
        assertThat(checkAof(dir.resolve("appendonlydir").resolve("appendonly.aof.manifest")))
                .contains("All AOF files and manifest are valid");
        try (CachalotFixture c = CachalotFixture.start("dir", dir.toString(), "appendonly", "yes");
             RawClient cc = new RawClient("127.0.0.1", c.port())) {
            assertThat(cc.callText("GET", "kept")).isEqualTo("1");
            assertThat(cc.callText("GET", "next")).isEqualTo("2");
        }
        // garbage that is not a cut-off command is a format error, whatever aof-load-truncated says
        Files.write(incr, "GARBAGE\r\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        assertThat(Main.run(new String[] {"--port", String.valueOf(RedisServerProcess.freePort()), "--dir",
                dir.toString(), "--appendonly", "yes", "--logfile", dir.resolve("bad.log").toString()})).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("bad.log")))
                .contains("Bad file format reading the append only file appendonly.aof.1.incr.aof");
    }

    /** A disk that refuses the AOF's writes: MISCONF with the reason, INFO says so, nothing in memory lost. */
    @Test
    void aFailingDiskRefusesWritesAndKeepsTheData() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, 64, List.of("-Xmx256m"), "--appendonly", "yes", "--save", "");
             RawClient c = s.client()) {
            String value = "x".repeat(1000);
            String reply = "";
            int written = 0;
            for (int i = 0; i < 200 && !reply.startsWith("MISCONF"); i++) {
                reply = c.callText("SET", "k" + i, value);
                if (reply.equals("OK")) {
                    written = i + 1;
                }
            }
            assertThat(reply).isEqualTo("MISCONF Errors writing to the AOF file: File too large");
            assertThat(written).isGreaterThan(10);
            assertThat(c.callText("INFO", "persistence")).contains("aof_last_write_status:err");
            for (int i = 0; i < written; i++) {
                assertThat(c.callText("GET", "k" + i)).isEqualTo(value);
            }
            assertThat(s.awaitOutput("Error writing to the AOF file: File too large", 5_000)).isTrue();
        }
    }
}
