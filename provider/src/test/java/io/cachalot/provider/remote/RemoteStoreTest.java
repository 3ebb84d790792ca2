package io.cachalot.provider.remote;

import io.cachalot.provider.CachalotCacheManager;
import io.cachalot.provider.CachalotCachingProvider;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.processor.EntryProcessor;
import java.net.URI;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JCache on a remote store, against a Cachalot server and a real redis-server: two cache managers
 * stand for two JVMs sharing the caches.
 */
class RemoteStoreTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** A server to share: a Cachalot engine served over RESP, or redis-server. */
    private static final class Target implements AutoCloseable {
        final int port;
        private final AutoCloseable owner;

        Target(String kind) {
            if (kind.equals("redis")) {
                RedisServerProcess r = RedisServerProcess.start();
                owner = r;
                port = r.port();
            } else {
                Properties p = new Properties();
                p.setProperty("cachalot.resp.port", "0");
                CachalotCacheManager m = manager(p);
                owner = m;
                port = m.respPort();
            }
        }

        /** A remote manager on this server, with further settings as name, value pairs. */
        CachalotCacheManager remote(String... settings) {
            return RemoteStoreTest.remote("redis://127.0.0.1:" + port, settings);
        }

        Jedis jedis() {
            return new Jedis("127.0.0.1", port);
        }

        @Override
        public void close() throws Exception {
            owner.close();
        }
    }

    /** A remote manager on the servers of {@code uris}, with further settings as name, value pairs. */
    static CachalotCacheManager remote(String uris, String... settings) {
        Properties p = new Properties();
        p.setProperty("cachalot.mode", "remote");
        p.setProperty("cachalot.remote.uri", uris);
        for (int i = 0; i < settings.length; i += 2) {
            p.setProperty(settings[i], settings[i + 1]);
        }
        return manager(p);
    }

    private static CachalotCacheManager manager(Properties p) {
        CacheManager m = Caching.getCachingProvider(CachalotCachingProvider.class.getName())
                .getCacheManager(URI.create("urn:cachalot:remote-test-" + SEQ.incrementAndGet()),
                        RemoteStoreTest.class.getClassLoader(), p);
        return m.unwrap(CachalotCacheManager.class);
    }

    private static MutableConfiguration<String, String> strings() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void twoManagersShareEntriesReadableFromRedisCli(String kind) throws Exception {
        try (Target t = new Target(kind); CachalotCacheManager a = t.remote(); CachalotCacheManager b = t.remote();
             Jedis jedis = t.jedis()) {
            Cache<String, String> ca = a.createCache("users", strings());
            Cache<String, String> cb = b.createCache("users", strings());
            ca.put("1", "ada");
            assertThat(cb.get("1")).isEqualTo("ada");
            assertThat(jedis.get("users::1")).isEqualTo("ada");
            assertThat(cb.putIfAbsent("1", "bob")).isFalse();
            assertThat(cb.putIfAbsent("2", "bob")).isTrue();
            assertThat(ca.replace("1", "nope", "x")).isFalse();
            assertThat(ca.replace("1", "ada", "ada2")).isTrue();
            assertThat(cb.getAndPut("1", "ada3")).isEqualTo("ada2");
            assertThat(ca.containsKey("2")).isTrue();
            assertThat(ca.getAndRemove("2")).isEqualTo("bob");
            assertThat(cb.containsKey("2")).isFalse();
            jedis.set("users::3", "written by redis-cli");
            assertThat(ca.get("3")).isEqualTo("written by redis-cli");
            assertThat(ca.remove("1", "ada3")).isTrue();
            assertThat(cb.get("1")).isNull();
            // no lock is left behind (an operation that wrote nothing releases it without waiting)
            long deadline = System.currentTimeMillis() + 2000;
            while (!jedis.keys("*lock*").isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(jedis.keys("*lock*")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void entryProcessorsAreAtomicAcrossManagers(String kind) throws Exception {
        try (Target t = new Target(kind); CachalotCacheManager a = t.remote(); CachalotCacheManager b = t.remote()) {
            MutableConfiguration<String, Integer> cfg = new MutableConfiguration<String, Integer>()
                    .setTypes(String.class, Integer.class);
            Cache<String, Integer> ca = a.createCache("counters", cfg);
            Cache<String, Integer> cb = b.createCache("counters", cfg);
            EntryProcessor<String, Integer, Integer> increment = (e, args) -> {
                int n = e.exists() ? e.getValue() + 1 : 1;
                e.setValue(n);
                return n;
            };
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<?>[] fs = new Future<?>[4];
                for (int i = 0; i < fs.length; i++) {
                    Cache<String, Integer> c = i % 2 == 0 ? ca : cb;
                    fs[i] = pool.submit(() -> {
                        for (int j = 0; j < 150; j++) {
                            c.invoke("hits", increment);
                        }
                    });
                }
                for (Future<?> f : fs) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(cb.get("hits")).isEqualTo(600);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void expiryIsTheKeysTtl(String kind) throws Exception {
        try (Target t = new Target(kind); CachalotCacheManager a = t.remote(); Jedis jedis = t.jedis()) {
            Cache<String, String> c = a.createCache("sessions", strings()
                    .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new CreatedExpiryPolicy(
                            new Duration(TimeUnit.MILLISECONDS, 300)))));
            c.put("s", "v");
            assertThat(jedis.pttl("sessions::s")).isBetween(1L, 300L);
            assertThat(c.iterator().hasNext()).isTrue();
            Thread.sleep(400);
            assertThat(c.get("s")).isNull();
            assertThat(jedis.exists("sessions::s")).isFalse();
            assertThat(c.iterator().hasNext()).isFalse();
            assertThat(c.unwrap(io.cachalot.provider.CachalotCache.class).size()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void sizeIterationAndClearStayWithinTheCache(String kind) throws Exception {
        try (Target t = new Target(kind); CachalotCacheManager a = t.remote(); CachalotCacheManager b = t.remote();
             Jedis jedis = t.jedis()) {
            Cache<String, String> c = a.createCache("big", strings());
            Cache<String, String> other = a.createCache("other", strings());
            other.put("keep", "me");
            for (int i = 0; i < 2500; i++) {
                c.put("k" + i, "v" + i);
            }
            Cache<String, String> seen = b.createCache("big", strings());
            assertThat(seen.unwrap(io.cachalot.provider.CachalotCache.class).size()).isEqualTo(2500);
            Set<String> keys = new HashSet<>();
            for (Cache.Entry<String, String> e : seen) {
                keys.add(e.getKey());
                assertThat(e.getValue()).isEqualTo("v" + e.getKey().substring(1));
            }
            assertThat(keys).hasSize(2500);
            seen.clear();
            assertThat(c.get("k1")).isNull();
            assertThat(c.unwrap(io.cachalot.provider.CachalotCache.class).size()).isZero();
            assertThat(jedis.keys("big::*")).isEmpty();
            assertThat(other.get("keep")).isEqualTo("me");
            // closing a manager leaves the shared entries to the others
            a.close();
            assertThat(b.createCache("other", strings()).get("keep")).isEqualTo("me");
        }
    }

    /** Collects every event it hears, as "TYPE key value old". */
    static final class Heard implements CacheEntryCreatedListener<String, String>, CacheEntryUpdatedListener<String, String>,
            CacheEntryRemovedListener<String, String>, CacheEntryExpiredListener<String, String>, java.io.Serializable {
        static final java.util.concurrent.LinkedBlockingQueue<String> EVENTS = new java.util.concurrent.LinkedBlockingQueue<>();

        private static void add(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            for (CacheEntryEvent<? extends String, ? extends String> e : events) {
                EVENTS.add(e.getEventType() + " " + e.getKey() + " " + e.getValue() + " "
                        + (e.isOldValueAvailable() ? e.getOldValue() : "-"));
            }
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            add(events);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            add(events);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            add(events);
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            add(events);
        }

        static String next() throws InterruptedException {
            String e = EVENTS.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("an event within 5 s").isNotNull();
            return e;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void listenersHearWhatOtherJvmsChangeAndWhatTheServerExpires(String kind) throws Exception {
        Heard.EVENTS.clear();
        try (Target t = new Target(kind); CachalotCacheManager a = t.remote(); CachalotCacheManager b = t.remote()) {
            Cache<String, String> listening = a.createCache("watched", strings()
                    .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                            FactoryBuilder.factoryOf(new Heard()), null, true, true)));
            Cache<String, String> other = b.createCache("watched", strings()
                    .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new CreatedExpiryPolicy(
                            new Duration(TimeUnit.MILLISECONDS, 200)))));
            Cache<String, String> eternal = b.getCache("watched");
            other.put("k", "v1");
            assertThat(Heard.next()).isEqualTo("CREATED k v1 -");
            eternal.replace("k", "v2");
            assertThat(Heard.next()).isEqualTo("UPDATED k v2 v1");
            other.remove("k");
            assertThat(Heard.next()).isEqualTo("REMOVED k v2 v2");
            // this JVM's own writes are heard once, from the cache itself
            listening.put("mine", "x");
            assertThat(Heard.next()).isEqualTo("CREATED mine x -");
            // the server expires the entry other made: no value is left to tell
            other.put("short", "lived");
            assertThat(Heard.next()).isEqualTo("CREATED short lived -");
            assertThat(Heard.next()).startsWith("EXPIRED short");
            Thread.sleep(200);
            assertThat(Heard.EVENTS).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis"})
    void aServerOutageFailsClearlyOrDegradesToMissesAsConfigured(String kind) throws Exception {
        Target t = new Target(kind);
        try (CachalotCacheManager failing = t.remote();
             CachalotCacheManager missing = t.remote("cachalot.remote.on-failure", "miss")) {
            Cache<String, String> strict = failing.createCache("c", strings());
            Cache<String, String> lenient = missing.createCache("c", strings());
            strict.put("k", "v");
            assertThat(lenient.get("k")).isEqualTo("v");
            t.close();
            Thread.sleep(200); // the client sees the connection go
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> strict.get("k")).isInstanceOf(CacheException.class)
                    .hasMessageContaining("127.0.0.1:" + t.port);
            assertThat(lenient.get("k")).isNull();
            lenient.put("k", "lost");
            assertThat(lenient.containsKey("k")).isFalse();
            assertThat((System.nanoTime() - t0) / 1_000_000).as("no waiting for timeouts").isLessThan(2000);
            assertThat(missing.remoteLostWrites()).isEqualTo(1);
            assertThat(missing.remoteFailures()).isGreaterThanOrEqualTo(3);
            assertThat(failing.remoteFailures()).isGreaterThanOrEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void nearCachesAnswerFromMemoryAndAreInvalidatedByOtherJvmsWrites(String kind) throws Exception {
        try (Target t = new Target(kind); Jedis jedis = t.jedis()) {
            try (CachalotCacheManager a = t.remote("cachalot.remote.near-cache-max-entries", "1000");
                 CachalotCacheManager b = t.remote("cachalot.remote.near-cache-max-entries", "1000")) {
                Cache<String, String> ca = a.createCache("near", strings());
                Cache<String, String> cb = b.createCache("near", strings());
                ca.put("k", "v1");
                assertThat(cb.get("k")).isEqualTo("v1");
                // b's copy answers without a round trip to the server
                long commands = commandsProcessed(jedis);
                for (int i = 0; i < 100; i++) {
                    assertThat(cb.get("k")).isEqualTo("v1");
                }
                assertThat(commandsProcessed(jedis) - commands).as("reads served from the near cache").isLessThan(10);
                // a write in one JVM reaches the other's copy within milliseconds
                ca.put("k", "v2");
                assertThat(awaitValue(cb, "k", "v2")).isTrue();
                // BCAST tracking sees every writer, redis-cli included
                jedis.set("near::k", "from redis-cli");
                assertThat(awaitValue(cb, "k", "from redis-cli")).isTrue();
                assertThat(awaitValue(ca, "k", "from redis-cli")).isTrue();
                ca.remove("k");
                assertThat(awaitValue(cb, "k", null)).isTrue();
                // the writer's own copy follows its writes
                ca.put("own", "x");
                assertThat(ca.get("own")).isEqualTo("x");
                ca.put("own", "y");
                assertThat(ca.get("own")).isEqualTo("y");
                jedis.flushAll();
                assertThat(awaitValue(ca, "own", null)).isTrue();
            }
        }
    }

    private static long commandsProcessed(Jedis jedis) {
        String info = jedis.info("stats");
        return Long.parseLong(info.replaceAll("(?s).*total_commands_processed:(\\d+).*", "$1"));
    }

    private static boolean awaitValue(Cache<String, String> c, String key, String value) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 2000;
        while (System.currentTimeMillis() < deadline) {
            if (java.util.Objects.equals(c.get(key), value)) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void aLockLeftByAStoppedJvmLapsesAndAnOperationOutlastingItsLeaseChangesNothing(String kind) throws Exception {
        try (Target t = new Target(kind); Jedis jedis = t.jedis()) {
            try (CachalotCacheManager a = t.remote("cachalot.remote.lock-lease", "300")) {
                Cache<String, String> c = a.createCache("leases", strings());
                c.put("k", "v1");
                // a JVM that stopped in the middle of an operation: its lock lapses with its lease
                jedis.psetex("{leases::k}:lock", 300, "someone else");
                long t0 = System.nanoTime();
                c.put("k", "v2");
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 3000L);
                assertThat(c.get("k")).isEqualTo("v2");
                // an operation that takes longer than its lease: another may have taken the entry,
                // so its change is refused rather than written over the other's
                assertThatThrownBy(() -> c.invoke("k", (e, args) -> {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    e.setValue("too late");
                    return null;
                })).hasStackTraceContaining("outlasted its lock's lease");
                assertThat(c.get("k")).isEqualTo("v2");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot"})
    void whatARemoteCacheCannotDoIsRefusedClearly(String kind) throws Exception {
        try (Target t = new Target(kind); CachalotCacheManager a = t.remote()) {
            assertThatThrownBy(() -> a.createCache("refs", strings().setStoreByValue(false)))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("store-by-reference");
        }
        int closed = RedisServerProcess.freePort();
        assertThatThrownBy(() -> remote("redis://127.0.0.1:" + closed, "cachalot.remote.timeout", "1000"))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("127.0.0.1:" + closed);
        Properties bad = new Properties();
        bad.setProperty("cachalot.mode", "remote");
        bad.setProperty("cachalot.engine.maxmemory", "1mb");
        assertThatThrownBy(() -> manager(bad)).isInstanceOf(CacheException.class)
                .hasMessageContaining("cachalot.mode=remote");
    }
}
