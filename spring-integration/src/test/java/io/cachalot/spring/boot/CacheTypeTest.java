package io.cachalot.spring.boot;

import io.cachalot.spring.CachalotSpringCacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** spring.cache.type is honoured as Boot's own cache auto-configuration honours it. */
class CacheTypeTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CachalotCacheAutoConfiguration.class, CacheAutoConfiguration.class))
            .withUserConfiguration(App.class);

    public static class Clock {
        private final AtomicInteger calls = new AtomicInteger();

        @Cacheable("time")
        public String now(String zone) {
            return zone + "#" + calls.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class App {
        @Bean
        Clock clock() {
            return new Clock();
        }
    }

    private static boolean cached(Clock clock) {
        return clock.now("utc").equals(clock.now("utc"));
    }

    @Test
    void unsetMeansCachalot() {
        runner.run(ctx -> {
            assertThat(ctx.getBean(CacheManager.class)).isInstanceOf(CachalotSpringCacheManager.class);
            assertThat(cached(ctx.getBean(Clock.class))).isTrue();
        });
        runner.withPropertyValues("spring.cache.type=").run(ctx ->
                assertThat(ctx.getBean(CacheManager.class)).isInstanceOf(CachalotSpringCacheManager.class));
    }

    /** How Boot users switch caching off in tests: nothing is cached any more. */
    @Test
    void noneSwitchesCachingOff() {
        runner.withPropertyValues("spring.cache.type=none").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(CachalotSpringCacheManager.class);
            assertThat(ctx.getBean(CacheManager.class)).isInstanceOf(NoOpCacheManager.class);
            assertThat(cached(ctx.getBean(Clock.class))).isFalse();
        });
    }

    @Test
    void simpleIsBootsMapCache() {
        runner.withPropertyValues("spring.cache.type=simple").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(CachalotSpringCacheManager.class);
            assertThat(ctx.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
            assertThat(cached(ctx.getBean(Clock.class))).isTrue();
        });
    }

    /** Cachalot's own type name, compared as Boot compares its enum values. */
    @Test
    void cachalotSelectsCachalot() {
        for (String type : new String[] {"cachalot", "CACHALOT", "Cachalot"}) {
            runner.withPropertyValues("spring.cache.type=" + type, "spring.cache.cache-names=time").run(ctx -> {
                assertThat(ctx).hasNotFailed();
                CacheManager m = ctx.getBean(CacheManager.class);
                assertThat(m).isInstanceOf(CachalotSpringCacheManager.class);
                assertThat(m.getCacheNames()).containsExactly("time");
                assertThat(cached(ctx.getBean(Clock.class))).isTrue();
            });
        }
    }

    /** Another provider's type: Cachalot stays out, and Boot reports that provider's absence as usual. */
    @Test
    void anotherTypeLeavesTheChoiceToBoot() {
        runner.withPropertyValues("spring.cache.type=redis").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageContaining("No cache manager could be auto-configured")
                    .hasMessageContaining("'REDIS'");
        });
    }
}
