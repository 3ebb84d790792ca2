package io.cachalot.provider;

import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import java.net.URI;
import java.util.Date;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cachalot's own settings: bounds, layout of keys in the engine, serving over RESP, config files. */
class VendorSettingsTest {
    private static <K, V> MutableConfiguration<K, V> typed(Class<K> k, Class<V> v) {
        return new MutableConfiguration<K, V>().setTypes(k, v);
    }

    @Test
    void entriesAreReadableEngineKeysInTheirDatabase() {
        Properties p = new Properties();
        p.setProperty("cachalot.cache.users.key-prefix", "app:{name}:");
        p.setProperty("cachalot.cache.users.database", "3");
        try (CachalotCacheManager m = Caches.manager(p)) {
            Cache<Long, String> users = m.createCache("users", typed(Long.class, String.class));
            Cache<String, Integer> counts = m.createCache("counts", typed(String.class, Integer.class));
            users.put(42L, "Ada");
            counts.put("visits", 7);
            EmbeddedClient client = new EmbeddedClient(m.engine());
            assertThat(client.call("GET", "counts::visits")).isEqualTo("7".getBytes());
            client.call("SELECT", "3");
            assertThat(client.call("GET", "app:users:42")).isEqualTo("Ada".getBytes());
            client.call("SET", "app:users:43", "Grace");
            assertThat(users.get(43L)).isEqualTo("Grace");
            assertThat(users.unwrap(CachalotCache.class).size()).isEqualTo(2);
            users.clear();
            assertThat(client.call("DBSIZE")).isEqualTo(0L);
            assertThat(counts.get("visits")).isEqualTo(7);
        }
    }

