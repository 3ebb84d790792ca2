package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pub/sub over several connections, the same scenario against redis-server and Cachalot, byte for
 * byte: subscription confirmations, the RESP2 subscribed state (its refusals and PING's shape),
 * messages of channels, patterns and shard channels, PUBSUB introspection, unsubscribing, and
 * RESP3 pushes — a client's own message before its PUBLISH reply.
 */
class PubSubTest {
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static List<String> scenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient a = new RawClient("127.0.0.1", port);
             RawClient b = new RawClient("127.0.0.1", port);
             RawClient c = new RawClient("127.0.0.1", port)) {
            a.send("SUBSCRIBE", "ch1", "ch2");
            out.add(text(a.readReply()));
            out.add(text(a.readReply()));
            a.send("PSUBSCRIBE", "ch*");
            out.add(text(a.readReply()));
            out.add(text(a.call("GET", "x")));
            out.add(text(a.call("PING")));
            out.add(text(a.call("PING", "hi")));
            a.send("SSUBSCRIBE", "sh");
            out.add(text(a.readReply()));
            out.add(text(b.call("PUBLISH", "ch1", "hello")));
            out.add(text(b.call("PUBLISH", "chX", "m")));
            out.add(text(b.call("PUBLISH", "none", "m")));
            out.add(text(b.call("SPUBLISH", "sh", "s")));
            for (int i = 0; i < 4; i++) {
                out.add(text(a.readReply())); // message, pmessage, pmessage, smessage
            }
            List<String> channels = new ArrayList<>(List.of(text(b.call("PUBSUB", "CHANNELS")).split("\r\n")));
            java.util.Collections.sort(channels); // Redis lists them in hash order
            out.add(String.join("|", channels));
            out.add(text(b.call("PUBSUB", "CHANNELS", "ch?")).length() + " bytes");
            out.add(text(b.call("PUBSUB", "NUMSUB", "ch1", "x")));
            out.add(text(b.call("PUBSUB", "NUMPAT")));
            out.add(text(b.call("PUBSUB", "SHARDCHANNELS")));
            out.add(text(b.call("PUBSUB", "SHARDNUMSUB", "sh")));
            out.add(text(b.call("INFO", "stats")).lines().filter(l -> l.startsWith("pubsub")).toList().toString());
            out.add(text(a.call("UNSUBSCRIBE", "ch1")));
            a.send("UNSUBSCRIBE");
            out.add(text(a.readReply()));
            out.add(text(a.call("PUNSUBSCRIBE")));
            out.add(text(a.call("SUNSUBSCRIBE")));
            out.add(text(a.call("UNSUBSCRIBE")));
            out.add(text(a.call("GET", "x")));
            // RESP3: pushes beside replies on one connection
            c.call("HELLO", "3");
            out.add(text(c.call("SUBSCRIBE", "r3")));
            out.add(text(c.call("GET", "x")));
            c.send("PUBLISH", "r3", "self");
            out.add(text(c.readReply()));
            out.add(text(c.readReply()));
            out.add(text(b.call("PUBLISH", "r3", "other")));
            out.add(text(c.readReply()));
            out.add(text(c.call("PING")));
            out.add(text(c.call("RESET")));
            out.add(text(b.call("PUBSUB", "NUMSUB", "r3")));
        }
        return out;
    }

    @Test
    void pubSubAsRedisDoesIt() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start();
             CachalotFixture c = CachalotFixture.start()) {
            List<String> expected = scenario(reference.port());
            assertThat(scenario(c.port())).isEqualTo(expected);
        }
    }
}
