package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XREAD BLOCK against Cachalot exactly as against redis-server: "$" fixed to the last id when the
 * client starts waiting, a stream created by the XADD that wakes it, a key deleted and turned into
 * a list that does not wake it, several XADDs in one transaction served with COUNT, an XDEL that
 * leaves it waiting, a RESP3 map reply, and the timeout's null reply. XREADGROUP BLOCK likewise:
 * readers of one group served in the order they blocked, one entry each, COUNT over a transaction,
 * NOACK, and the errors of a reader whose group is destroyed (-NOGROUP) or whose stream is deleted,
 * overwritten or flushed (-UNBLOCKED), counted as failed calls.
 */
class StreamBlockingTest {
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static List<String> scenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient a = new RawClient("127.0.0.1", port); RawClient b = new RawClient("127.0.0.1", port)) {
            b.call("FLUSHALL");
            b.call("XADD", "s", "1-1", "a", "1");
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            Thread.sleep(150);
            out.add(text(b.call("XADD", "s", "2-1", "b", "2")));
            out.add(text(a.readReply()));

            a.send("XREAD", "BLOCK", "0", "STREAMS", "new", "other", "$", "0");
            Thread.sleep(150);
            out.add(text(b.call("XADD", "new", "1-1", "c", "3")));
            out.add(text(a.readReply()));

            a.send("XREAD", "BLOCK", "400", "STREAMS", "s", "$");
            Thread.sleep(100);
            b.call("MULTI");
            b.call("XADD", "s", "3-1", "d", "4");
            b.call("DEL", "s");
            b.call("LPUSH", "s", "x");
            out.add(text(b.call("EXEC")));
            out.add(text(a.readReply()));

            b.call("DEL", "s");
            a.send("XREAD", "BLOCK", "0", "COUNT", "2", "STREAMS", "q", "0");
            Thread.sleep(150);
            b.call("MULTI");
            b.call("XADD", "q", "1-1", "a", "1");
            b.call("XADD", "q", "1-2", "a", "2");
            b.call("XADD", "q", "1-3", "a", "3");
            out.add(text(b.call("EXEC")));
            out.add(text(a.readReply()));

            a.send("XREAD", "BLOCK", "300", "STREAMS", "q", "$");
            Thread.sleep(100);
            out.add(text(b.call("XDEL", "q", "1-3")));
            out.add(text(a.readReply()));

            a.call("HELLO", "3");
            a.send("XREAD", "BLOCK", "0", "STREAMS", "q", "$");
            Thread.sleep(150);
            out.add(text(b.call("XADD", "q", "9-9", "z", "z")));
            out.add(text(a.readReply()));
            out.add(text(a.call("XREAD", "BLOCK", "50", "STREAMS", "q", "$")));
        }
        return out;
    }

    private static List<String> groupScenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient alice = new RawClient("127.0.0.1", port); RawClient bob = new RawClient("127.0.0.1", port);
             RawClient w = new RawClient("127.0.0.1", port)) {
            w.call("FLUSHALL");
            w.call("CONFIG", "RESETSTAT");
            w.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            alice.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            Thread.sleep(100);
            bob.send("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">");
            Thread.sleep(100);
            out.add(text(w.call("XADD", "s", "1-1", "a", "1")));
            out.add(text(alice.readReply()));
            out.add(text(w.call("XADD", "s", "1-2", "a", "2")));
            out.add(text(bob.readReply()));

            alice.send("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">");
            Thread.sleep(100);
            w.call("MULTI");
            w.call("XADD", "s", "2-1", "b", "1");
            w.call("XADD", "s", "2-2", "b", "2");
            out.add(text(w.call("EXEC")));
            out.add(text(alice.readReply()));
            out.add(text(w.call("XPENDING", "s", "g")));

            bob.send("XREADGROUP", "GROUP", "g", "bob", "NOACK", "BLOCK", "0", "STREAMS", "s", ">");
            Thread.sleep(100);
            out.add(text(bob.readReply())); // 2-2 was there already: served at once
            bob.send("XREADGROUP", "GROUP", "g", "carol", "NOACK", "BLOCK", "0", "STREAMS", "s", ">");
            Thread.sleep(100);
            out.add(text(w.call("XADD", "s", "3-1", "c", "1")));
            out.add(text(bob.readReply()));
            out.add(text(w.call("XPENDING", "s", "g")));
            out.add(text(w.call("XINFO", "GROUPS", "s")));

            alice.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            Thread.sleep(100);
            out.add(text(w.call("XGROUP", "DESTROY", "s", "g")));
            out.add(text(alice.readReply()));

            for (String[] end : new String[][] {{"DEL", "s"}, {"SET", "s", "x"}, {"FLUSHALL"}}) {
                w.call("DEL", "s");
                w.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
                alice.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
                Thread.sleep(100);
                out.add(text(w.call(end)));
                out.add(text(alice.readReply()));
            }
            w.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            out.add(text(alice.call("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "100", "STREAMS", "s", ">")));
            String stats = text(w.call("INFO", "commandstats"));
            for (String line : stats.split("\r\n")) {
                if (line.startsWith("cmdstat_xreadgroup:")) {
                    out.add(line.replaceAll("usec=[0-9]+,usec_per_call=[0-9.]+,", ""));
                }
            }
        }
        return out;
    }

    /** WATCH of a stream across each stream command from another client: EXEC's answer, as redis-server's. */
    private static List<String> watchScenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient a = new RawClient("127.0.0.1", port); RawClient b = new RawClient("127.0.0.1", port)) {
            a.call("FLUSHALL");
            a.call("XADD", "s", "1-1", "f", "v");
            a.call("XGROUP", "CREATE", "s", "g", "0");
            String[][] commands = {
                {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"},
                {"XACK", "s", "g", "1-1"}, {"XGROUP", "CREATECONSUMER", "s", "g", "c9"}, {"XGROUP", "SETID", "s", "g", "0"},
                {"XCLAIM", "s", "g", "c2", "0", "1-1", "FORCE"}, {"XAUTOCLAIM", "s", "g", "c3", "0", "0"},
                {"XGROUP", "DELCONSUMER", "s", "g", "c9"}, {"XGROUP", "CREATE", "s", "g2", "$"}, {"XGROUP", "DESTROY", "s", "g2"},
                {"XADD", "s", "2-1", "f", "v"}, {"XDEL", "s", "2-1"}, {"XTRIM", "s", "MAXLEN", "0"},
            };
            for (String[] cmd : commands) {
                a.call("WATCH", "s");
                a.call("MULTI");
                a.call("PING");
                b.call(cmd);
                out.add(cmd[0] + " " + cmd[1] + ": " + text(a.call("EXEC")));
            }
        }
        return out;
    }

    @Test
    void groupBookkeepingLeavesWatchAsRedisDoes() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start(); CachalotFixture cachalot = CachalotFixture.start()) {
            List<String> expected = watchScenario(reference.port());
            assertThat(expected.get(0)).endsWith("PONG\r\n");
            assertThat(watchScenario(cachalot.port())).isEqualTo(expected);
        }
    }

    @Test
    void blockedGroupReadsAsRedisServesThem() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start(); CachalotFixture cachalot = CachalotFixture.start()) {
            List<String> expected = groupScenario(reference.port());
            assertThat(expected.get(1)).contains("1-1");
            assertThat(String.join("\n", expected)).contains("NOGROUP").contains("UNBLOCKED").contains("failed_calls=4");
            assertThat(groupScenario(cachalot.port())).isEqualTo(expected);
        }
    }

    @Test
    void blockedReadsAsRedisServesThem() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start(); CachalotFixture cachalot = CachalotFixture.start()) {
            List<String> expected = scenario(reference.port());
            assertThat(expected.get(1)).contains("2-1");
            assertThat(scenario(cachalot.port())).isEqualTo(expected);
        }
    }
}
