package io.cachalot.provider;

import io.cachalot.core.api.EmbeddedClient;
import io.cachalot.core.types.MemorySize;
import io.cachalot.provider.config.CachalotConfiguration;
import io.cachalot.provider.store.EmbeddedCacheStore;
import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store-by-value cache of immutable values keeps the object a read decoded, for later reads of
 * the unchanged value; every change of the value, from the cache or over RESP, drops it.
 */
class MemoizedValuesTest {
    private static <K, V> MutableConfiguration<K, V> typed(Class<K> k, Class<V> v) {
        return new MutableConfiguration<K, V>().setTypes(k, v);
    }

    private static long memory(Cache<?, ?> c) {
        return ((EmbeddedCacheStore) c.unwrap(CachalotCache.class).store()).memoryUsage();
    }

    @Test
    void readsOfAnUnchangedValueShareOneDecodedObject() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<Long, String> c = m.createCache("s", typed(Long.class, String.class));
            String put = new String("hello");
            c.put(1L, put);
            long stored = memory(c);
            String first = c.get(1L);
            assertThat(first).isEqualTo("hello").isNotSameAs(put);
            assertThat(c.get(1L)).isSameAs(first);
            assertThat(c.get(Long.valueOf(1L))).isSameAs(first);
            assertThat(memory(c)).as("the memo counts").isEqualTo(stored + MemorySize.memo(first));

            c.put(1L, "world");
            assertThat(memory(c)).isEqualTo(stored);
            assertThat(c.get(1L)).isEqualTo("world");
            assertThat(c.get(1L)).isSameAs(c.get(1L));
            c.remove(1L);
            assertThat(memory(c)).isZero();
            assertThat(c.get(1L)).isNull();
        }
    }

    @Test
    void readsUnderTheEntrysLockShareItToo() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<String, String> c = m.createCache("a", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class)
                    .setExpiryPolicyFactory(javax.cache.expiry.AccessedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_HOUR)));
            c.put("k", "v");
            String first = c.get("k");
            assertThat(c.get("k")).isSameAs(first);
            assertThat(c.getAll(java.util.Set.of("k")).get("k")).isSameAs(first);
            assertThat(c.getAndPut("k", "w")).isSameAs(first);
            assertThat(c.get("k")).isEqualTo("w");
        }
    }

    @Test
    void changesOverRespDropTheMemo() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<String, String> c = m.createCache("r", typed(String.class, String.class));
            Cache<String, Long> n = m.createCache("n", typed(String.class, Long.class));
            EmbeddedClient client = new EmbeddedClient(m.engine());
            c.put("k", "abc");
            n.put("k", 41L);
            assertThat(c.get("k")).isSameAs(c.get("k"));
            assertThat(n.get("k")).isSameAs(n.get("k")).isEqualTo(41L);

            client.call("APPEND", "r::k", "def");
            assertThat(c.get("k")).isEqualTo("abcdef");
            client.call("SETRANGE", "r::k", "0", "X");
            assertThat(c.get("k")).isEqualTo("Xbcdef");
            client.call("SET", "r::k", "Xbcdef");
            assertThat(c.get("k")).isEqualTo("Xbcdef");
            client.call("INCR", "n::k");
            assertThat(n.get("k")).isEqualTo(42L);
            client.call("INCRBY", "n::k", "1000");
            assertThat(n.get("k")).isEqualTo(1042L);
            client.call("RENAME", "n::k", "n::j");
            assertThat(n.get("k")).isNull();
            assertThat(n.get("j")).isEqualTo(1042L);
            client.call("FLUSHALL");
            assertThat(c.get("k")).isNull();
            assertThat(m.engine().keyspace().memoryUsage()).isZero();
        }
    }

    @Test
    void mutableValuesAreDecodedAfreshForEveryRead() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<Long, byte[]> b = m.createCache("b", typed(Long.class, byte[].class));
            Cache<Long, Date> d = m.createCache("d", typed(Long.class, Date.class));
            b.put(1L, new byte[] {1, 2});
            d.put(1L, new Date(5));
            byte[] read = b.get(1L);
            read[0] = 9;
            assertThat(b.get(1L)).isNotSameAs(read).containsExactly(1, 2);
            Date date = d.get(1L);
            date.setTime(6);
            assertThat(d.get(1L)).isNotSameAs(date).isEqualTo(new Date(5));
        }
    }

    @Test
    void theSettingTurnsItOff() {
        Properties p = new Properties();
        p.setProperty("cachalot.cache.off.memoize-values", "false");
        try (CachalotCacheManager m = Caches.manager(p)) {
            Cache<Long, String> off = m.createCache("off", typed(Long.class, String.class));
            Cache<Long, String> alsoOff = m.createCache("also",
                    new CachalotConfiguration<Long, String>().setMemoizeValues(false).setTypes(Long.class, String.class));
            Cache<Long, String> on = m.createCache("on", typed(Long.class, String.class));
            for (Cache<Long, String> c : java.util.List.of(off, alsoOff, on)) {
                c.put(1L, "v");
                long stored = memory(c);
                String a = c.get(1L);
                String b = c.get(1L);
                assertThat(b).isEqualTo(a);
                if (c == on) {
                    assertThat(b).isSameAs(a);
                } else {
                    assertThat(b).isNotSameAs(a);
                    assertThat(memory(c)).isEqualTo(stored);
                }
            }
        }
        Properties bad = new Properties();
        bad.setProperty("cachalot.default.memoize-values", "maybe");
        try (CachalotCacheManager m = Caches.manager(bad)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.createCache("x", typed(Long.class, String.class)))
                    .isInstanceOf(javax.cache.CacheException.class)
                    .hasMessageContaining("memoize-values must be true or false: maybe");
        }
    }

    /** A read racing with writes never leaves a memo of a value the entry no longer holds. */
    @Test
    void racingReadsNeverKeepAStaleValue() throws Exception {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<Long, String> c = m.createCache("race", typed(Long.class, String.class));
            c.put(7L, "v0");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        String v = c.get(7L);
                        if (v == null || !v.startsWith("v")) {
                            throw new AssertionError("read " + v);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            for (int round = 1; round <= 2000; round++) {
                String v = "v" + round;
                c.put(7L, v);
                for (int i = 0; i < 3; i++) {
                    assertThat(c.get(7L)).isEqualTo(v);
                }
            }
            stop.set(true);
            reader.join();
            assertThat(failure.get()).isNull();
            assertThat(c.get(7L)).isEqualTo("v2000");
        }
    }
}
