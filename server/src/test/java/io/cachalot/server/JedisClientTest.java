package io.cachalot.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cachalot through Jedis, a real Redis client (RESP2). */
class JedisClientTest extends CachalotTestBase {
    private Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    @BeforeEach
    void flush() {
        try (Jedis j = jedis()) {
            j.flushAll();
        }
    }

    @Test
    void stringsRoundTrip() {
        try (Jedis j = jedis()) {
            assertThat(j.set("k", "v")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.set("k", "w", SetParams.setParams().nx())).isNull();
            assertThat(j.setGet("k", "x")).isEqualTo("v");
            assertThat(j.incr("n")).isEqualTo(1);
            assertThat(j.incrBy("n", 41)).isEqualTo(42);
            assertThat(j.incrByFloat("f", 10.5)).isEqualTo(10.5);
            assertThat(j.incrByFloat("f", 0.1)).isEqualTo(10.6);
            assertThat(j.append("k", "yz")).isEqualTo(3);
            assertThat(j.getrange("k", 1, -1)).isEqualTo("yz");
            assertThat(j.mset("a", "1", "b", "2")).isEqualTo("OK");
            assertThat(j.mget("a", "b", "missing")).containsExactly("1", "2", null);
            assertThat(j.strlen("k")).isEqualTo(3);
            assertThat(j.lcs("a", "b", redis.clients.jedis.params.LCSParams.LCSParams()).getMatchString()).isEmpty();
        }
    }

    @Test
    void collectionsRoundTrip() {
        try (Jedis j = jedis()) {
            assertThat(j.rpush("l", "a", "b", "c")).isEqualTo(3);
            assertThat(j.lrange("l", 0, -1)).containsExactly("a", "b", "c");
            assertThat(j.lpos("l", "c")).isEqualTo(2);
            assertThat(j.hset("h", Map.of("f1", "v1", "f2", "v2"))).isEqualTo(2);
            assertThat(j.hgetAll("h")).containsEntry("f1", "v1").hasSize(2);
            assertThat(j.hincrByFloat("h", "n", 1.5)).isEqualTo(1.5);
            assertThat(j.sadd("s", "1", "2", "3")).isEqualTo(3);
            assertThat(j.smembers("s")).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(j.sinter("s", "s")).hasSize(3);
            assertThat(j.zadd("z", Map.of("a", 1.0, "b", 2.5))).isEqualTo(2);
            assertThat(j.zrangeWithScores("z", 0, -1)).extracting(t -> t.getScore()).containsExactly(1.0, 2.5);
            assertThat(j.zscore("z", "b")).isEqualTo(2.5);
            assertThat(j.zrank("z", "b")).isEqualTo(1);
            assertThat(j.zpopmin("z").getElement()).isEqualTo("a");
            assertThat(j.sort("l", new redis.clients.jedis.params.SortingParams().alpha().desc()))
                    .containsExactly("c", "b", "a");
        }
    }

    @Test
    void transactionsAndOptimisticLocking() {
        try (Jedis j = jedis(); Jedis other = jedis()) {
            redis.clients.jedis.Transaction t = j.multi();
            t.set("k", "1");
            Response<Long> n = t.incr("k");
            Response<Long> pushed = t.lpush("list", "x");
            assertThat(t.exec()).hasSize(3);
            assertThat(n.get()).isEqualTo(2);
            assertThat(pushed.get()).isEqualTo(1);
            // a concurrent change of a watched key makes EXEC fail (null), so a retry loop works
            j.watch("k");
            other.set("k", "100");
            redis.clients.jedis.Transaction t2 = j.multi();
            t2.incr("k");
            assertThat(t2.exec()).isNull();
            j.watch("k");
            redis.clients.jedis.Transaction t3 = j.multi();
            t3.incr("k");
            assertThat(t3.exec()).containsExactly(101L);
        }
    }

    @Test
    void binarySafeKeysAndValues() {
        byte[] key = {0, 1, 2, (byte) 0xff, '\r', '\n'};
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        try (Jedis j = jedis()) {
            j.set(key, value);
            assertThat(j.get(key)).isEqualTo(value);
            assertThat(j.exists(key)).isTrue();
        }
    }

    @Test
    void expiryAndTtl() throws Exception {
        try (Jedis j = jedis()) {
            j.set("k", "v", SetParams.setParams().ex(100));
            assertThat(j.ttl("k")).isBetween(99L, 100L);
            assertThat(j.persist("k")).isEqualTo(1);
            assertThat(j.ttl("k")).isEqualTo(-1);
            j.set("short", "v", SetParams.setParams().px(50));
            Thread.sleep(120);
            assertThat(j.get("short")).isNull();
            assertThat(j.getEx("k", GetExParams.getExParams().ex(10))).isEqualTo("v");
            assertThat(j.ttl("k")).isBetween(9L, 10L);
            assertThat(j.expireTime("k")).isGreaterThan(System.currentTimeMillis() / 1000);
        }
    }

