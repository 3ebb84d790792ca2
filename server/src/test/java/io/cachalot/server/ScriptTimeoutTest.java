package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long scripts against redis-server and Cachalot, the same scenario on both: other clients get
 * -BUSY once busy-reply-threshold passed, SCRIPT KILL and FUNCTION KILL stop read-only runs (and
 * answer NOTBUSY, UNKILLABLE or the other kind's BUSY otherwise), and the server goes on.
 */
class ScriptTimeoutTest {
    private static final String SPIN = "local i = 0 while true do i = i + 1 end";

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The replies of a scenario, in order. */
    private static List<String> scenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient a = new RawClient("127.0.0.1", port);
             RawClient b = new RawClient("127.0.0.1", port)) {
            b.call("CONFIG", "SET", "busy-reply-threshold", "100");
            out.add(text(b.call("SCRIPT", "KILL")));
            // a read-only script, killed
            a.send("EVAL", SPIN, "0");
            awaitBusy(b);
            out.add(text(b.call("GET", "x")));
            out.add(text(b.call("FUNCTION", "KILL")));
            out.add(text(b.call("FUNCTION", "STATS")).startsWith("-BUSY") ? "stats busy" : "stats answered");
            out.add(text(b.call("SCRIPT", "KILL")));
            out.add(text(a.readReply()));
            out.add(text(b.call("PING")));
            // a function, killed by FUNCTION KILL
            b.call("FUNCTION", "LOAD", "REPLACE", "#!lua name=spin\nredis.register_function{function_name='spin', "
                    + "callback=function() " + SPIN + " end, flags={'no-writes'}}");
            a.send("FCALL", "spin", "0");
            awaitBusy(b);
            out.add(text(b.call("SCRIPT", "KILL")));
            out.add(text(b.call("FUNCTION", "KILL")));
            out.add(text(a.readReply()));
            // kills a script that catches errors with pcall
            a.send("EVAL", "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end", "0");
            awaitBusy(b);
            out.add(text(b.call("SCRIPT", "KILL")));
            out.add(text(a.readReply()));
            out.add(text(a.call("PING")));
        }
        return out;
    }

    private static void awaitBusy(RawClient b) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!text(b.call("PING")).startsWith("-BUSY")) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void busyScriptsAreAnsweredAndKilledAsRedisDoes() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start();
             CachalotFixture c = CachalotFixture.start()) {
            List<String> expected = scenario(reference.port());
            assertThat(scenario(c.port())).isEqualTo(expected);
            assertThat(expected.get(1)).startsWith("-BUSY");
        }
    }

    /** A script that wrote cannot be killed; closing the server stops it (Redis: SHUTDOWN NOSAVE). */
    @Test
    void aScriptThatWroteIsUnkillable() throws Exception {
        String expected;
        try (RedisServerProcess reference = RedisServerProcess.start()) {
            expected = unkillable(reference.port());
        }
        String actual;
        CachalotFixture c = CachalotFixture.start();
        try {
            actual = unkillable(c.port());
        } finally {
            c.close(); // stops the spinning script with the engine
        }
        assertThat(actual).isEqualTo(expected).startsWith("-UNKILLABLE");
    }

    private static String unkillable(int port) throws Exception {
        try (RawClient a = new RawClient("127.0.0.1", port);
             RawClient b = new RawClient("127.0.0.1", port)) {
            b.call("CONFIG", "SET", "busy-reply-threshold", "100");
            a.send("EVAL", "redis.call('set', 'x', '1') " + SPIN, "0");
            awaitBusy(b);
            String reply = text(b.call("SCRIPT", "KILL"));
            b.send("SHUTDOWN", "NOSAVE");
            return reply;
        }
    }
}
