package io.cachalot.spring;

import io.cachalot.core.api.EmbeddedClient;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The values of the cache and engine meters after known operations. */
class MetricsTest {
    @Test
    void cacheMeters() {
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder()
                .cache("small", CachalotCacheConfig.defaults().withMaxEntries(3)).build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            CachalotSpringCache c = (CachalotSpringCache) m.getCache("small");
            CachalotCacheMetrics.monitor(registry, c, Tags.of("app", "test"));
            c.put("a", 1);
            c.get("a");                 // hit
            c.get("zz");                // miss
            c.get("b", () -> 2);        // miss, put
            c.putIfAbsent("a", 9);      // no put
            c.evict("a");               // removal
            for (int i = 0; i < 5; i++) {
                c.put("k" + i, i);      // 5 puts, 3 evictions past 3 entries
            }
            assertThat(registry.get("cache.gets").tag("result", "hit").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("cache.gets").tag("result", "miss").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("cache.puts").tag("cache", "small").functionCounter().count()).isEqualTo(7);
            assertThat(registry.get("cache.removals").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("cache.evictions").functionCounter().count()).isEqualTo(3);
            assertThat(registry.get("cache.size").tag("app", "test").gauge().value()).isEqualTo(3);
        }
    }

    @Test
    void engineMeters() {
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder().build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new CachalotEngineMetrics(m.engine(), Tags.empty()).bindTo(registry);
            m.getCache("c").put("x", "y");
            EmbeddedClient client = new EmbeddedClient(m.engine());
            client.call("SET", "plain", "1");
            client.call("SELECT", "2");
            client.call("SET", "other", "1");
            assertThat(registry.get("cachalot.keys").tag("db", "0").gauge().value()).isEqualTo(2);
            assertThat(registry.get("cachalot.keys").tag("db", "2").gauge().value()).isEqualTo(1);
            assertThat(registry.get("cachalot.commands.processed").functionCounter().count()).isEqualTo(3);
            assertThat(registry.get("cachalot.memory.used").gauge().value()).isGreaterThan(100);
            assertThat(registry.get("cachalot.clients.connected").gauge().value()).isZero();
            assertThat(registry.get("cachalot.keys.expired").functionCounter().count()).isZero();
        }
    }
}
