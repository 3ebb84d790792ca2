package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protected mode (on by default, as in Redis): without a password, a connection from another
 * address than 127.0.0.1 or ::1 gets Redis' -DENIED text and is closed; with a password or with
 * protected-mode no it is served. The "other host" is 127.0.0.2, which Linux routes over the
 * loopback interface but which is not Redis' local address; compared with redis-server.
 */
class ProtectedModeTest {
    private static final String OTHER = "127.0.0.2";

    /** What a client connecting from {@code from} receives first (up to the close or a PING reply). */
    private static String firstReply(String from, int port) throws IOException {
        try (RawClient c = new RawClient("127.0.0.1", port, from)) {
            c.send("PING");
            return new String(c.readReply(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void deniesOtherHostsWithoutAPasswordAsRedis() throws Exception {
        String expected;
        try (RedisServerProcess redis = RedisServerProcess.start("--protected-mode", "yes")) {
            expected = firstReply(OTHER, redis.port());
        }
        assertThat(expected).startsWith("-DENIED Redis is running in protected mode");
        try (CachalotFixture f = CachalotFixture.start()) {
            assertThat(firstReply(OTHER, f.port())).isEqualTo(expected);
            assertThat(firstReply("127.0.0.1", f.port())).isEqualTo("+PONG\r\n");
            try (RawClient local = new RawClient("127.0.0.1", f.port())) {
                assertThat(new String(local.call("INFO", "stats"), StandardCharsets.US_ASCII))
                        .contains("rejected_connections:1");
                assertThat(new String(local.call("CONFIG", "SET", "protected-mode", "no"), StandardCharsets.US_ASCII))
                        .isEqualTo("+OK\r\n");
            }
            assertThat(firstReply(OTHER, f.port())).isEqualTo("+PONG\r\n");
        }
        try (CachalotFixture f = CachalotFixture.start("requirepass", "secret")) {
            assertThat(firstReply(OTHER, f.port())).startsWith("-NOAUTH");
        }
    }
}
