package io.cachalot.provider;

import io.cachalot.core.api.EmbeddedClient;
import io.cachalot.core.types.MemorySize;
import io.cachalot.provider.store.EmbeddedCacheStore;
import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store-by-reference cache of Long or Integer keys keeps the application's key objects with
 * its entries and finds an entry by the very object it was put with before comparing bytes;
 * equal objects, other caches and RESP clients see the same entries as before.
 */
class KeyObjectsTest {
    private static <K> MutableConfiguration<K, String> byReference(Class<K> k) {
        return new MutableConfiguration<K, String>().setTypes(k, String.class).setStoreByValue(false);
    }

    private static long memory(Cache<?, ?> c) {
        return ((EmbeddedCacheStore) c.unwrap(CachalotCache.class).store()).memoryUsage();
    }

    @Test
    void theInstancePutAndEqualInstancesFindTheEntry() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<Long, String> c = m.createCache("r", byReference(Long.class));
            Long k = Long.valueOf(1_234_567L);
            c.put(k, "v");
            assertThat(c.get(k)).isEqualTo("v");
            assertThat(c.get(Long.valueOf(1_234_567L))).isEqualTo("v");
            assertThat(c.containsKey(Long.valueOf(1_234_567L))).isTrue();
            assertThat(c.get(1_234_568L)).isNull();
            assertThat(memory(c)).as("the entry keeps the key object, and counts it")
                    .isEqualTo(MemorySize.ENTRY + MemorySize.ENTRY_VARIANT + MemorySize.array("r::1234567".length()) + 16 + MemorySize.memo(k));

            assertThat(c.getAndPut(Long.valueOf(1_234_567L), "w")).isEqualTo("v");
            assertThat(c.get(k)).isEqualTo("w");
            assertThat(c.remove(k)).isTrue();
            assertThat(c.get(k)).isNull();
            assertThat(memory(c)).isZero();

            Long negative = Long.valueOf(-42_000L);
            c.put(negative, "n");
            assertThat(c.get(negative)).isEqualTo("n");
            assertThat(c.get(Long.valueOf(-42_000L))).isEqualTo("n");
            assertThat(c.get(42_000L)).isNull();

            Cache<Integer, String> ints = m.createCache("i", byReference(Integer.class));
            Integer i = Integer.valueOf(99_999);
            ints.put(i, "x");
            assertThat(ints.get(i)).isEqualTo("x");
            assertThat(ints.get(Integer.valueOf(99_999))).isEqualTo("x");
        }
    }

    @Test
    void aByValueCacheKeepsNoKeyObject() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<Long, String> c = m.createCache("v", new MutableConfiguration<Long, String>()
                    .setTypes(Long.class, String.class));
            c.put(1_234_567L, "v");
            assertThat(memory(c)).as("no key object, but room for a decoded value")
                    .isEqualTo(MemorySize.ENTRY + MemorySize.ENTRY_VARIANT + MemorySize.array("v::1234567".length())
                    + MemorySize.array(1));
        }
    }

    /** The same Long as the key of two caches in one database: each cache finds its own entry. */
    @Test
    void cachesSharingKeyObjectsKeepTheirOwnEntries() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<Long, String> a = m.createCache("a", byReference(Long.class));
            Cache<Long, String> b = m.createCache("b", byReference(Long.class));
            Long[] keys = new Long[10_000];
            for (int n = 0; n < keys.length; n++) {
                keys[n] = Long.valueOf(1_000_000L + n);
                a.put(keys[n], "a" + n);
                b.put(keys[n], "b" + n);
            }
            for (int n = 0; n < keys.length; n++) {
                assertThat(a.get(keys[n])).isEqualTo("a" + n);
                assertThat(b.get(keys[n])).isEqualTo("b" + n);
            }
            for (int n = 0; n < keys.length; n += 2) {
                assertThat(a.remove(keys[n])).isTrue();
            }
            for (int n = 0; n < keys.length; n++) {
                assertThat(a.get(keys[n])).isEqualTo(n % 2 == 0 ? null : "a" + n);
                assertThat(b.get(keys[n])).isEqualTo("b" + n);
            }
        }
    }

    /** Keys renamed, deleted or swapped to another database over RESP lose nothing and match nothing wrongly. */
    @Test
    void respChangesToTheKeysAreSeen() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<Long, String> c = m.createCache("r", byReference(Long.class));
            EmbeddedClient client = new EmbeddedClient(m.engine());
            Long k = Long.valueOf(1_234_567L);
            Long other = Long.valueOf(7_654_321L);
            c.put(k, "v");
            client.call("RENAME", "r::1234567", "r::7654321");
            assertThat(c.get(k)).isNull();
            assertThat(c.get(other)).isEqualTo("v");
            c.put(k, "again");
            client.call("DEL", "r::1234567");
            assertThat(c.get(k)).isNull();
            client.call("SET", "r::1234567", "from resp");
            assertThat(c.get(k)).isEqualTo("from resp");
            c.put(k, "w");
            client.call("SWAPDB", "0", "1");
            assertThat(c.get(k)).isNull();
            assertThat(c.get(other)).isNull();
            client.call("SWAPDB", "0", "1");
            assertThat(c.get(k)).isEqualTo("w");
            assertThat(c.get(other)).isEqualTo("v");
        }
    }
}
