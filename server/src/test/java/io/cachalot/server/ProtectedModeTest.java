package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protected mode (on by default, as in Redis): without a password, a connection from another
 * address than the loopback one gets Redis' -DENIED text and is closed; with a password or with
 * protected-mode no it is served. Compared with redis-server listening on all addresses.
 */
class ProtectedModeTest {
    /** An IPv4 address of this host other than the loopback one (the "other computer"). */
    private static String externalAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        Assumptions.assumeTrue(false, "this host has no address but the loopback one");
        return null;
    }

    /** What a client connecting from {@code host} receives first (up to the close or a PING reply). */
    private static String firstReply(String host, int port) throws IOException {
        try (RawClient c = new RawClient(host, port)) {
            c.send("PING");
            return new String(c.readReply(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void deniesOtherHostsWithoutAPasswordAsRedis() throws Exception {
        String external = externalAddress();
        String expected;
        try (RedisServerProcess redis = RedisServerProcess.start("--bind", "0.0.0.0", "--protected-mode", "yes")) {
            expected = firstReply(external, redis.port());
        }
        assertThat(expected).startsWith("-DENIED Redis is running in protected mode");
        try (CachalotFixture f = CachalotFixture.start("bind", "0.0.0.0")) {
            assertThat(firstReply(external, f.port())).isEqualTo(expected);
            assertThat(firstReply("127.0.0.1", f.port())).isEqualTo("+PONG\r\n");
            try (RawClient local = new RawClient("127.0.0.1", f.port())) {
                assertThat(new String(local.call("INFO", "stats"), StandardCharsets.US_ASCII))
                        .contains("rejected_connections:1");
                assertThat(new String(local.call("CONFIG", "SET", "protected-mode", "no"), StandardCharsets.US_ASCII))
                        .isEqualTo("+OK\r\n");
            }
            assertThat(firstReply(external, f.port())).isEqualTo("+PONG\r\n");
        }
        try (CachalotFixture f = CachalotFixture.start("bind", "0.0.0.0", "requirepass", "secret")) {
            assertThat(firstReply(external, f.port())).startsWith("-NOAUTH");
        }
    }
}
