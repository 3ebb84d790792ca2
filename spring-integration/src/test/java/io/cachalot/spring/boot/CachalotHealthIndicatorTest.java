package io.cachalot.spring.boot;

import io.cachalot.spring.CachalotSpringCacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With Actuator, the engine reports its health as "cachalot" in /actuator/health. */
class CachalotHealthIndicatorTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CachalotCacheAutoConfiguration.class, CacheAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
            .withUserConfiguration(Caching.class)
            .withPropertyValues("spring.cache.cache-names=books", "cachalot.engine.maxmemory=64mb",
                    "cachalot.engine.maxmemory-policy=allkeys-lru", "management.endpoint.health.show-details=always");

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Caching {
    }

    @Test
    void upWithTheEnginesFiguresThenDownOnceClosed() {
        runner.run(ctx -> {
            CachalotSpringCacheManager manager = ctx.getBean(CachalotSpringCacheManager.class);
            manager.getCache("books").put("1", "Dune");
            HealthEndpoint endpoint = ctx.getBean(HealthEndpoint.class);
            var health = (org.springframework.boot.actuate.health.Health) endpoint.healthForPath("cachalot");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            Map<String, Object> details = health.getDetails();
            assertThat(details).containsEntry("keys", 1L).containsEntry("memoryLimit", 64L << 20)
                    .containsEntry("maxmemoryPolicy", "allkeys-lru").containsKeys("usedMemory", "evictedKeys",
                            "expiredKeys");
            assertThat((Long) details.get("usedMemory")).isPositive();
            assertThat(details.get("caches")).asString().contains("books");
            assertThat(details).doesNotContainKey("respPort");

            manager.close();
            assertThat(ctx.getBean("cachalotHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.DOWN);
        });
    }

    @Test
    void servedEngineShowsItsPort() {
        runner.withPropertyValues("cachalot.resp.port=0").run(ctx -> assertThat(
                ctx.getBean("cachalotHealthIndicator", HealthIndicator.class).health().getDetails())
                .containsKey("respPort"));
    }

    @Test
    void offBySettingOrWithoutActuator() {
        runner.withPropertyValues("management.health.cachalot.enabled=false").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(CachalotHealthIndicator.class);
            assertThat(ctx).hasSingleBean(CachalotSpringCacheManager.class);
        });
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CachalotCacheAutoConfiguration.class, CacheAutoConfiguration.class))
                .withUserConfiguration(Caching.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).hasSingleBean(CachalotSpringCacheManager.class);
                    assertThat(ctx).doesNotHaveBean("cachalotHealthIndicator");
                });
    }
}
