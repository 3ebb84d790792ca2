package io.cachalot.provider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact event streams listeners receive, including expiry the engine finds on its own. */
class EventStreamTest {
    /** Events as "TYPE key value old", in arrival order (shared: listeners are created by factories). */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    public static final class Recorder implements CacheEntryCreatedListener<Integer, String>,
            CacheEntryUpdatedListener<Integer, String>, CacheEntryRemovedListener<Integer, String>,
            CacheEntryExpiredListener<Integer, String>, Serializable {
        private void record(Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
            for (CacheEntryEvent<? extends Integer, ? extends String> e : events) {
                SEEN.add(e.getEventType() + " " + e.getKey() + " " + e.getValue() + " " + e.getOldValue());
            }
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
            record(events);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
            record(events);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
            record(events);
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
            record(events);
        }
    }

    public static final class EvenKeys implements CacheEntryEventFilter<Integer, String>, Serializable {
        @Override
        public boolean evaluate(CacheEntryEvent<? extends Integer, ? extends String> event) {
            return event.getKey() % 2 == 0;
        }
    }

    private final CachalotCacheManager manager = Caches.manager();

    @AfterEach
    void close() {
        manager.close();
        SEEN.clear();
    }

    private Cache<Integer, String> cache(boolean synchronous, Class<? extends CacheEntryEventFilter<Integer, String>> filter) {
        MutableConfiguration<Integer, String> c = new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class);
        c.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(Recorder.class), filter == null ? null : FactoryBuilder.factoryOf(filter),
                true, synchronous));
        return manager.createCache("events", c);
    }

    @Test
    void synchronousListenerSeesEveryChangeInOrderWithOldValues() {
        Cache<Integer, String> c = cache(true, null);
        c.put(1, "a");
        c.put(1, "b");
        c.getAndPut(1, "c");
        c.putIfAbsent(1, "ignored");
        c.replace(1, "c", "d");
        c.replace(1, "wrong", "x");
        c.invoke(2, (e, args) -> {
            e.setValue("two");
            return null;
        });
        c.putAll(Map.of(3, "three"));
        c.remove(1);
        c.removeAll(new java.util.LinkedHashSet<>(List.of(2, 3, 99)));
        c.put(4, "four");
        c.clear(); // clear is silent
        assertThat(SEEN).containsExactly(
                "CREATED 1 a null",
                "UPDATED 1 b a",
                "UPDATED 1 c b",
                "UPDATED 1 d c",
                "CREATED 2 two null",
                "CREATED 3 three null",
                "REMOVED 1 d d",
                "REMOVED 2 two two",
                "REMOVED 3 three three",
                "CREATED 4 four null");
    }

    @Test
    void filterAndDeregistration() {
        Cache<Integer, String> c = cache(true, EvenKeys.class);
        for (int i = 0; i < 6; i++) {
            c.put(i, "v" + i);
        }
        assertThat(SEEN).containsExactly("CREATED 0 v0 null", "CREATED 2 v2 null", "CREATED 4 v4 null");
        @SuppressWarnings("unchecked")
        MutableConfiguration<Integer, String> conf = c.getConfiguration(MutableConfiguration.class);
        c.deregisterCacheEntryListener(conf.getCacheEntryListenerConfigurations().iterator().next());
        c.put(8, "v8");
        assertThat(SEEN).hasSize(3);
    }

    @Test
    void asynchronousListenerGetsEventsInOrderOnAnotherThread() throws Exception {
        Cache<Integer, String> c = cache(false, null);
        for (int i = 0; i < 200; i++) {
            c.put(i % 10, "v" + i);
        }
        Caches.await(() -> SEEN.size() == 200, 5000);
        assertThat(SEEN.get(0)).isEqualTo("CREATED 0 v0 null");
        assertThat(SEEN.get(199)).isEqualTo("UPDATED 9 v199 v189");
    }

    @Test
    void expiredEventsFireWithoutAnyAccess() throws Exception {
        MutableConfiguration<Integer, String> c = new MutableConfiguration<Integer, String>()
                .setTypes(Integer.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 50)));
        c.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(Recorder.class), null, true, true));
        Cache<Integer, String> cache = manager.createCache("expiring", c);
        for (int i = 0; i < 20; i++) {
            cache.put(i, "v" + i);
        }
        SEEN.clear();
        // Nobody reads the cache: the engine's active expiry finds the entries and the cache reports them.
        Caches.await(() -> SEEN.size() == 20, 5000);
        assertThat(SEEN).allMatch(s -> s.startsWith("EXPIRED "));
        assertThat(SEEN).contains("EXPIRED 7 v7 v7");
        assertThat(cache.unwrap(CachalotCache.class).size()).isZero();
    }

    @Test
    void expiryFoundByAnAccessFiresOnceBeforeTheOperationReturns() throws Exception {
        MutableConfiguration<Integer, String> c = new MutableConfiguration<Integer, String>()
                .setTypes(Integer.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 30)));
        c.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(Recorder.class), null, true, true));
        java.util.Properties slowCycle = new java.util.Properties();
        slowCycle.setProperty("cachalot.engine.hz", "1"); // keep the background cycle out of the way
        CachalotCacheManager m = Caches.manager(slowCycle);
        try {
            Cache<Integer, String> cache = m.createCache("expiring", c);
            cache.put(1, "one");
            Thread.sleep(60);
            assertThat(cache.get(1)).isNull();
            assertThat(SEEN).containsExactly("CREATED 1 one null", "EXPIRED 1 one one");
            assertThat(cache.get(1)).isNull();
            assertThat(SEEN).hasSize(2);
        } finally {
            m.close();
        }
    }
}
