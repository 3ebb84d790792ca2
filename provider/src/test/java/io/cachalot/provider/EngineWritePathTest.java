package io.cachalot.provider;

import io.cachalot.core.api.EmbeddedClient;
import io.cachalot.core.keyspace.ChangeKind;
import io.cachalot.core.keyspace.ChangeListener;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cache's writes take the engine's one write path: they are counted as changes, a client
 * WATCHing the entry's key sees them, and the keyspace's change stream reports them.
 */
class EngineWritePathTest {
    private static MutableConfiguration<String, String> strings() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    @Test
    void aCachePutFailsATransactionWatchingItsKey() throws Exception {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<String, String> c = m.createCache("c", strings());
            EmbeddedClient client = new EmbeddedClient(m.engine());
            client.call("WATCH", "c::k");
            // from another thread, as an application's request thread would
            CompletableFuture.runAsync(() -> c.put("k", "v")).get();
            client.call("MULTI");
            client.call("SET", "c::k", "mine");
            assertThat(client.call("EXEC")).isNull();
            assertThat(c.get("k")).isEqualTo("v");

            client.call("WATCH", "c::k");
            CompletableFuture.runAsync(() -> c.remove("k")).get();
            client.call("MULTI");
            client.call("SET", "c::k", "mine");
            assertThat(client.call("EXEC")).isNull();
        }
    }

    @Test
    void cacheReadsCountAsKeyspaceHitsAndMisses() {
        for (boolean byValue : new boolean[] {true, false}) {
            try (CachalotCacheManager m = Caches.manager()) {
                Cache<String, String> c = m.createCache("c", strings().setStoreByValue(byValue));
                io.cachalot.core.keyspace.KeyspaceStats stats = m.engine().keyspace().stats();
                c.put("a", "1");
                long hits = stats.keyspaceHits.sum();
                long misses = stats.keyspaceMisses.sum();
                c.get("a");               // the unlocked path
                c.get("absent");
                c.containsKey("a");
                c.containsKey("absent");
                c.getAll(java.util.Set.of("a", "absent"));
                assertThat(stats.keyspaceHits.sum() - hits).as("hits, by value: %s", byValue).isEqualTo(3);
                assertThat(stats.keyspaceMisses.sum() - misses).as("misses, by value: %s", byValue).isEqualTo(3);
            }
        }
    }

    @Test
    void cacheWritesAreCountedAndReported() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<String, String> c = m.createCache("c", strings());
            List<String> seen = new ArrayList<>();
            m.engine().keyspace().changes().subscribe(new ChangeListener() {
                @Override
                public void keyChanged(Database db, Entry e, ChangeKind kind) {
                    synchronized (seen) {
                        seen.add(kind + " " + Bytes.latin1(e.key()));
                    }
                }
            });
            long dirty = m.engine().keyspace().dirty().sum();
            c.put("a", "1");
            c.put("a", "2");
            c.get("a");
            c.remove("a");
            c.remove("absent");
            assertThat(m.engine().keyspace().dirty().sum() - dirty).isEqualTo(3);
            synchronized (seen) {
                assertThat(seen).containsExactly("CREATED c::a", "WRITTEN c::a", "DELETED c::a");
            }
        }
    }
}
