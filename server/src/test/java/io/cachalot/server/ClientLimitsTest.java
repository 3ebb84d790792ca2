package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client must not break the server: each test starts a server in a child JVM with a small
 * heap and drives one client past a limit — large replies it does not read, arguments without
 * end, bulks declared and never sent, arguments larger than the memory left — and checks that
 * the client gets a reply whole or is closed with Redis' log line, while the data, the other
 * clients and the accounted memory are as before.
 */
class ClientLimitsTest {
    private static final int MB = 1024 * 1024;

    @TempDir
    Path dir;

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(int size, int seed) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) (i * 31 + (i >>> 11) + seed);
        }
        return v;
    }

    private static String set(RawClient c, String key, byte[] value) throws IOException {
        return text(c.call(List.of(ascii("SET"), ascii(key), value)));
    }

    /** The server answers a new client, and the key planted before the incident is intact. */
    private static void assertHealthy(ServerProcess s) throws IOException {
        assertThat(s.isAlive()).as(s.output()).isTrue();
        try (RawClient c = s.client()) {
            assertThat(text(c.call("PING"))).isEqualTo("+PONG\r\n");
            assertThat(text(c.call("GET", "sentinel"))).isEqualTo("$5\r\nalive\r\n");
        }
        assertThat(s.output()).doesNotContain("OutOfMemoryError").doesNotContain("Out of memory");
    }

    private static void plantSentinel(ServerProcess s) throws IOException {
        try (RawClient c = s.client()) {
            assertThat(text(c.call("SET", "sentinel", "alive"))).isEqualTo("+OK\r\n");
        }
    }

    /** Client buffers are given back once the clients are gone (a little for the INFO client itself). */
    private static void assertClientMemoryReleased(ServerProcess s) throws Exception {
        assertThat(s.awaitInfo("mem_clients_normal", v -> v < 64 * 1024, 5000)).isLessThan(64 * 1024);
    }

    @Test
    void largeRepliesToAClientThatDoesNotReadArriveWhole() throws Exception {
        // 7 x 30 MB of replies is more than the direct memory the JVM may use: Netty copying each
        // whole value into direct memory cut replies short before.
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx192m", "-XX:MaxDirectMemorySize=64m"))) {
            plantSentinel(s);
            byte[] big = value(30 * MB, 7);
            try (RawClient c = s.client(); RawClient other = s.client()) {
                assertThat(set(c, "big", big)).isEqualTo("+OK\r\n");
                StringBuilder pipeline = new StringBuilder();
                for (int i = 0; i < 7; i++) {
                    pipeline.append("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
                }
                pipeline.append("*1\r\n$4\r\nPING\r\n");
                c.sendRaw(ascii(pipeline.toString()));
                Thread.sleep(1000);
                // waiting output is accounted to the client, and others are served meanwhile
                String list = text(other.call("CLIENT", "LIST"));
                assertThat(list).containsPattern("omem=[1-9]\\d{6,}");
                assertThat(text(other.call("PING"))).isEqualTo("+PONG\r\n");
                for (int i = 0; i < 7; i++) {
                    assertThat(Arrays.equals(c.readBulk(), big)).as("reply %d", i).isTrue();
                }
                assertThat(text(c.readReply())).isEqualTo("+PONG\r\n");
            }
            assertHealthy(s);
            assertClientMemoryReleased(s);
        }
    }

    @Test
    void outputBufferLimitsCloseTheClientAsRedisDoes() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx192m"),
                "--client-output-buffer-limit", "normal 32mb 2mb 1")) {
            plantSentinel(s);
            byte[] v = value(3 * MB, 1);
            try (RawClient c = s.client()) {
                assertThat(set(c, "v", v)).isEqualTo("+OK\r\n");
            }
            // over the hard limit at once: closed when the reply is added
            try (RawClient c = s.client()) {
                c.sendRaw(ascii("GET v\r\n".repeat(12)));
                assertThat(c.isClosedByServer(5000)).isTrue();
            }
            assertThat(s.awaitOutput("scheduled to be closed ASAP for overcoming of output buffer limits.", 5000))
                    .as(s.output()).isTrue();
            // over the soft limit only (more than the socket buffers take, not read): closed once it
            // lasted longer than its second, by the timer, as no command comes
            try (RawClient c = s.client(); RawClient admin = s.client()) {
                String id = text(c.call("CLIENT", "ID")).substring(1).trim();
                c.sendRaw(ascii("GET v\r\n".repeat(4)));
                Thread.sleep(300);
                assertThat(text(admin.call("CLIENT", "LIST", "ID", id))).contains("id=" + id);
                assertThat(s.awaitOutput("closed for overcoming of output buffer limits.", 5000)).as(s.output()).isTrue();
                assertThat(text(admin.call("CLIENT", "LIST", "ID", id))).doesNotContain("id=" + id);
                assertThat(c.isClosedByServer(5000)).isTrue();
            }
            assertThat(s.output()).containsPattern("Client id=\\d+ addr=127\\.0\\.0\\.1:\\d+ .*cmd=get .* scheduled");
            // a client that reads its replies is not disturbed
            try (RawClient c = s.client()) {
                for (int i = 0; i < 5; i++) {
                    assertThat(Arrays.equals(bulk(c, "v"), v)).isTrue();
                }
            }
            assertThat(s.info("client_output_buffer_limit_disconnections")).isEqualTo(2);
            assertHealthy(s);
            assertClientMemoryReleased(s);
        }
    }

    @Test
    void aSlowSubscriberIsClosedByThePubSubLimitAndOthersGetEveryMessage() throws Exception {
        // the normal class is unlimited (Redis' default): only a subscriber falls under pubsub's
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx192m"),
                "--client-output-buffer-limit", "pubsub 4mb 2mb 60")) {
            plantSentinel(s);
            byte[] message = value(MB, 7);
            try (RawClient slow = s.client(); RawClient reader = s.client(); RawClient publisher = s.client();
                 RawClient admin = s.client()) {
                String slowId = text(slow.call("CLIENT", "ID")).substring(1).trim();
                assertThat(text(slow.call("SUBSCRIBE", "news"))).startsWith("*3\r\n$9\r\nsubscribe\r\n");
                assertThat(text(reader.call("SUBSCRIBE", "news"))).startsWith("*3\r\n$9\r\nsubscribe\r\n");
                int sent = 0;
                int deliveredLast = 2;
                // the slow one reads nothing: more than the socket buffers hold piles up in the server
                while (sent < 40 && deliveredLast == 2) {
                    deliveredLast = Integer.parseInt(text(publisher.call(List.of(ascii("PUBLISH"), ascii("news"),
                            message))).substring(1).trim());
                    sent++;
                    byte[] got = reader.readReply();
                    assertThat(got.length).isGreaterThan(MB);
                    assertThat(Arrays.equals(Arrays.copyOfRange(got, got.length - MB - 2, got.length - 2), message))
                            .isTrue();
                }
                assertThat(s.awaitOutput("scheduled to be closed ASAP for overcoming of output buffer limits.", 5000))
                        .as(s.output()).isTrue();
                assertThat(slow.isClosedByServer(5000)).isTrue();
                assertThat(text(admin.call("CLIENT", "LIST", "ID", slowId))).doesNotContain("id=" + slowId);
                // the publisher and the reading subscriber go on
                assertThat(text(publisher.call("PUBLISH", "news", "after"))).isEqualTo(":1\r\n");
                assertThat(text(reader.readReply())).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nafter\r\n");
                assertThat(text(admin.call("PUBSUB", "NUMSUB", "news"))).isEqualTo("*2\r\n$4\r\nnews\r\n:1\r\n");
            }
            assertThat(s.info("client_output_buffer_limit_disconnections")).isEqualTo(1);
            assertHealthy(s);
            assertClientMemoryReleased(s);
        }
    }

    private static byte[] bulk(RawClient c, String key) throws IOException {
        c.send("GET", key);
        return c.readBulk();
    }

    @Test
    void argumentsWithoutEndCountTowardTheQueryBufferLimit() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx128m"))) {
            plantSentinel(s);
            // the client-query-buffer-limit setting: arguments count, not only unparsed bytes
            try (RawClient admin = s.client()) {
                admin.call("CONFIG", "SET", "client-query-buffer-limit", "1mb");
            }
            long sent = sendEmptyArgumentsUntilClosed(s, 64L * MB);
            // closed near 1 MB; what the client could still send before it saw the close is what
            // the kernel buffers hold (a send buffer of up to 4 MB here, the server's receive
            // buffer up to 32 MB but little of it in practice): 4 MB was once exceeded by 66 KB
            assertThat(sent).isLessThan(16L * MB);
            try (RawClient admin = s.client()) {
                admin.call("CONFIG", "SET", "client-query-buffer-limit", "1gb");
            }
            // the 1 GB default is more than this heap has: the heap bounds it
            sent = sendEmptyArgumentsUntilClosed(s, 400L * MB);
            assertThat(s.awaitOutput("past 80% of the JVM's maximum heap", 5000)).as(s.output()).isTrue();
            assertThat(s.output()).contains("Closing client that reached max query buffer length: id=")
                    .contains("(qbuf initial bytes: \"");
            assertThat(s.info("client_query_buffer_limit_disconnections")).isEqualTo(2);
            assertHealthy(s);
            assertClientMemoryReleased(s);
        }
    }

    /** Sends {@code *2147483647}, ECHO, then empty arguments until the server closes; returns the bytes sent. */
    private static long sendEmptyArgumentsUntilClosed(ServerProcess s, long most) throws IOException {
        byte[] block = ascii("$0\r\n\r\n".repeat(10_000));
        long sent = 0;
        try (RawClient c = s.client()) {
            c.sendRaw(ascii("*2147483647\r\n$4\r\nECHO\r\n"));
            try {
                while (sent < most) {
                    c.sendRaw(block);
                    sent += block.length;
                }
            } catch (IOException closed) {
                // the server closed the connection: what the test waits for
            }
            assertThat(c.isClosedByServer(10_000)).as("closed after %d bytes", sent).isTrue();
        }
        return sent;
    }

    @Test
    void declaredBulksTakeMemoryOnlyAsTheirBytesArrive() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx128m"))) {
            plantSentinel(s);
            List<RawClient> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    RawClient c = s.client();
                    idle.add(c);
                    c.sendRaw(ascii("*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$" + (64 * MB >> (i % 4)) + "\r\n"));
                }
                try (RawClient c = s.client()) {
                    assertThat(text(c.call("PING"))).isEqualTo("+PONG\r\n");
                }
                assertThat(s.info("mem_clients_normal")).isLessThan(2L * MB);
                // a client that sends part of its bulk holds about what it sent
                RawClient trickle = idle.get(0);
                trickle.sendRaw(new byte[8 * MB]);
                long held = s.awaitInfo("mem_clients_normal", v -> v >= 8L * MB, 5000);
                assertThat(held).isBetween(8L * MB, 20L * MB);
                assertHealthy(s);
            } finally {
                for (RawClient c : idle) {
                    c.close();
                }
            }
            assertClientMemoryReleased(s);
            try (RawClient c = s.client()) {
                assertThat(text(c.call("EXISTS", "q"))).isEqualTo(":0\r\n");
            }
            // a bulk the heap cannot hold with the rest: the client is closed once it gets there
            try (RawClient c = s.client()) {
                c.sendRaw(ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (120 * MB) + "\r\n"));
                byte[] chunk = new byte[MB];
                try {
                    for (int i = 0; i < 120; i++) {
                        c.sendRaw(chunk);
                    }
                } catch (IOException closed) {
                    // expected
                }
                assertThat(c.isClosedByServer(10_000)).isTrue();
            }
            assertThat(s.awaitOutput("Closing client that reached max query buffer length", 5000)).isTrue();
            assertHealthy(s);
            assertClientMemoryReleased(s);
        }
    }

    @Test
    void largeArgumentsAreDecidedFromAccountedMemory() throws Exception {
        // 512 MB heap: data up to 75% (384 MB), data and client buffers up to 80% (409 MB)
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx512m"))) {
            plantSentinel(s);
            // garbage other connections just left behind must not count
            for (int i = 0; i < 2; i++) {
                try (RawClient c = s.client()) {
                    assertThat(set(c, "garbage", value(150 * MB, i))).isEqualTo("+OK\r\n");
                    assertThat(text(c.call("DEL", "garbage"))).isEqualTo(":1\r\n");
                }
            }
            try (RawClient c = s.client()) {
                assertThat(set(c, "big1", value(250 * MB, 1))).isEqualTo("+OK\r\n");
                assertThat(set(c, "big2", value(100 * MB, 2))).isEqualTo("+OK\r\n");
                // the argument itself counts, as in Redis: 350 MB of data + 40 MB > 384 MB
                assertThat(set(c, "big3", value(40 * MB, 3)))
                        .isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
                assertThat(text(c.call("STRLEN", "big1"))).isEqualTo(":" + 250 * MB + "\r\n");
                assertThat(text(c.call("EXISTS", "big3"))).isEqualTo(":0\r\n");
            }
            // more than the heap can hold beside the data: that client is closed, nothing else changes
            try (RawClient c = s.client()) {
                c.send(List.of(ascii("SET"), ascii("big3"), value(120 * MB, 3)));
                assertThat(c.isClosedByServer(10_000)).isTrue();
            } catch (IOException closedWhileSending) {
                // the server closed the connection before the value was all sent
            }
            assertThat(s.awaitOutput("Closing client that reached max query buffer length", 5000)).isTrue();
            try (RawClient c = s.client()) {
                assertThat(text(c.call("STRLEN", "big2"))).isEqualTo(":" + 100 * MB + "\r\n");
                assertThat(text(c.call("DBSIZE"))).isEqualTo(":3\r\n");
            }
            assertHealthy(s);
            assertClientMemoryReleased(s);
        }
    }

    @Test
    void anOutOfMemoryErrorStopsTheProcess() throws Exception {
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx64m"), "--enable-debug-command", "yes")) {
            try (RawClient c = s.client()) {
                c.send("DEBUG", "OOM");
                assertThat(c.isClosedByServer(10_000)).isTrue();
            }
            assertThat(s.awaitExit(10_000)).as(s.output()).isEqualTo(1);
            assertThat(s.output()).contains("Out of memory in DEBUG OOM: java.lang.OutOfMemoryError: DEBUG OOM (simulated)")
                    .contains("exiting, to be restarted");
        }
    }
}
