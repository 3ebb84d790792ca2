package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad and hostile input on the network side: limits, disconnects in the middle of a command,
 * oversized requests, and the connection-level settings (maxclients, timeout). In every case the
 * server keeps serving other clients and loses no data.
 */
class ConnectionRobustnessTest extends CachalotTestBase {
    @AfterEach
    void restoreConfig() throws IOException {
        try (RawClient c = client()) {
            c.call("CONFIG", "SET", "maxclients", "10000", "timeout", "0", "proto-max-bulk-len", "512mb",
                    "client-query-buffer-limit", "1gb");
            c.call("CLIENT", "UNPAUSE");
            c.call("FLUSHALL");
        }
    }

    private static RawClient client() throws IOException {
        return new RawClient("127.0.0.1", server.port());
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    /** The server still answers a fresh client and still holds the key set before the incident. */
    private static void assertHealthy() throws IOException {
        try (RawClient c = client()) {
            assertThat(text(c.call("PING"))).isEqualTo("+PONG\r\n");
            assertThat(text(c.call("GET", "survivor"))).isEqualTo("$5\r\nalive\r\n");
        }
    }

    private static void plantSurvivor() throws IOException {
        try (RawClient c = client()) {
            c.call("SET", "survivor", "alive");
        }
    }

    @Test
    void disconnectInTheMiddleOfACommandChangesNothing() throws Exception {
        plantSurvivor();
        try (RawClient c = client()) {
            c.sendRaw("*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$100\r\nonly-part".getBytes(StandardCharsets.US_ASCII));
        }
        try (RawClient c = client()) {
            c.sendRaw("*3\r\n$3\r\nSET\r\n$4\r\nbig!\r\n$1000000\r\n".getBytes(StandardCharsets.US_ASCII));
            c.sendRaw(new byte[500_000]);
        }
        Thread.sleep(100);
        try (RawClient c = client()) {
            assertThat(text(c.call("EXISTS", "half", "big!"))).isEqualTo(":0\r\n");
        }
        assertHealthy();
    }

    @Test
    void largeValuesRoundTripIntact() throws Exception {
        byte[] big = new byte[20 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 13));
        }
        try (RawClient c = client()) {
            byte[] ok = c.call(List.of("SET".getBytes(StandardCharsets.US_ASCII), "big".getBytes(StandardCharsets.US_ASCII), big));
            assertThat(text(ok)).isEqualTo("+OK\r\n");
            byte[] r = c.call("GET", "big");
            String header = "$" + big.length + "\r\n";
            assertThat(text(Arrays.copyOf(r, header.length()))).isEqualTo(header);
            assertThat(Arrays.copyOfRange(r, header.length(), header.length() + big.length)).isEqualTo(big);
            assertThat(text(c.call("STRLEN", "big"))).isEqualTo(":" + big.length + "\r\n");
        }
    }

    @Test
    void bulkLongerThanProtoMaxBulkLenIsRefused() throws Exception {
        plantSurvivor();
        try (RawClient c = client()) {
            c.call("CONFIG", "SET", "proto-max-bulk-len", "1mb");
            c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(text(c.readReply())).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            assertThat(c.isClosedByServer(2000)).isTrue();
        }
        assertHealthy();
    }

    @Test
    void queryBufferLimitClosesTheClient() throws Exception {
        plantSurvivor();
        try (RawClient c = client()) {
            c.call("CONFIG", "SET", "client-query-buffer-limit", "1mb");
            c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                for (int i = 0; i < 40; i++) {
                    c.sendRaw(new byte[64 * 1024]);
                }
            } catch (IOException expected) {
                // the server closed the connection while we were still writing
            }
            assertThat(c.isClosedByServer(2000)).isTrue();
        }
        assertHealthy();
        try (RawClient c = client()) {
            assertThat(text(c.call("INFO", "stats"))).contains("client_query_buffer_limit_disconnections:1");
        }
    }

    @Test
    void overlongInlineRequestIsRefused() throws Exception {
        plantSurvivor();
        try (RawClient c = client()) {
            byte[] line = new byte[70 * 1024];
            Arrays.fill(line, (byte) 'a');
            c.sendRaw(line);
            assertThat(text(c.readReply())).isEqualTo("-ERR Protocol error: too big inline request\r\n");
            assertThat(c.isClosedByServer(2000)).isTrue();
        }
        assertHealthy();
    }

    @Test
    void garbageDoesNotHurtOtherClients() throws Exception {
        plantSurvivor();
        try (RawClient c = client()) {
            byte[] junk = new byte[4096];
            new java.util.Random(42).nextBytes(junk);
            junk[0] = '*';
            junk[1] = 'z';
            c.sendRaw(junk);
            assertThat(text(c.readReply())).startsWith("-ERR Protocol error");
            assertThat(c.isClosedByServer(2000)).isTrue();
        }
        assertHealthy();
    }

    @Test
    void bigPipelineInOneWriteGetsEveryReplyInOrder() throws Exception {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        for (int i = 0; i < 5000; i++) {
            req.writeBytes(RawClient.encode(List.of("INCR".getBytes(StandardCharsets.US_ASCII),
                    "p".getBytes(StandardCharsets.US_ASCII))));
        }
        try (RawClient c = client()) {
            c.sendRaw(req.toByteArray());
            for (int i = 1; i <= 5000; i++) {
                assertThat(text(c.readReply())).isEqualTo(":" + i + "\r\n");
            }
        }
    }

    @Test
    void commandSplitAcrossManyWrites() throws Exception {
        byte[] cmd = RawClient.encode(List.of("SET".getBytes(StandardCharsets.US_ASCII),
                "split".getBytes(StandardCharsets.US_ASCII), new byte[100_000]));
        try (RawClient c = client()) {
            for (int i = 0; i < cmd.length; i += 777) {
                c.sendRaw(Arrays.copyOfRange(cmd, i, Math.min(cmd.length, i + 777)));
            }
            assertThat(text(c.readReply())).isEqualTo("+OK\r\n");
            assertThat(text(c.call("STRLEN", "split"))).isEqualTo(":100000\r\n");
        }
    }

    @Test
    void maxclientsRefusesExtraConnections() throws Exception {
        try (RawClient admin = client()) {
            admin.call("CONFIG", "SET", "maxclients", "2");
            try (RawClient second = client()) {
                assertThat(text(second.call("PING"))).isEqualTo("+PONG\r\n");
                try (RawClient third = client()) {
                    assertThat(text(third.readReply())).isEqualTo("-ERR max number of clients reached\r\n");
                    assertThat(third.isClosedByServer(2000)).isTrue();
                }
            }
            assertThat(text(admin.call("INFO", "stats"))).contains("rejected_connections:");
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (RawClient admin = client(); RawClient idle = client()) {
            assertThat(text(idle.call("PING"))).isEqualTo("+PONG\r\n");
            admin.call("CONFIG", "SET", "timeout", "1");
            assertThat(idle.isClosedByServer(4000)).isTrue();
        }
        try (RawClient fresh = client()) {
            assertThat(text(fresh.call("CONFIG", "SET", "timeout", "0"))).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void clientKillClosesTheOtherConnection() throws Exception {
        try (RawClient killer = client(); RawClient victim = client()) {
            String id = text(victim.call("CLIENT", "ID")).substring(1).trim();
            assertThat(text(killer.call("CLIENT", "LIST", "ID", id))).contains("id=" + id);
            assertThat(text(killer.call("CLIENT", "KILL", "ID", id))).isEqualTo(":1\r\n");
            assertThat(victim.isClosedByServer(2000)).isTrue();
            assertThat(text(killer.call("CLIENT", "KILL", "ID", id))).isEqualTo(":0\r\n");
        }
    }

    @Test
    void clientPauseHoldsWritesUntilItEnds() throws Exception {
        try (RawClient admin = client(); RawClient writer = client(); RawClient reader = client()) {
            admin.call("SET", "k", "before");
            assertThat(text(admin.call("CLIENT", "PAUSE", "400", "WRITE"))).isEqualTo("+OK\r\n");
            long start = System.nanoTime();
            writer.send("SET", "k", "after");
            assertThat(text(reader.call("GET", "k"))).isEqualTo("$6\r\nbefore\r\n");
            assertThat(text(writer.readReply())).isEqualTo("+OK\r\n");
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(waitedMs).isGreaterThanOrEqualTo(300);
            assertThat(text(reader.call("GET", "k"))).isEqualTo("$5\r\nafter\r\n");

            // PAUSE ALL holds every client's commands, CLIENT UNPAUSE included (as in Redis).
            admin.call("CLIENT", "PAUSE", "400", "ALL");
            reader.send("GET", "k");
            admin.send("CLIENT", "UNPAUSE");
            assertThat(reader.quietFor(200)).isTrue();
            assertThat(text(admin.readReply())).isEqualTo("+OK\r\n");
            assertThat(text(reader.readReply())).isEqualTo("$5\r\nafter\r\n");
        }
    }

    @Test
    void monitorSeesOtherClientsCommands() throws Exception {
        try (RawClient mon = client(); RawClient c = client()) {
            assertThat(text(mon.call("MONITOR"))).isEqualTo("+OK\r\n");
            c.call("SET", "watched", "v\n1");
            c.call("AUTH", "default", "secret-ish");
            String line = text(mon.readReply());
            assertThat(line).matches("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] \"SET\" \"watched\" \"v\\\\n1\"\r\n");
            assertThat(text(mon.readReply())).contains("\"AUTH\" \"(redacted)\" \"(redacted)\"");
        }
    }

    @Test
    void quitClosesAfterTheReply() throws Exception {
        try (RawClient c = client()) {
            c.sendRaw("SET q 1\r\nQUIT\r\nSET q 2\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(text(c.readReply())).isEqualTo("+OK\r\n");
            assertThat(text(c.readReply())).isEqualTo("+OK\r\n");
            assertThat(c.isClosedByServer(2000)).isTrue();
        }
        try (RawClient c = client()) {
            assertThat(text(c.call("GET", "q"))).isEqualTo("$1\r\n1\r\n");
        }
    }
}
