package io.cachalot.server;

import io.cachalot.testsupport.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.csc.Cache;
import redis.clients.jedis.csc.CacheStats;
import redis.clients.jedis.csc.DefaultCache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client-side caching with the clients that implement it: Lettuce's {@code ClientSideCaching}
 * (default and BCAST tracking) and Jedis 5's client-side cache keep their local copies coherent
 * against Cachalot exactly as against redis-server: the same values read, the same copies
 * dropped when another connection writes, expires or flushes.
 */
class ClientSideCachingTest {
    private static boolean eventually(BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    private static List<String> lettuce(int port) throws Exception {
        List<String> out = new ArrayList<>();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        client.setDefaultTimeout(Duration.ofSeconds(10));
        try (StatefulRedisConnection<String, String> tracked = client.connect();
             StatefulRedisConnection<String, String> bcast = client.connect();
             StatefulRedisConnection<String, String> writer = client.connect()) {
            Map<String, String> near = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(near), tracked,
                    TrackingArgs.Builder.enabled());
            Map<String, String> nearByPrefix = new ConcurrentHashMap<>();
            CacheFrontend<String, String> prefixed = ClientSideCaching.enable(CacheAccessor.forMap(nearByPrefix), bcast,
                    TrackingArgs.Builder.enabled().bcast().prefixes("user:"));
            writer.sync().mset(Map.of("k", "v1", "user:1", "ada", "other", "x"));
            out.add("get " + frontend.get("k") + " " + frontend.get("other") + " near " + new java.util.TreeMap<>(near));
            out.add("get " + frontend.get("k") + " (from the near cache: " + near.containsKey("k") + ")");
            writer.sync().set("k", "v2");
            out.add("invalidated " + eventually(() -> !near.containsKey("k")) + " kept " + near.keySet());
            out.add("get " + frontend.get("k"));
            // an expiry invalidates too
            writer.sync().pexpire("other", 20);
            out.add("expired " + eventually(() -> !near.containsKey("other")));
            // BCAST: any key under the prefix, read or not
            out.add("bcast get " + prefixed.get("user:1") + " near " + nearByPrefix);
            writer.sync().set("user:1", "grace");
            out.add("bcast invalidated " + eventually(() -> nearByPrefix.isEmpty()));
            out.add("bcast get " + prefixed.get("user:1"));
            writer.sync().set("nobody:1", "x");
            writer.sync().flushall();
            out.add("flush " + eventually(() -> near.isEmpty() && nearByPrefix.isEmpty()));
            out.add("after flush " + frontend.get("k") + " " + prefixed.get("user:1"));
            frontend.close();
            prefixed.close();
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        return out;
    }

    /** Jedis checks the server's version for 7.4; its compatibility mode is for servers like ours (and 7.0). */
    private static final class CompatibleCache extends DefaultCache {
        CompatibleCache() {
            super(100);
        }

        @Override
        public boolean compatibilityMode() {
            return true;
        }
    }

    /** Time for an invalidation push to cross loopback after the write that caused it was answered. */
    private static void awaitPushes() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> jedis(int port) {
        List<String> out = new ArrayList<>();
        Cache cache = new CompatibleCache();
        try (JedisPooled cached = new JedisPooled(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build(), cache);
             Jedis writer = new Jedis("127.0.0.1", port)) {
            writer.mset("a", "1", "b", "2");
            out.add("get " + cached.get("a") + " " + cached.get("b") + " " + cached.get("a") + " size "
                    + cache.getSize());
            writer.set("a", "10");
            // Jedis takes the invalidations waiting on the connection before its next command, but only
            // those already received: the push travels on another socket than the writer's reply, so it
            // can arrive a moment after it (seen with redis-server on a loaded CI box)
            awaitPushes();
            out.add("get " + cached.get("a") + " " + cached.get("b") + " size " + cache.getSize());
            writer.del("b");
            awaitPushes();
            out.add("get " + cached.get("b") + " size " + cache.getSize());
            writer.flushAll();
            awaitPushes();
            out.add("get " + cached.get("a") + " size " + cache.getSize());
            CacheStats stats = cache.getStats();
            out.add("hits " + stats.getHitCount() + " misses " + stats.getMissCount() + " invalidations "
                    + stats.getInvalidationCount() + " flushes " + stats.getFlushCount());
        }
        return out;
    }

    @Test
    void lettuceAndJedisNearCachesStayCoherentAsWithRedis() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start(); CachalotFixture cachalot = CachalotFixture.start()) {
            List<String> expected = lettuce(reference.port());
            assertThat(expected).contains("get v2", "bcast get grace");
            assertThat(lettuce(cachalot.port())).isEqualTo(expected);
            // the Lettuce scenario ended with FLUSHALL: both servers are empty again
            List<String> expectedJedis = jedis(reference.port());
            assertThat(expectedJedis.get(1)).startsWith("get 10 2");
            assertThat(jedis(cachalot.port())).isEqualTo(expectedJedis);
        }
    }
}