    @Test
    void foreignDataInACacheKeyGivesAClearErrorAndLosesNothing() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<String, Long> c = m.createCache("n", typed(String.class, Long.class));
            c.put("ok", 1L);
            EmbeddedClient client = new EmbeddedClient(m.engine());
            client.call("SET", "n::text", "not a number");
            client.call("RPUSH", "n::list", "a");
            assertThatThrownBy(() -> c.get("text")).isInstanceOf(CacheException.class)
                    .hasMessageContaining("cannot be decoded as java.lang.Long");
            assertThatThrownBy(() -> c.put("list", 2L)).isInstanceOf(CacheException.class)
                    .hasMessageContaining("holds a list");
            assertThat(client.call("LLEN", "n::list")).isEqualTo(1L);
            assertThat(c.get("ok")).isEqualTo(1L);
            c.put("text", 3L); // a cache write replaces a string written over RESP, as SET would
            assertThat(c.get("text")).isEqualTo(3L);
        }
    }

    @Test
    void lruBoundKeepsRecentlyUsedEntries() throws Exception {
        Properties p = new Properties();
        p.setProperty("cachalot.cache.lru.max-entries", "20");
        try (CachalotCacheManager m = Caches.manager(p)) {
            Cache<Integer, Integer> c = m.createCache("lru", typed(Integer.class, Integer.class));
            for (int i = 0; i < 20; i++) {
                c.put(i, i);
            }
            Thread.sleep(2100); // the LRU clock has a resolution of one second, as Redis'
            for (int i = 0; i < 5; i++) {
                c.get(i);
            }
            for (int i = 100; i < 110; i++) {
                c.put(i, i);
            }
            assertThat(c.unwrap(CachalotCache.class).size()).isEqualTo(20);
            for (int i = 0; i < 5; i++) {
                assertThat(c.containsKey(i)).as("recently read key %d", i).isTrue();
            }
        }
    }

    @Test
    void settingsFromAConfigFileNamedByTheUri() {
        CacheManager m = Caches.provider().getCacheManager(URI.create("classpath:cachalot-test.properties"),
                getClass().getClassLoader());
        try {
            Cache<Integer, Integer> c = m.createCache("bounded", typed(Integer.class, Integer.class));
            for (int i = 0; i < 5; i++) {
                c.put(i, i);
                for (int r = 0; r < 200; r++) {
                    c.get(i); // frequently used: LFU keeps them
                }
            }
            for (int i = 100; i < 150; i++) {
                c.put(i, i);
            }
            assertThat(c.unwrap(CachalotCache.class).size()).isEqualTo(10);
            int hot = 0;
            for (int i = 0; i < 5; i++) {
                hot += c.containsKey(i) ? 1 : 0;
            }
            assertThat(hot).isGreaterThanOrEqualTo(4);
        } finally {
            m.close();
        }
    }

    /** The engine's maxmemory (cachalot.engine.*) bounds caches too, evicting by its policy. */
    @Test
    void engineMaxmemoryEvictsCacheEntries() {
        Properties p = new Properties();
        p.setProperty("cachalot.engine.maxmemory", "2mb");
        p.setProperty("cachalot.engine.maxmemory-policy", "allkeys-lru");
        try (CachalotCacheManager m = Caches.manager(p)) {
            Cache<Long, String> c = m.createCache("big", typed(Long.class, String.class));
            String value = "x".repeat(1000);
            for (long i = 0; i < 10_000; i++) {
                c.put(i, value);
            }
            assertThat(m.engine().evictor().usedMemory()).isLessThanOrEqualTo(2L << 20); // "2mb" is 2 MiB, as in Redis
            long size = c.unwrap(CachalotCache.class).size();
            assertThat(size).isBetween(500L, 1000L); // (2 MiB - 1 MiB fixed share) / ~1.1 KB per entry
            assertThat(m.engine().keyspace().stats().evictedKeys.sum()).isEqualTo(10_000 - size);
            assertThat(c.get(9_999L)).isEqualTo(value); // the newest stay
        }
    }

    @Test
    void invalidSettingsAreRefused() {
        Properties p = new Properties();
        p.setProperty("cachalot.cache.bad.eviction-policy", "fifo");
        p.setProperty("cachalot.cache.far.database", "99");
        try (CachalotCacheManager m = Caches.manager(p)) {
            assertThatThrownBy(() -> m.createCache("bad", typed(Integer.class, Integer.class)))
                    .isInstanceOf(CacheException.class).hasMessageContaining("lru or lfu");
            assertThatThrownBy(() -> m.createCache("far", typed(Integer.class, Integer.class)))
                    .isInstanceOf(CacheException.class).hasMessageContaining("out of range");
        }
        Properties q = new Properties();
        q.setProperty("cachalot.engine.no-such-setting", "1");
        assertThatThrownBy(() -> Caches.manager(q)).isInstanceOf(CacheException.class)
                .hasMessageStartingWith("cachalot.engine.no-such-setting: no such engine parameter");
        Properties r = new Properties();
        r.setProperty("cachalot.cache.users.max-entires", "10"); // misspelt: refused, not ignored
        assertThatThrownBy(() -> Caches.manager(r)).isInstanceOf(CacheException.class)
                .hasMessageStartingWith("cachalot.cache.users.max-entires: no such Cachalot property");
    }

    /** cachalot.engine.* reaches the engine that RESP clients see: memory bound, password. */
    @Test
    void engineSettingsApplyToTheServedEngine() {
        Properties p = new Properties();
        p.setProperty("cachalot.resp.port", "0");
        p.setProperty("cachalot.engine.maxmemory", "10mb");
        p.setProperty("cachalot.engine.maxmemory-policy", "allkeys-lru");
        p.setProperty("cachalot.engine.requirepass", "s3cret");
        try (CachalotCacheManager m = Caches.manager(p); Jedis jedis = new Jedis("127.0.0.1", m.respPort())) {
            assertThatThrownBy(jedis::ping).hasMessageStartingWith("NOAUTH");
            jedis.auth("s3cret");
            assertThat(jedis.configGet("maxmemory")).containsEntry("maxmemory", Long.toString(10L << 20));
            assertThat(jedis.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lru");
        }
    }

    @Test
    void servesTheEngineOverResp() {
        Properties p = new Properties();
        p.setProperty("cachalot.resp.port", "0");
        try (CachalotCacheManager m = Caches.manager(p)) {
            Cache<String, String> c = m.createCache("web", typed(String.class, String.class));
            c.put("page:1", "<html>");
            assertThat(m.respPort()).isPositive();
            try (Jedis jedis = new Jedis("127.0.0.1", m.respPort())) {
                assertThat(jedis.get("web::page:1")).isEqualTo("<html>");
                assertThat(jedis.keys("web::*")).containsExactly("web::page:1");
                jedis.set("web::page:2", "written by redis");
                jedis.pexpire("web::page:1", 1);
            }
            assertThat(c.get("page:2")).isEqualTo("written by redis");
        }
    }

    @Test
    void storeByReferenceKeepsTheInstances() {
        try (CachalotCacheManager m = Caches.manager()) {
            MutableConfiguration<String, Date> conf = typed(String.class, Date.class);
            conf.setStoreByValue(false);
            Cache<String, Date> c = m.createCache("refs", conf);
            Date d = new Date(0);
            c.put("epoch", d);
            assertThat(c.get("epoch")).isSameAs(d);
            assertThat(c.iterator().next().getValue()).isSameAs(d);
            EmbeddedClient client = new EmbeddedClient(m.engine());
            assertThat(client.call("TYPE", "refs::epoch")).isEqualTo("jcache-object");
            assertThatThrownBy(() -> client.call("GET", "refs::epoch")).hasMessageStartingWith("WRONGTYPE");

            Cache<String, Date> byValue = m.createCache("vals", typed(String.class, Date.class));
            byValue.put("epoch", d);
            assertThat(byValue.get("epoch")).isEqualTo(d).isNotSameAs(d);
        }
    }
}
