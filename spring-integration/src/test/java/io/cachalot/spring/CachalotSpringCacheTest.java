package io.cachalot.spring;

import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachalotSpringCacheTest {
    private final CachalotSpringCacheManager manager = CachalotSpringCacheManager.builder()
            .cache("short", CachalotCacheConfig.defaults().withTimeToLive(Duration.ofMillis(100)))
            .cache("idle", CachalotCacheConfig.defaults().withTimeToIdle(Duration.ofMillis(300)))
            .cache("strict", CachalotCacheConfig.defaults().withNullValues(false))
            .cache("both", CachalotCacheConfig.defaults().withTimeToLive(Duration.ofMillis(500))
                    .withTimeToIdle(Duration.ofMillis(200)))
            .build();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void basicOperations() {
        Cache c = manager.getCache("books");
        assertThat(c.get("isbn-1")).isNull();
        c.put("isbn-1", "Dune");
        assertThat(c.get("isbn-1").get()).isEqualTo("Dune");
        assertThat(c.get("isbn-1", String.class)).isEqualTo("Dune");
        assertThat(c.putIfAbsent("isbn-1", "other").get()).isEqualTo("Dune");
        assertThat(c.putIfAbsent("isbn-2", "Emma")).isNull();
        c.put(new SimpleKey("a", 1), List.of(1, 2));
        assertThat(c.get(new SimpleKey("a", 1)).get()).isEqualTo(List.of(1, 2));
        c.evict("isbn-1");
        assertThat(c.get("isbn-1")).isNull();
        assertThat(c.evictIfPresent("isbn-2")).isTrue();
        assertThat(c.evictIfPresent("isbn-2")).isFalse();
        assertThat(c.invalidate()).isTrue();
        assertThat(c.invalidate()).isFalse();
        assertThat(manager.getCacheNames()).contains("books", "short", "idle", "strict");
    }

    @Test
    void entriesAreEngineKeysAndClearStaysInItsCache() {
        Cache a = manager.getCache("a");
        Cache b = manager.getCache("b");
        a.put(42L, "x");
        b.put(42L, "y");
        EmbeddedClient client = new EmbeddedClient(manager.engine());
        assertThat(client.call("EXISTS", "a::42", "b::42")).isEqualTo(2L);
        a.clear();
        assertThat(a.get(42L)).isNull();
        assertThat(b.get(42L).get()).isEqualTo("y");
        assertThat(client.call("DBSIZE")).isEqualTo(1L);
        assertThatThrownBy(() -> a.put(new Object(), "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("toString");
    }

    @Test
    void nullValues() {
        Cache c = manager.getCache("nulls");
        c.put("k", null);
        assertThat(c.get("k")).isNotNull();
        assertThat(c.get("k").get()).isNull();
        Cache strict = manager.getCache("strict");
        assertThatThrownBy(() -> strict.put("k", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(strict.get("k", () -> "loaded")).isEqualTo("loaded");
    }

    @Test
    void timeToLiveAndTimeToIdle() throws Exception {
        Cache ttl = manager.getCache("short");
        ttl.put("k", "v");
        assertThat(ttl.get("k")).isNotNull();
        Thread.sleep(150);
        assertThat(ttl.get("k")).isNull();

        Cache idle = manager.getCache("idle");
        idle.put("k", "v");
        for (int i = 0; i < 5; i++) {
            Thread.sleep(150); // each read restarts the 300 ms of idleness
            assertThat(idle.get("k")).as("read %d", i).isNotNull();
        }
        Thread.sleep(400);
        assertThat(idle.get("k")).isNull();

        // both: reads keep it past the idle time, but never past the time to live
        Cache both = manager.getCache("both");
        both.put("k", "v");
        long written = System.currentTimeMillis();
        Thread.sleep(120);
        assertThat(both.get("k")).isNotNull();
        Thread.sleep(120);
        assertThat(both.get("k")).as("kept by the read at 120 ms").isNotNull();
        while (System.currentTimeMillis() - written < 450) {
            Thread.sleep(50);
            both.get("k");
        }
        Thread.sleep(150); // past 500 ms since the write, although read within the idle time
        assertThat(both.get("k")).isNull();
        both.put("k2", "v");
        Thread.sleep(300);
        assertThat(both.get("k2")).as("idle for 300 ms").isNull();
    }

    @Test
    void singleFlightPerKey() throws Exception {
        Cache c = manager.getCache("flights");
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch inLoader = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> c.get("k", () -> {
                    loads.incrementAndGet();
                    inLoader.countDown();
                    release.await();
                    return "loaded";
                })));
            }
            inLoader.await();
            Thread.sleep(100); // let the other callers arrive and wait
            // another key is not held up by the load in flight
            assertThat(c.get("other", () -> "free")).isEqualTo("free");
            release.countDown();
            for (Future<String> f : results) {
                assertThat(f.get()).isEqualTo("loaded");
            }
            assertThat(loads.get()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingLoaderReachesEveryWaiterAndCachesNothing() throws Exception {
        Cache c = manager.getCache("failing");
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> c.get("k", () -> {
                    release.await();
                    throw new IllegalStateException("backend down");
                })));
            }
            Thread.sleep(100);
            release.countDown();
            for (Future<Object> f : results) {
                assertThatThrownBy(f::get).hasCauseInstanceOf(Cache.ValueRetrievalException.class)
                        .hasRootCauseMessage("backend down");
            }
            assertThat(c.get("k")).isNull();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void asyncRetrieve() throws Exception {
        Cache c = manager.getCache("async");
        assertThat(c.retrieve("k")).isNull();
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<String> first = c.retrieve("k", () -> CompletableFuture.supplyAsync(() -> {
            loads.incrementAndGet();
            return "v";
        }));
        assertThat(first.get()).isEqualTo("v");
        assertThat(c.retrieve("k", () -> CompletableFuture.completedFuture("other")).get()).isEqualTo("v");
        assertThat(((Cache.ValueWrapper) c.retrieve("k").get()).get()).isEqualTo("v");
        assertThat(loads.get()).isEqualTo(1);
    }
}
