package io.cachalot.core.command.hashes;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hash field expiry (Redis 7.4), which the reference redis-server 7.0 lacks: replies, errors and
 * ordering as Redis 7.4's source and tests define them.
 */
class HashFieldExpiryTest {
    private static final long FAR = 4_000_000_000_000L; // ms, year 2096
    private final Engine engine = new Engine();
    private final EmbeddedClient c = new EmbeddedClient(engine);

    @AfterEach
    void close() {
        engine.close();
    }

    private Object call(String... args) {
        return c.call(args);
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof java.util.Map) {
            for (var e : ((java.util.Map<?, ?>) o).entrySet()) {
                out.add(str(e.getKey()));
                out.add(str(e.getValue()));
            }
            return out;
        }
        for (Object x : (List<?>) o) {
            out.add(str(x));
        }
        return out;
    }

    private static String str(Object x) {
        return x instanceof byte[] ? Bytes.latin1((byte[]) x) : String.valueOf(x);
    }

    private static List<Long> longs(Object o) {
        List<Long> out = new ArrayList<>();
        for (Object x : (List<?>) o) {
            out.add((Long) x);
        }
        return out;
    }

    private void error(String message, String... args) {
        assertThatThrownBy(() -> c.call(args)).hasMessage(message);
    }

    @Test
    void setReportsPerFieldResults() {
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        assertThat(longs(call("HEXPIRE", "h", "100", "FIELDS", "2", "a", "nope"))).containsExactly(1L, -2L);
        assertThat(longs(call("HTTL", "h", "FIELDS", "3", "a", "b", "nope"))).containsExactly(100L, -1L, -2L);
        assertThat(longs(call("HPTTL", "h", "FIELDS", "1", "a")).get(0)).isBetween(99_000L, 100_000L);
        // conditions: no expiry counts as infinite
        assertThat(longs(call("HEXPIRE", "h", "200", "NX", "FIELDS", "2", "a", "b"))).containsExactly(0L, 1L);
        assertThat(longs(call("HEXPIRE", "h", "300", "XX", "FIELDS", "2", "a", "c"))).containsExactly(1L, 0L);
        assertThat(longs(call("HEXPIRE", "h", "50", "GT", "FIELDS", "2", "a", "c"))).containsExactly(0L, 0L);
        assertThat(longs(call("HEXPIRE", "h", "50", "lt", "FIELDS", "2", "a", "c"))).containsExactly(1L, 1L);
        assertThat(longs(call("HEXPIRE", "h", "50", "LT", "FIELDS", "1", "a"))).containsExactly(0L);
        assertThat(longs(call("HEXPIRE", "h", "60", "GT", "FIELDS", "1", "a"))).containsExactly(1L);
        // a time not in the future deletes the field (2); the last one deletes the key
        assertThat(longs(call("HEXPIRE", "h", "0", "FIELDS", "2", "a", "a"))).containsExactly(2L, -2L);
        assertThat(longs(call("HPEXPIREAT", "h", "1", "FIELDS", "1", "b"))).containsExactly(2L);
        assertThat(call("HLEN", "h")).isEqualTo(1L);
        assertThat(longs(call("HEXPIREAT", "h", "0", "FIELDS", "1", "c"))).containsExactly(2L);
        assertThat(call("EXISTS", "h")).isEqualTo(0L);
        // a missing key answers -2 per field
        assertThat(longs(call("HEXPIRE", "h", "10", "FIELDS", "2", "x", "y"))).containsExactly(-2L, -2L);
        assertThat(longs(call("HPERSIST", "h", "FIELDS", "1", "x"))).containsExactly(-2L);
        assertThat(longs(call("HEXPIRETIME", "h", "FIELDS", "1", "x"))).containsExactly(-2L);
    }

    @Test
    void timesAreReportedAsRedisRoundsThem() {
        call("HSET", "h", "a", "1", "b", "2");
        call("HPEXPIREAT", "h", Long.toString(FAR + 1), "FIELDS", "1", "a");
        assertThat(longs(call("HPEXPIRETIME", "h", "FIELDS", "2", "a", "b"))).containsExactly(FAR + 1, -1L);
        // seconds are rounded up
        assertThat(longs(call("HEXPIRETIME", "h", "FIELDS", "1", "a"))).containsExactly(FAR / 1000 + 1);
        call("HEXPIREAT", "h", Long.toString(FAR / 1000), "FIELDS", "1", "b");
        assertThat(longs(call("HPEXPIRETIME", "h", "FIELDS", "1", "b"))).containsExactly(FAR);
        assertThat(longs(call("HPERSIST", "h", "FIELDS", "3", "a", "b", "c"))).containsExactly(1L, 1L, -2L);
        assertThat(longs(call("HPERSIST", "h", "FIELDS", "1", "a"))).containsExactly(-1L);
        assertThat(longs(call("HTTL", "h", "FIELDS", "1", "a"))).containsExactly(-1L);
        call("HPEXPIRE", "h", "1500", "FIELDS", "1", "a");
        assertThat(longs(call("HTTL", "h", "FIELDS", "1", "a"))).containsExactly(2L);
    }

    @Test
    void argumentErrorsInRedisOrder() {
        call("SET", "s", "v");
        error("WRONGTYPE Operation against a key holding the wrong kind of value",
                "HEXPIRE", "s", "x", "FIELDS", "1", "a");
        error("WRONGTYPE Operation against a key holding the wrong kind of value", "HTTL", "s", "FIELDS", "1", "a");
        error("ERR wrong number of arguments for 'hexpire' command", "HEXPIRE", "h", "10", "FIELDS", "1");
        error("ERR wrong number of arguments for 'httl' command", "HTTL", "h", "FIELDS", "1");
        error("ERR value is not an integer or out of range", "HEXPIRE", "h", "x", "FIELDS", "1", "a");
        error("ERR invalid expire time, must be >= 0", "HEXPIRE", "h", "-1", "FIELDS", "1", "a");
        error("ERR invalid expire time, must be >= 0", "HPEXPIREAT", "h", "-9223372036854775808", "FIELDS", "1", "a");
        error("ERR invalid expire time in 'hexpire' command", "HEXPIRE", "h", "70368744178", "FIELDS", "1", "a");
        error("ERR invalid expire time in 'hpexpireat' command",
                "HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "a");
        assertThat(longs(call("HPEXPIREAT", "h", "70368744177663", "FIELDS", "1", "a"))).containsExactly(-2L);
        error("ERR invalid expire time in 'hpexpire' command",
                "HPEXPIRE", "h", "70368744177663", "FIELDS", "1", "a");
        error("ERR Mandatory argument FIELDS is missing or not at the right position",
                "HEXPIRE", "h", "10", "NX", "XX", "FIELDS", "1", "a");
        error("ERR Mandatory argument FIELDS is missing or not at the right position",
                "HEXPIRE", "h", "10", "BAD", "FIELDS", "1", "a");
        error("ERR Parameter `numFields` should be greater than 0", "HEXPIRE", "h", "10", "FIELDS", "0", "a");
        error("ERR Parameter `numFields` should be greater than 0", "HEXPIRE", "h", "10", "FIELDS", "x", "a");
        error("ERR The `numfields` parameter must match the number of arguments",
                "HEXPIRE", "h", "10", "FIELDS", "2", "a");
        error("ERR The `numfields` parameter must match the number of arguments",
                "HEXPIRE", "h", "10", "FIELDS", "1", "a", "b");
        error("ERR Mandatory argument FIELDS is missing or not at the right position", "HTTL", "h", "F", "1", "a");
        error("ERR Number of fields must be a positive integer", "HTTL", "h", "FIELDS", "-1", "a");
        error("ERR Number of fields must be a positive integer", "HPERSIST", "h", "FIELDS", "0", "a");
        error("ERR The `numfields` parameter must match the number of arguments",
                "HPERSIST", "h", "FIELDS", "3", "a", "b");
    }

    @Test
    void smallHashesBecomeListpackexAndOrderFieldsByExpiry() {
        call("HSET", "h", "f1", "v1", "f2", "v2", "f3", "v3");
        assertThat(Bytes.latin1((byte[]) call("OBJECT", "ENCODING", "h"))).isEqualTo("listpack");
        call("HPERSIST", "h", "FIELDS", "1", "f1");
        assertThat(Bytes.latin1((byte[]) call("OBJECT", "ENCODING", "h"))).isEqualTo("listpack");
        // any HEXPIRE-family call converts, even one that changes nothing
        call("HEXPIRE", "h", "100", "XX", "FIELDS", "1", "f1");
        assertThat(Bytes.latin1((byte[]) call("OBJECT", "ENCODING", "h"))).isEqualTo("listpackex");
        call("HPEXPIRE", "h", "10000", "NX", "FIELDS", "2", "f2", "f3");
        assertThat(strings(call("HGETALL", "h"))).containsExactly("f3", "v3", "f2", "v2", "f1", "v1");
        call("HSET", "h", "f3", "x");
        assertThat(strings(call("HKEYS", "h"))).containsExactly("f2", "f1", "f3");
        assertThat(longs(call("HTTL", "h", "FIELDS", "1", "f3"))).containsExactly(-1L);
        // increments keep the expiry time
        call("HSET", "h", "n", "1");
        call("HEXPIRE", "h", "5", "FIELDS", "1", "n");
        call("HINCRBY", "h", "n", "5");
        assertThat(longs(call("HTTL", "h", "FIELDS", "1", "n"))).containsExactly(5L);
        assertThat(strings(call("HKEYS", "h"))).containsExactly("n", "f2", "f1", "f3");
        call("CONFIG", "SET", "hash-max-listpack-entries", "2");
        call("HSET", "h", "more", "1");
        assertThat(Bytes.latin1((byte[]) call("OBJECT", "ENCODING", "h"))).isEqualTo("hashtable");
        assertThat(longs(call("HTTL", "h", "FIELDS", "2", "n", "f1"))).containsExactly(5L, -1L);
    }

    @Test
    void expiredFieldsAreGoneForEveryCommandAndReclaimedInTheBackground() throws Exception {
        for (String encoding : new String[] {"512", "1"}) {
            call("CONFIG", "SET", "hash-max-listpack-entries", encoding);
            call("DEL", "h", "g");
            call("HSET", "h", "a", "1", "b", "2", "c", "3");
            call("HPEXPIRE", "h", "30", "FIELDS", "2", "a", "b");
            Thread.sleep(60);
            assertThat(call("HLEN", "h")).isEqualTo(1L);
            assertThat(strings(call("HGETALL", "h"))).containsExactly("c", "3");
            assertThat(call("HGET", "h", "a")).isNull();
            assertThat(call("HDEL", "h", "b")).isEqualTo(0L);
            call("HSET", "g", "a", "1");
            call("HPEXPIRE", "g", "30", "FIELDS", "1", "a");
            long deadline = System.currentTimeMillis() + 5000;
            while (call("EXISTS", "g").equals(1L) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(call("EXISTS", "g")).as("reclaimed by the active cycle (%s)", encoding).isEqualTo(0L);
        }
    }

    @Test
    void copiesAndRenamesKeepFieldExpiry() throws Exception {
        call("HSET", "h", "a", "1", "b", "2");
        call("HPEXPIRE", "h", "40", "FIELDS", "1", "a");
        call("COPY", "h", "copy");
        call("RENAME", "h", "renamed");
        assertThat(longs(call("HPTTL", "copy", "FIELDS", "1", "a")).get(0)).isPositive();
        assertThat(longs(call("HPTTL", "renamed", "FIELDS", "1", "a")).get(0)).isPositive();
        assertThat(Bytes.latin1((byte[]) call("OBJECT", "ENCODING", "copy"))).isEqualTo("listpackex");
        call("HSET", "solo", "a", "1");
        call("HPEXPIRE", "solo", "40", "FIELDS", "1", "a");
        call("RENAME", "solo", "solo2");
        long deadline = System.currentTimeMillis() + 5000;
        while ((call("EXISTS", "solo2").equals(1L) || (Long) call("HLEN", "copy") > 1)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(call("EXISTS", "solo2")).isEqualTo(0L);
        assertThat(strings(call("HKEYS", "copy"))).containsExactly("b");
    }

    @Test
    void hscanNoValuesListsFieldsOnly() {
        call("HSET", "h", "a", "1", "b", "2");
        assertThat(strings(((List<?>) call("HSCAN", "h", "0", "NOVALUES")).get(1))).containsExactly("a", "b");
    }
}
