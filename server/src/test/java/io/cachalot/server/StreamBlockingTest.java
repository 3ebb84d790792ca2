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
 * leaves it waiting, a RESP3 map reply, and the timeout's null reply.
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

    @Test
    void blockedReadsAsRedisServesThem() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start(); CachalotFixture cachalot = CachalotFixture.start()) {
            List<String> expected = scenario(reference.port());
            assertThat(expected.get(1)).contains("2-1");
            assertThat(scenario(cachalot.port())).isEqualTo(expected);
        }
    }
}