    @Test
    void scanReturnsEveryKeyOnce() {
        try (Jedis j = jedis()) {
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                j.set("key:" + i, "v");
                expected.add("key:" + i);
            }
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().match("key:*").count(100));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            assertThat(seen).isEqualTo(expected);
            assertThat(j.keys("key:1??")).hasSize(100);
            assertThat(j.dbSize()).isEqualTo(2000);
        }
    }

    @Test
    void pipelineKeepsOrder() {
        try (Jedis j = jedis()) {
            Pipeline p = j.pipelined();
            List<Response<Long>> rs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                rs.add(p.incr("counter"));
            }
            p.sync();
            for (int i = 0; i < 1000; i++) {
                assertThat(rs.get(i).get()).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void errorsReachTheClient() {
        try (Jedis j = jedis()) {
            j.set("s", "abc");
            assertThatThrownBy(() -> j.incr("s")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR value is not an integer or out of range");
            assertThatThrownBy(() -> j.sendCommand(() -> "NOSUCH".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR unknown command 'NOSUCH'");
            assertThat(j.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void databasesAndClientCommands() {
        try (Jedis j = jedis()) {
            j.select(3);
            j.set("k", "in3");
            j.select(0);
            assertThat(j.get("k")).isNull();
            assertThat(j.move("x", 3)).isEqualTo(0);
            j.swapDB(0, 3);
            assertThat(j.get("k")).isEqualTo("in3");
            j.clientSetname("tester");
            assertThat(j.clientGetname()).isEqualTo("tester");
            assertThat(j.clientList()).contains("name=tester");
            assertThat(j.clientId()).isPositive();
            Map<String, String> cfg = j.configGet("maxmemory-policy");
            assertThat(cfg).containsEntry("maxmemory-policy", "noeviction");
            assertThat(j.info("server")).contains("redis_version:7.0.15").contains("tcp_port:" + server.port());
            assertThat(j.time()).hasSize(2);
        }
    }

    @Test
    void parallelIncrementsAreAtomic() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> {
                try (Jedis j = jedis()) {
                    for (int i = 0; i < 2500; i++) {
                        j.incr("shared");
                        j.mset("a" + (i % 10), "x", "b" + (i % 7), "y");
                    }
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        try (Jedis j = jedis()) {
            assertThat(j.get("shared")).isEqualTo("10000");
        }
    }

    /**
     * Scripts through Jedis: EVAL, EVALSHA after SCRIPT LOAD, a Lua error as a Jedis exception,
     * and a read-modify-write script run by 8 connections at once loses no update (each
     * connection's event loop, or the script thread, runs it under the key's lock).
     */
    @Test
    void scriptsAreAtomicAcrossConnections() throws Exception {
        String script = "local v = tonumber(redis.call('get', KEYS[1]) or '0') "
                + "redis.call('set', KEYS[1], v + tonumber(ARGV[1])) return v + tonumber(ARGV[1])";
        String sha;
        try (Jedis j = jedis()) {
            assertThat(j.eval("return {KEYS[1], ARGV[1]}", List.of("k"), List.of("a"))).isEqualTo(List.of("k", "a"));
            sha = j.scriptLoad(script);
            assertThat(j.scriptExists(sha)).isTrue();
            j.rpush("notanumber-key-is-a-list", "x");
            assertThatThrownBy(() -> j.eval("return redis.call('incr', KEYS[1])", 1, "notanumber-key-is-a-list"))
                    .isInstanceOf(JedisDataException.class).hasMessageContaining("WRONGTYPE")
                    .hasMessageContaining("script: ");
        }
        int threads = 8;
        int rounds = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    try (Jedis j = jedis()) {
                        for (int i = 0; i < rounds; i++) {
                            if (i % 5 == 0) {
                                j.incrBy("counter", 1);
                            } else {
                                j.evalsha(sha, List.of("counter"), List.of("1"));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Jedis j = jedis()) {
            assertThat(j.get("counter")).isEqualTo(String.valueOf(threads * rounds));
        }
    }

    /**
     * A work queue on a stream consumer group: a worker blocked in XREADGROUP woken by the
     * producer, a second worker that takes jobs and stalls, its jobs claimed by XCLAIM (after an
     * idle time) and XAUTOCLAIM, acknowledged, and the group's state as XPENDING and XINFO show it.
     */
    @Test
    void streamConsumerGroupWithBlockingReadsAndClaims() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jedis producer = jedis(); Jedis worker1 = jedis(); Jedis worker2 = jedis()) {
            assertThat(producer.xgroupCreate("jobs", "workers", redis.clients.jedis.StreamEntryID.XGROUP_LAST_ENTRY, true))
                    .isEqualTo("OK");
            Future<List<Map.Entry<String, List<redis.clients.jedis.resps.StreamEntry>>>> blocked = pool.submit(() ->
                    worker1.xreadGroup("workers", "w1", redis.clients.jedis.params.XReadGroupParams.xReadGroupParams()
                            .count(1).block(5000), Map.of("jobs", redis.clients.jedis.StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
            Thread.sleep(200);
            List<redis.clients.jedis.StreamEntryID> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(producer.xadd("jobs", redis.clients.jedis.StreamEntryID.NEW_ENTRY, Map.of("job", "j" + i)));
            }
            List<Map.Entry<String, List<redis.clients.jedis.resps.StreamEntry>>> first = blocked.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(first).hasSize(1);
            assertThat(first.get(0).getKey()).isEqualTo("jobs");
            assertThat(first.get(0).getValue()).extracting(e -> e.getFields().get("job")).containsExactly("j0");
            assertThat(worker1.xack("jobs", "workers", first.get(0).getValue().get(0).getID())).isEqualTo(1);

            // worker 2 takes five jobs and stalls
            List<Map.Entry<String, List<redis.clients.jedis.resps.StreamEntry>>> taken = worker2.xreadGroup("workers", "w2",
                    redis.clients.jedis.params.XReadGroupParams.xReadGroupParams().count(5),
                    Map.of("jobs", redis.clients.jedis.StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            assertThat(taken.get(0).getValue()).extracting(e -> e.getFields().get("job"))
                    .containsExactly("j1", "j2", "j3", "j4", "j5");
            redis.clients.jedis.resps.StreamPendingSummary summary = producer.xpending("jobs", "workers");
            assertThat(summary.getTotal()).isEqualTo(5);
            assertThat(summary.getMinId()).isEqualTo(ids.get(1));
            assertThat(summary.getConsumerMessageCount()).containsExactly(Map.entry("w2", 5L));

            // nothing is idle enough yet; after 100 ms two of them are claimed by worker 1
            assertThat(worker1.xclaim("jobs", "workers", "w1", 60_000, redis.clients.jedis.params.XClaimParams.xClaimParams(),
                    ids.get(1), ids.get(2))).isEmpty();
            Thread.sleep(100);
            List<redis.clients.jedis.resps.StreamEntry> claimed = worker1.xclaim("jobs", "workers", "w1", 50,
                    redis.clients.jedis.params.XClaimParams.xClaimParams(), ids.get(1), ids.get(2));
            assertThat(claimed).extracting(e -> e.getFields().get("job")).containsExactly("j1", "j2");
            List<redis.clients.jedis.resps.StreamPendingEntry> mine = producer.xpending("jobs", "workers",
                    redis.clients.jedis.params.XPendingParams.xPendingParams().start(redis.clients.jedis.StreamEntryID.MINIMUM_ID)
                            .end(redis.clients.jedis.StreamEntryID.MAXIMUM_ID).count(10).consumer("w1"));
            assertThat(mine).extracting(redis.clients.jedis.resps.StreamPendingEntry::getID).containsExactly(ids.get(1), ids.get(2));
            assertThat(mine).extracting(redis.clients.jedis.resps.StreamPendingEntry::getDeliveredTimes).containsExactly(2L, 2L);

            // a third worker sweeps what is left of worker 2's, two at a time
            Map.Entry<redis.clients.jedis.StreamEntryID, List<redis.clients.jedis.resps.StreamEntry>> swept = producer.xautoclaim(
                    "jobs", "workers", "w3", 0, ids.get(3), redis.clients.jedis.params.XAutoClaimParams.xAutoClaimParams().count(2));
            assertThat(swept.getValue()).extracting(e -> e.getFields().get("job")).containsExactly("j3", "j4");
            assertThat(swept.getKey()).isEqualTo(ids.get(5));
            assertThat(producer.xack("jobs", "workers", ids.get(1), ids.get(2), ids.get(3), ids.get(4), ids.get(5)))
                    .isEqualTo(5);
            assertThat(producer.xpending("jobs", "workers").getTotal()).isZero();

            redis.clients.jedis.resps.StreamInfo info = producer.xinfoStream("jobs");
            assertThat(info.getLength()).isEqualTo(8);
            assertThat(info.getGroups()).isEqualTo(1);
            assertThat(info.getLastGeneratedId()).isEqualTo(ids.get(7));
            assertThat(producer.xinfoGroups("jobs").get(0).getGroupInfo())
                    .containsEntry("lag", 2L).containsEntry("entries-read", 6L).containsEntry("pending", 0L);
        } finally {
            pool.shutdownNow();
        }
    }
}
