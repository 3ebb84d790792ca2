package io.cachalot.spring;

import io.cachalot.core.Engine;
import io.cachalot.core.spi.EngineServer;
import io.cachalot.spring.boot.CachalotCacheAutoConfiguration;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.Jedis;

import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring caches on a remote store, against a Cachalot server and a real redis-server: managers
 * (and Boot application contexts) stand for application instances sharing the caches.
 */
class RemoteSpringTest {
    /** A server to share: a Cachalot engine served over RESP, or redis-server. */
    private static final class Target implements AutoCloseable {
        final int port;
        private final AutoCloseable owner;

        Target(String kind) throws Exception {
            if (kind.equals("redis")) {
                RedisServerProcess r = RedisServerProcess.start();
                owner = r;
                port = r.port();
            } else {
                Engine engine = new Engine();
                EngineServer.Serving s = ServiceLoader.load(EngineServer.class).findFirst().orElseThrow()
                        .serve(engine, "127.0.0.1", 0);
                owner = () -> {
                    s.close();
                    engine.close();
                };
                port = s.port();
            }
        }

        CachalotSpringCacheManager manager() {
            Properties p = new Properties();
            p.setProperty("cachalot.remote.uri", "redis://127.0.0.1:" + port);
            return CachalotSpringCacheManager.builder()
                    .remote(io.cachalot.provider.config.RemoteSettings.of(p)).build();
        }

        @Override
        public void close() throws Exception {
            owner.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void managersShareCachesAndLoadOnceAcrossInstances(String kind) throws Exception {
        try (Target t = new Target(kind); CachalotSpringCacheManager a = t.manager();
             CachalotSpringCacheManager b = t.manager(); Jedis jedis = new Jedis("127.0.0.1", t.port)) {
            assertThat(a.isRemote()).isTrue();
            assertThat(a.engine()).isNull();
            Cache ca = a.getCache("books");
            Cache cb = b.getCache("books");
            ca.put("1", "Dune");
            assertThat(cb.get("1", String.class)).isEqualTo("Dune");
            assertThat(jedis.exists("books::1")).isTrue();
            cb.evict("1");
            assertThat(ca.get("1")).isNull();
            // get(key, loader): one instance loads while the other waits for the entry and reads it
            AtomicInteger loads = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<String> fa = pool.submit(() -> {
                    go.await();
                    return ca.get("slow", () -> {
                        loads.incrementAndGet();
                        Thread.sleep(300);
                        return "loaded";
                    });
                });
                Future<String> fb = pool.submit(() -> {
                    go.await();
                    return cb.get("slow", () -> {
                        loads.incrementAndGet();
                        Thread.sleep(300);
                        return "loaded";
                    });
                });
                go.countDown();
                assertThat(fa.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
                assertThat(fb.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
            } finally {
                pool.shutdownNow();
            }
            assertThat(loads).hasValue(1);
            cb.clear();
            assertThat(ca.get("slow")).isNull();
            assertThat(a.remoteCalls()).isPositive();
            assertThat(a.remoteCallNanos()).isPositive();
            assertThat(a.remoteFailures()).isZero();
            assertThat(jedis.keys("books::*")).isEmpty();
        }
    }

    /** An application's service: a slow lookup behind @Cacheable(sync = true). */
    public static class Prices {
        static final AtomicInteger LOOKUPS = new AtomicInteger();

        @Cacheable(cacheNames = "prices", sync = true)
        public String price(String item) throws InterruptedException {
            LOOKUPS.incrementAndGet();
            Thread.sleep(300);
            return item + ":42";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Shop {
        @Bean
        Prices prices() {
            return new Prices();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cachalot", "redis"})
    void twoBootApplicationsOnSpringDataRedisPropertiesShareOneLoad(String kind) throws Exception {
        Prices.LOOKUPS.set(0);
        try (Target t = new Target(kind)) {
            ApplicationContextRunner runner = new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(CachalotCacheAutoConfiguration.class, CacheAutoConfiguration.class))
                    .withUserConfiguration(Shop.class)
                    // an application already pointed at its Redis changes one property
                    .withPropertyValues("cachalot.mode=remote", "spring.data.redis.host=127.0.0.1",
                            "spring.data.redis.port=" + t.port);
            runner.run(one -> runner.run(two -> {
                assertThat(one.getBean(CacheManager.class)).isInstanceOf(CachalotSpringCacheManager.class);
                Prices p1 = one.getBean(Prices.class);
                Prices p2 = two.getBean(Prices.class);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    Future<String> f1 = pool.submit(() -> p1.price("tea"));
                    Future<String> f2 = pool.submit(() -> p2.price("tea"));
                    assertThat(f1.get(10, TimeUnit.SECONDS)).isEqualTo("tea:42");
                    assertThat(f2.get(10, TimeUnit.SECONDS)).isEqualTo("tea:42");
                } finally {
                    pool.shutdownNow();
                }
                assertThat(Prices.LOOKUPS).hasValue(1);
                assertThat(closeable(two).getBean(CacheManager.class).getCache("prices").get("tea")).isNotNull();
            }));
        }
    }

    private static ConfigurableApplicationContext closeable(org.springframework.context.ApplicationContext c) {
        return (ConfigurableApplicationContext) c;
    }
}
