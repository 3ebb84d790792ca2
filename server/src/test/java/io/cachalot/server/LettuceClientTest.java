package io.cachalot.server;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cachalot through Lettuce, which negotiates RESP3 with HELLO 3. */
class LettuceClientTest {
    private static CachalotFixture server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> conn;

    @BeforeAll
    static void start() throws Exception {
        server = CachalotFixture.start();
        client = RedisClient.create("redis://127.0.0.1:" + server.port());
        client.setDefaultTimeout(Duration.ofSeconds(10));
        conn = client.connect();
    }

    @AfterAll
    static void stop() {
        if (conn != null) {
            conn.close();
        }
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        server.close();
    }

    @Test
    void streamsWithABlockingReader() throws Exception {
        RedisCommands<String, String> r = conn.sync();
        r.del("events");
        String first = r.xadd("events", java.util.Map.of("type", "login", "user", "ada"));
        assertThat(first).matches("\\d+-\\d+");
        assertThat(r.xlen("events")).isEqualTo(1);
        List<io.lettuce.core.StreamMessage<String, String>> range =
                r.xrange("events", io.lettuce.core.Range.create("-", "+"));
        assertThat(range).hasSize(1);
        assertThat(range.get(0).getBody()).containsEntry("user", "ada");
        // a second connection blocks on new entries; the first adds one
        try (StatefulRedisConnection<String, String> reader = client.connect()) {
            RedisFuture<List<io.lettuce.core.StreamMessage<String, String>>> waiting = reader.async().xread(
                    io.lettuce.core.XReadArgs.Builder.block(5000),
                    io.lettuce.core.XReadArgs.StreamOffset.latest("events"));
            Thread.sleep(200);
            assertThat(waiting.isDone()).isFalse();
            String second = r.xadd("events", java.util.Map.of("type", "logout", "user", "ada"));
            List<io.lettuce.core.StreamMessage<String, String>> got = waiting.get(5, TimeUnit.SECONDS);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).getId()).isEqualTo(second);
            assertThat(got.get(0).getBody()).containsEntry("type", "logout");
        }
        assertThat(r.xtrim("events", 1)).isEqualTo(1);
        assertThat(r.xdel("events", first)).isZero();
        assertThat(r.type("events")).isEqualTo("stream");
    }

    @Test
    void syncCommandsOverResp3() {
        RedisCommands<String, String> r = conn.sync();
        r.flushall();
        assertThat(r.set("k", "v")).isEqualTo("OK");
        assertThat(r.get("k")).isEqualTo("v");
        assertThat(r.get("missing")).isNull();
        assertThat(r.set("k", "w", SetArgs.Builder.nx())).isNull();
        assertThat(r.set("t", "v", SetArgs.Builder.ex(100))).isEqualTo("OK");
        assertThat(r.ttl("t")).isBetween(99L, 100L);
        assertThat(r.incrbyfloat("f", 0.5)).isEqualTo(0.5);
        assertThat(r.getdel("k")).isEqualTo("v");
        assertThat(r.exists("k")).isZero();
        assertThat(r.mget("t", "nope")).hasSize(2);
        assertThat(r.clientList()).contains("resp=3").contains("lib-name=Lettuce");
        assertThat(r.configGet("hz")).containsEntry("hz", "10");
        assertThat(r.info("keyspace")).contains("db0:keys=2");
        assertThat(r.objectEncoding("t")).isEqualTo("embstr");
    }

    @Test
    void collectionsAndTransactionsOverResp3() {
        RedisCommands<String, String> r = conn.sync();
        r.flushall();
        assertThat(r.hset("h", java.util.Map.of("a", "1", "b", "2"))).isEqualTo(2);
        assertThat(r.hgetall("h")).containsEntry("a", "1").hasSize(2);
        assertThat(r.sadd("s", "x", "y")).isEqualTo(2);
        assertThat(r.smembers("s")).containsExactlyInAnyOrder("x", "y");
        assertThat(r.zadd("z", 1.5, "m")).isEqualTo(1);
        assertThat(r.zrangeWithScores("z", 0, -1).get(0).getScore()).isEqualTo(1.5);
        assertThat(r.zscore("z", "m")).isEqualTo(1.5);
        assertThat(r.zpopmin("z", 1).get(0).getValue()).isEqualTo("m");
        assertThat(r.rpush("l", "1", "2")).isEqualTo(2);
        assertThat(r.blpop(1, "l").getValue()).isEqualTo("1");
        assertThat(r.multi()).isEqualTo("OK");
        r.incr("n");
        r.lpush("l", "0");
        io.lettuce.core.TransactionResult result = r.exec();
        assertThat(result.wasDiscarded()).isFalse();
        assertThat((Long) result.get(0)).isEqualTo(1L);
        assertThat((Long) result.get(1)).isEqualTo(2L);
    }

    @Test
    void asyncPipelining() throws Exception {
        RedisAsyncCommands<String, String> a = conn.async();
        conn.setAutoFlushCommands(false);
        List<RedisFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            futures.add(a.incr("async-counter"));
        }
        conn.flushCommands();
        conn.setAutoFlushCommands(true);
        for (int i = 0; i < 500; i++) {
            assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
        }
    }

    @Test
    void scanWithCursor() {
        RedisCommands<String, String> r = conn.sync();
        for (int i = 0; i < 500; i++) {
            r.set("scan:" + i, "x");
        }
        Set<String> seen = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches("scan:*").limit(50));
            seen.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        assertThat(seen).hasSize(500);
    }

    @Test
    void errorsAreReported() {
        RedisCommands<String, String> r = conn.sync();
        r.set("s", "abc");
        assertThatThrownBy(() -> r.incr("s")).isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR value is not an integer or out of range");
        assertThat(r.ping()).isEqualTo("PONG");
    }

    /** Scripts and functions through Lettuce over RESP3: its ScriptOutputType conversions. */
    @Test
    void scriptsAndFunctionsOverResp3() {
        RedisCommands<String, String> r = conn.sync();
        r.del("sk");
        Long n = r.eval("return redis.call('incrby', KEYS[1], ARGV[1])", io.lettuce.core.ScriptOutputType.INTEGER,
                new String[] {"sk"}, "5");
        assertThat(n).isEqualTo(5L);
        String sha = r.scriptLoad("return redis.call('get', KEYS[1])");
        assertThat((String) r.evalsha(sha, io.lettuce.core.ScriptOutputType.VALUE, "sk")).isEqualTo("5");
        List<Object> multi = r.eval("return {1, 'two', {3}}", io.lettuce.core.ScriptOutputType.MULTI);
        assertThat(multi).hasSize(3);
        assertThat(r.eval("return redis.status_reply('FINE')", io.lettuce.core.ScriptOutputType.STATUS).toString())
                .isEqualTo("FINE");
        assertThatThrownBy(() -> r.eval("return redis.error_reply('MY failure')", io.lettuce.core.ScriptOutputType.STATUS))
                .isInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("MY failure");
        r.functionFlush(io.lettuce.core.FlushMode.SYNC);
        assertThat(r.functionLoad("#!lua name=lettucelib\nredis.register_function('double', "
                + "function(keys, args) return 2 * tonumber(args[1]) end)")).isEqualTo("lettucelib");
        Long d = r.fcall("double", io.lettuce.core.ScriptOutputType.INTEGER, new String[0], "21");
        assertThat(d).isEqualTo(42L);
        r.functionFlush(io.lettuce.core.FlushMode.SYNC);
    }
}
