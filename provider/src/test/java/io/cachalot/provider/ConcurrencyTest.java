package io.cachalot.provider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-entry atomicity of the JCache operations under threads that race on the same keys. */
class ConcurrencyTest {
    private static final int THREADS = 4;

    private final CachalotCacheManager manager = Caches.manager();

    @AfterEach
    void close() {
        manager.close();
    }

    private static void race(Runnable body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    body.run();
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void invokeIsAtomicPerEntry() throws Exception {
        Cache<String, Long> c = manager.createCache("counters",
                new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
        race(() -> {
            for (int i = 0; i < 5000; i++) {
                c.invoke("hits", (e, args) -> {
                    e.setValue(e.exists() ? e.getValue() + 1 : 1L);
                    return null;
                });
            }
        });
        assertThat(c.get("hits")).isEqualTo(THREADS * 5000L);
    }

    @Test
    void exactlyOnePutIfAbsentWinsAndReplaceIsACompareAndSet() throws Exception {
        Cache<Integer, Integer> c = manager.createCache("cas",
                new MutableConfiguration<Integer, Integer>().setTypes(Integer.class, Integer.class));
        AtomicInteger winners = new AtomicInteger();
        race(() -> {
            for (int k = 0; k < 1000; k++) {
                if (c.putIfAbsent(k, k)) {
                    winners.incrementAndGet();
                }
            }
        });
        assertThat(winners.get()).isEqualTo(1000);
        AtomicInteger increments = new AtomicInteger();
        race(() -> {
            for (int i = 0; i < 2000; i++) {
                while (true) {
                    Integer v = c.get(0);
                    if (c.replace(0, v, v + 1)) {
                        increments.incrementAndGet();
                        break;
                    }
                }
            }
        });
        assertThat(c.get(0)).isEqualTo(increments.get()).isEqualTo(THREADS * 2000);
    }

    @Test
    void readsDuringConcurrentWritesSeeWholeValues() throws Exception {
        Cache<Integer, String> c = manager.createCache("rw",
                new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
        for (int k = 0; k < 100; k++) {
            c.put(k, "a".repeat(100));
        }
        race(() -> {
            java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
            for (int i = 0; i < 20000; i++) {
                int k = r.nextInt(100);
                if (r.nextBoolean()) {
                    c.put(k, String.valueOf((char) ('a' + r.nextInt(26))).repeat(100));
                } else {
                    String v = c.get(k);
                    // a value is always one letter repeated: never a mix of two writes
                    assertThat(v).hasSize(100).matches(v.charAt(0) + "{100}");
                }
            }
        });
    }
}
