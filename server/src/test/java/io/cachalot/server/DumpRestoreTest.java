package io.cachalot.server;

import io.cachalot.core.persist.rdb.Crc64;
import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.Resp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DUMP and RESTORE against a real redis-server: every type and encoding dumped by Redis restores
 * in Cachalot with the same content and encoding, Cachalot's payloads restore in Redis with the
 * same digest, and the options and every error answer as Redis does, byte for byte.
 */
class DumpRestoreTest extends ReferenceTestBase {
    private RawClient r;
    private RawClient c;

    @BeforeEach
    void connect() throws IOException {
        r = new RawClient("127.0.0.1", redis.port());
        c = new RawClient("127.0.0.1", cachalot.port());
        r.call("FLUSHALL");
        c.call("FLUSHALL");
    }

    private static String bigText(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < n; i++) {
            sb.append("text-").append(i % 17).append(' ');
        }
        return sb.substring(0, n);
    }

    /** The same commands on both servers. */
    private void both(String... cmd) throws IOException {
        assertThat(Resp.parse(c.call(cmd)).text()).as(String.join(" ", cmd)).isEqualTo(Resp.parse(r.call(cmd)).text());
    }

    private List<String> setUp() throws IOException {
        both("SET", "str", "hello");
        both("SET", "int", "12345");
        both("SET", "neg", "-70000");
        both("SET", "long", "5000000000");
        both("SET", "zero-led", "007");
        both("SET", "big", bigText(5000));
        both("SET", "random", "q9!Zx#2");
        both("SET", "empty", "");
        both("RPUSH", "list", "a", "1", "-300", "70000", "-9000000", "5000000000", bigText(70), "");
        both("SADD", "set16", "1", "2", "-5");
        both("SADD", "set32", "1", "100000", "-100000");
        both("SADD", "set64", "1", "5000000000");
        both("SADD", "sset", "a", "b", "c");
        both("HSET", "hash", "f1", "v1", "f2", "2", "f3", "-4096");
        both("HSET", "longhash", "f", bigText(100));
        both("ZADD", "zset", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "-inf", "e", "0.1", "f");
        both("ZADD", "longz", "1", bigText(80));
        for (int i = 0; i < 300; i++) {
            both("RPUSH", "biglist", "item" + i, bigText(i % 90));
            both("HSET", "bighash", "f" + i, bigText(i % 60));
            both("ZADD", "bigz", String.valueOf(i * 1.5), "m" + i);
            both("SADD", "bigset", "m" + i);
            both("SADD", "bigintset", String.valueOf(i * 7));
        }
        for (int i = 0; i < 600; i++) {
            both("SADD", "hugeintset", String.valueOf(i));
        }
        return List.of("str", "int", "neg", "long", "zero-led", "big", "random", "empty", "list", "set16", "set32",
                "set64", "sset", "hash", "longhash", "zset", "longz", "biglist", "bighash", "bigz", "bigset",
                "bigintset", "hugeintset");
    }

    private static String content(RawClient x, String key) throws IOException {
        String type = Resp.parse(x.call("TYPE", key)).text();
        switch (type) {
            case "string":
                return Resp.parse(x.call("GET", key)).text();
            case "list":
                return Resp.parse(x.call("LRANGE", key, "0", "-1")).text();
            case "set":
                return Resp.parse(x.call("SMEMBERS", key)).sorted().text();
            case "hash":
                return Resp.parse(x.call("HGETALL", key)).sortedPairs().text();
            case "zset":
                return Resp.parse(x.call("ZRANGE", key, "0", "-1", "WITHSCORES")).text();
            default:
                return type;
        }
    }

    private static byte[] dump(RawClient x, String key) throws IOException {
        x.send("DUMP", key);
        return x.readBulk();
    }

    private static byte[] restore(RawClient x, String key, byte[] payload, String... options) throws IOException {
        List<byte[]> args = new ArrayList<>();
        for (String s : List.of("RESTORE", key, "0")) {
            args.add(s.getBytes(StandardCharsets.UTF_8));
        }
        args.add(payload);
        for (String o : options) {
            args.add(o.getBytes(StandardCharsets.UTF_8));
        }
        return x.call(args);
    }

    @Test
    void everyTypeAndEncodingTravelsBothWays() throws IOException {
        for (String k : setUp()) {
            byte[] fromRedis = dump(r, k);
            byte[] fromCachalot = dump(c, k);
            assertThat(Resp.parse(restore(c, "r:" + k, fromRedis)).text()).as(k).isEqualTo("OK");
            assertThat(Resp.parse(restore(r, "c:" + k, fromCachalot)).text()).as(k).isEqualTo("OK");
            String expected = content(r, k);
            assertThat(content(c, "r:" + k)).as("Redis' payload of %s restored in Cachalot", k).isEqualTo(expected);
            assertThat(content(r, "c:" + k)).as("Cachalot's payload of %s restored in Redis", k).isEqualTo(expected);
            String encoding = Resp.parse(r.call("OBJECT", "ENCODING", k)).text();
            assertThat(Resp.parse(c.call("OBJECT", "ENCODING", "r:" + k)).text()).as(k).isEqualTo(encoding);
            assertThat(Resp.parse(r.call("OBJECT", "ENCODING", "c:" + k)).text()).as(k).isEqualTo(encoding);
            assertThat(Resp.parse(r.call("DEBUG", "DIGEST-VALUE", "c:" + k)).text()).as(k)
                    .isEqualTo(Resp.parse(r.call("DEBUG", "DIGEST-VALUE", k)).text());
        }
    }

    @Test
    void payloadsOfSmallValuesAreRedisOwnBytes() throws IOException {
        for (String k : List.of("str", "int", "neg", "long", "empty", "list", "set16", "set32", "hash", "zset")) {
            setUpOnce();
            assertThat(dump(c, k)).as(k).isEqualTo(dump(r, k));
        }
    }

    private boolean ready;

    private void setUpOnce() throws IOException {
        if (!ready) {
            setUp();
            ready = true;
        }
    }

    @Test
    void optionsAndTtlsAsRedis() throws IOException {
        both("SET", "k", "v");
        byte[] p = dump(r, "k");
        both("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        for (RawClient x : List.of(r, c)) {
            assertThat(Resp.parse(restore(x, "k", p)).text()).startsWith("BUSYKEY");
            assertThat(Resp.parse(restore(x, "k", p, "REPLACE", "IDLETIME", "1000")).text()).isEqualTo("OK");
            assertThat(Long.parseLong(Resp.parse(x.call("OBJECT", "IDLETIME", "k")).text())).isBetween(1000L, 1002L);
            assertThat(Resp.parse(x.call("PTTL", "k")).text()).isEqualTo("-1");
            x.call("DEL", "k");
            x.send(List.of(bytes("RESTORE"), bytes("k"), bytes("100000"), p));
            assertThat(Resp.parse(x.readReply()).text()).isEqualTo("OK");
            assertThat(Long.parseLong(Resp.parse(x.call("PTTL", "k")).text())).isBetween(99_000L, 100_000L);
            long at = System.currentTimeMillis() + 200_000;
            x.send(List.of(bytes("RESTORE"), bytes("k"), bytes(String.valueOf(at)), p, bytes("ABSTTL"), bytes("REPLACE")));
            assertThat(Resp.parse(x.readReply()).text()).isEqualTo("OK");
            // (the servers' millisecond may start up to one before this JVM's)
            assertThat(Long.parseLong(Resp.parse(x.call("PTTL", "k")).text())).isBetween(190_000L, 200_001L);
            // already expired: OK, and the replaced key is gone
            x.send(List.of(bytes("RESTORE"), bytes("k"), bytes("1"), p, bytes("ABSTTL"), bytes("REPLACE")));
            assertThat(Resp.parse(x.readReply()).text()).isEqualTo("OK");
            assertThat(Resp.parse(x.call("EXISTS", "k")).text()).isEqualTo("0");
        }
        both("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        for (RawClient x : List.of(r, c)) {
            assertThat(Resp.parse(restore(x, "f", p, "FREQ", "100")).text()).isEqualTo("OK");
            assertThat(Resp.parse(x.call("OBJECT", "FREQ", "f")).text()).isEqualTo("100");
        }
        both("CONFIG", "SET", "maxmemory-policy", "noeviction");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A payload with a valid footer around {@code body} (version 10 unless given). */
    private static byte[] payload(byte[] body, int version) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = (byte) version;
        p[body.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    @Test
    void errorsAsRedis() throws IOException {
        both("SET", "k", "v");
        byte[] good = dump(r, "k");
        byte[] flipped = good.clone();
        flipped[1] ^= 1;
        byte[] body = Arrays.copyOf(good, good.length - 10);
        List<List<byte[]>> cases = new ArrayList<>();
        cases.add(List.of(bytes("RESTORE"), bytes("k")));
        cases.add(List.of(bytes("DUMP")));
        cases.add(List.of(bytes("DUMP"), bytes("missing")));
        cases.add(List.of(bytes("RESTORE"), bytes("k"), bytes("0"), good));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("-1"), good));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("abc"), good));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), good, bytes("BOGUS")));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), good, bytes("IDLETIME")));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), good, bytes("IDLETIME"), bytes("-1")));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), good, bytes("IDLETIME"), bytes("x")));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), good, bytes("FREQ"), bytes("256")));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), good, bytes("FREQ"), bytes("1"), bytes("IDLETIME"), bytes("1")));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), good, bytes("IDLETIME"), bytes("1"), bytes("FREQ"), bytes("1")));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), flipped));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), bytes("short")));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), payload(body, 11)));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), payload(body, 9)));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), payload(new byte[] {99, 1, 2}, 10)));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), payload(new byte[] {0, 10, 'a'}, 10)));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), payload(new byte[] {1, 0}, 10)));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), payload(new byte[] {2, 2, 1, 'a', 1, 'a'}, 10)));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), payload(new byte[] {11, 3, 1, 2, 3}, 10)));
        cases.add(List.of(bytes("RESTORE"), bytes("n"), bytes("0"), payload(new byte[] {16, 4, 1, 2, 3, 4}, 10)));
        cases.add(List.of(bytes("EXISTS"), bytes("n")));
        for (List<byte[]> cmd : cases) {
            String shown = RawClient.show(RawClient.encode(cmd));
            assertThat(RawClient.show(c.call(cmd))).as(shown).isEqualTo(RawClient.show(r.call(cmd)));
        }
    }
}
