package io.cachalot.provider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Statistics values for a sequence of operations, and their MBeans. */
class StatisticsTest {
    private final CachalotCacheManager manager = Caches.manager();

    @AfterEach
    void close() {
        manager.close();
    }

    private Cache<String, String> cache(int maxEntries) {
        io.cachalot.provider.config.CachalotConfiguration<String, String> c =
                new io.cachalot.provider.config.CachalotConfiguration<>();
        c.setTypes(String.class, String.class);
        c.setStatisticsEnabled(true).setManagementEnabled(true);
        if (maxEntries > 0) {
            c.setMaxEntries(maxEntries);
        }
        return manager.createCache("stats", c);
    }

    @Test
    void countersFollowTheOperations() throws Exception {
        Cache<String, String> c = cache(0);
        c.put("a", "1");                 // put
        c.get("a");                      // hit
        c.get("zz");                     // miss
        c.getAll(Set.of("a", "b"));      // hit, miss
        c.putAll(Map.of("b", "2", "c", "3")); // 2 puts
        c.putIfAbsent("a", "x");         // hit
        c.getAndPut("d", "4");           // miss, put
        c.replace("a", "1", "11");       // hit, put
        c.remove("c");                   // removal
        c.getAndRemove("nope");          // miss
        c.invoke("b", (e, a) -> null);   // hit
        c.containsKey("a");              // nothing
        CachalotCache<?, ?> cc = c.unwrap(CachalotCache.class);
        assertThat(cc.statistics().getCachePuts()).isEqualTo(5);
        assertThat(cc.statistics().getCacheHits()).isEqualTo(5);
        assertThat(cc.statistics().getCacheMisses()).isEqualTo(4);
        assertThat(cc.statistics().getCacheRemovals()).isEqualTo(1);
        assertThat(cc.statistics().getCacheGets()).isEqualTo(9);
        assertThat(cc.statistics().getCacheHitPercentage()).isBetween(55.5f, 55.6f);
        assertThat(cc.statistics().getAverageGetTime()).isGreaterThan(0f);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName stats = new ObjectName("javax.cache:type=CacheStatistics,CacheManager="
                + manager.getURI().toString().replace(':', '.') + ",Cache=stats");
        assertThat(server.getAttribute(stats, "CachePuts")).isEqualTo(5L);
        ObjectName conf = new ObjectName("javax.cache:type=CacheConfiguration,CacheManager="
                + manager.getURI().toString().replace(':', '.') + ",Cache=stats");
        assertThat(server.getAttribute(conf, "KeyType")).isEqualTo("java.lang.String");
        server.invoke(stats, "clear", null, null);
        assertThat(cc.statistics().getCachePuts()).isZero();

        manager.enableStatistics("stats", false);
        assertThat(server.isRegistered(stats)).isFalse();
        c.put("e", "5");
        assertThat(cc.statistics().getCachePuts()).isZero();
        manager.destroyCache("stats");
        assertThat(server.isRegistered(conf)).isFalse();
    }

    @Test
    void memoryBoundEvicts() {
        io.cachalot.provider.config.CachalotConfiguration<String, String> c =
                new io.cachalot.provider.config.CachalotConfiguration<>();
        c.setTypes(String.class, String.class);
        c.setStatisticsEnabled(true);
        c.setMaxMemory(1 << 20);
        Cache<String, String> cache = manager.createCache("mem", c);
        String kb = "v".repeat(1000);
        for (int i = 0; i < 5000; i++) {
            cache.put("k" + i, kb);
        }
        CachalotCache<?, ?> cc = cache.unwrap(CachalotCache.class);
        io.cachalot.provider.store.EmbeddedCacheStore store =
                cc.unwrap(io.cachalot.provider.store.EmbeddedCacheStore.class);
        assertThat(store.memoryUsage()).isLessThanOrEqualTo(1 << 20);
        assertThat(cc.size()).isBetween(800L, 1000L);
        assertThat(cc.statistics().getCacheEvictions()).isEqualTo(5000 - cc.size());
    }

    @Test
    void evictionsAreCounted() {
        Cache<String, String> c = cache(100);
        for (int i = 0; i < 1000; i++) {
            c.put("k" + i, "v");
        }
        CachalotCache<?, ?> cc = c.unwrap(CachalotCache.class);
        assertThat(cc.size()).isEqualTo(100);
        assertThat(cc.statistics().getCacheEvictions()).isEqualTo(900);
        assertThat(cc.statistics().getCachePuts()).isEqualTo(1000);
    }
}
