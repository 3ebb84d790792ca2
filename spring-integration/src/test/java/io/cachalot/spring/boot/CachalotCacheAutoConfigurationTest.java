package io.cachalot.spring.boot;

import io.cachalot.spring.CachalotSpringCache;
import io.cachalot.spring.CachalotSpringCacheManager;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.cache.CacheMetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Boot auto-configuration: properties, back-off, the remote-mode checks, and an application's @Cacheable. */
class CachalotCacheAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CachalotCacheAutoConfiguration.class, CacheAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Caching {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class OwnManager {
        @Bean
        CacheManager myCacheManager() {
            return new ConcurrentMapCacheManager("mine");
        }
    }

    public static class Weather {
        private final AtomicInteger calls = new AtomicInteger();

        @Cacheable("forecasts")
        public String forecast(String city) {
            calls.incrementAndGet();
            return "sunny in " + city;
        }

        public int calls() {
            return calls.get();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class WeatherApp {
        @Bean
        Weather weather() {
            return new Weather();
        }
    }

    @Test
    void cachalotIsTheCacheManagerAndPropertiesApply() {
        runner.withUserConfiguration(Caching.class)
                .withPropertyValues("spring.cache.cache-names=users,books",
                        "cachalot.cache-defaults.time-to-live=10m",
                        "cachalot.caches.users.max-entries=2",
                        "cachalot.caches.users.key-prefix=app:{name}:")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(CachalotSpringCacheManager.class);
                    CacheManager m = ctx.getBean(CacheManager.class);
                    assertThat(m.getCacheNames()).containsExactlyInAnyOrder("users", "books");
                    assertThat(m.getCache("other")).isNull(); // cache-names fixes the set
                    CachalotSpringCache users = (CachalotSpringCache) m.getCache("users");
                    for (int i = 0; i < 5; i++) {
                        users.put(i, "u" + i);
                    }
                    assertThat(users.size()).isEqualTo(2);
                    assertThat(users.evictionCount()).isEqualTo(3);
                    var client = new io.cachalot.core.api.EmbeddedClient(((CachalotSpringCacheManager) m).engine());
                    assertThat((Long) client.call("TTL", "app:users:4")).isBetween(590L, 600L);
                });
    }

    @Test
    void transactionAwareByProperty() {
        runner.withUserConfiguration(Caching.class)
                .withPropertyValues("spring.cache.cache-names=tx", "cachalot.transaction-aware=true")
                .run(ctx -> assertThat(ctx.getBean(CacheManager.class).getCache("tx"))
                        .isInstanceOf(org.springframework.cache.transaction.TransactionAwareCacheDecorator.class));
    }

    @Test
    void backsOffWhenTheApplicationHasACacheManager() {
        runner.withUserConfiguration(OwnManager.class).run(ctx -> {
            assertThat(ctx).doesNotHaveBean(CachalotSpringCacheManager.class);
            assertThat(ctx.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
        });
    }

    @Test
    void nothingWithoutEnableCaching() {
        runner.run(ctx -> assertThat(ctx).doesNotHaveBean(CacheManager.class));
    }

    @Test
    void remoteModeIsValidatedAndRefusedClearly() {
        int closed = io.cachalot.testsupport.RedisServerProcess.freePort();
        runner.withUserConfiguration(Caching.class).withPropertyValues("cachalot.mode=remote",
                "spring.data.redis.port=" + closed, "cachalot.remote.timeout=1s").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).hasStackTraceContaining("cannot connect to the remote store at 127.0.0.1:" + closed);
        });
        runner.withUserConfiguration(Caching.class).withPropertyValues("cachalot.mode=remote",
                "cachalot.engine.maxmemory=1mb").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("cachalot.mode=remote");
        });
        runner.withUserConfiguration(Caching.class).withPropertyValues("cachalot.mode=cloudy").run(ctx ->
                assertThat(ctx).hasFailed());
    }

    @Test
    void applicationCachesThroughCachalotWithHitsMissesExpiryAndMeters() throws Exception {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CachalotCacheAutoConfiguration.class,
                        CacheAutoConfiguration.class, MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        CacheMetricsAutoConfiguration.class))
                .withUserConfiguration(WeatherApp.class)
                .withPropertyValues("spring.cache.cache-names=forecasts",
                        "cachalot.caches.forecasts.time-to-live=200ms",
                        "cachalot.caches.forecasts.max-entries=2",
                        "cachalot.resp.port=0")
                .run(ctx -> {
                    Weather w = ctx.getBean(Weather.class);
                    assertThat(w.forecast("Oslo")).isEqualTo("sunny in Oslo");
                    assertThat(w.forecast("Oslo")).isEqualTo("sunny in Oslo");
                    assertThat(w.calls()).isEqualTo(1);
                    Thread.sleep(300);
                    w.forecast("Oslo"); // expired: computed again
                    assertThat(w.calls()).isEqualTo(2);
                    MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                    assertThat(registry.get("cache.gets").tag("cache", "forecasts").tag("result", "hit")
                            .functionCounter().count()).isEqualTo(1);
                    assertThat(registry.get("cache.gets").tag("cache", "forecasts").tag("result", "miss")
                            .functionCounter().count()).isEqualTo(2);
                    assertThat(registry.get("cache.puts").tag("cache", "forecasts").functionCounter().count())
                            .isEqualTo(2);
                    assertThat(registry.get("cachalot.keys").tag("db", "0").gauge().value()).isEqualTo(1);
                    w.forecast("Rome");
                    w.forecast("Lima"); // a third entry: one is evicted
                    assertThat(registry.get("cache.evictions").tag("cache", "forecasts").functionCounter().count())
                            .isEqualTo(1);
                    assertThat(registry.get("cache.size").tag("cache", "forecasts").gauge().value()).isEqualTo(2);

                    // the engine is served over RESP: a client sees the entries and is counted
                    int port = ctx.getBean(io.cachalot.core.spi.EngineServer.Serving.class).port();
                    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                        s.getOutputStream().write("KEYS forecasts::*\r\n".getBytes());
                        byte[] buf = new byte[256];
                        int n = s.getInputStream().read(buf);
                        assertThat(new String(buf, 0, n)).startsWith("*2\r\n").contains("forecasts::");
                        assertThat(registry.get("cachalot.clients.connected").gauge().value()).isEqualTo(1);
                    }
                });
    }
}
