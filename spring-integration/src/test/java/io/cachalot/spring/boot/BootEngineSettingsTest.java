package io.cachalot.spring.boot;

import io.cachalot.core.spi.EngineServer;
import io.cachalot.spring.CachalotSpringCacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import redis.clients.jedis.Jedis;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cachalot.engine.* reaches the engine under Boot, and an unknown cachalot.* property fails the start. */
class BootEngineSettingsTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CachalotCacheAutoConfiguration.class, CacheAutoConfiguration.class))
            .withUserConfiguration(Caching.class);

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Caching {
    }

    /** The command line: redis-cli -p 7706 CONFIG GET maxmemory answered 0 and asked no password. */
    @Test
    void maxmemoryAndRequirepassReachTheServedEngine() {
        runner.withPropertyValues("cachalot.resp.port=0", "cachalot.engine.maxmemory=10mb",
                "cachalot.engine.requirepass=x", "cachalot.engine.maxmemoryPolicy=allkeys-lfu",
                "cachalot.engine.hz=20").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            int port = ctx.getBean(EngineServer.Serving.class).port();
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertThatThrownBy(() -> jedis.configGet("maxmemory")).hasMessageStartingWith("NOAUTH");
                jedis.auth("x");
                assertThat(jedis.configGet("maxmemory")).containsEntry("maxmemory", "10485760");
                assertThat(jedis.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lfu");
                assertThat(jedis.configGet("hz")).containsEntry("hz", "20");
            }
            assertThat(ctx.getBean(CachalotSpringCacheManager.class).engine().settings().requirepass.value())
                    .isEqualTo("x");
        });
    }

    /** Environment variables reach the engine too (CACHALOT_ENGINE_MAXMEMORY_POLICY is maxmemory.policy to Boot). */
    @Test
    void environmentVariablesNameParametersToo() {
        runner.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("CACHALOT_ENGINE_MAXMEMORY", "5mb",
                                        "CACHALOT_ENGINE_MAXMEMORY_POLICY", "volatile-ttl"))))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var settings = ctx.getBean(CachalotSpringCacheManager.class).engine().settings();
                    assertThat(settings.maxmemory.value()).isEqualTo(5L << 20);
                    assertThat(settings.maxmemoryPolicy.value()).isEqualTo("volatile-ttl");
                });
    }

    @Test
    void anUnknownEngineParameterFailsTheStartNamingIt() {
        runner.withPropertyValues("cachalot.engine.maxmemry=10mb").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageContaining("cachalot.engine.maxmemry: no such engine parameter")
                    .hasMessageContaining("did you mean cachalot.engine.maxmemory?");
        });
        runner.withPropertyValues("cachalot.engine.maxmemory=lots").run(ctx -> assertThat(ctx.getStartupFailure())
                .rootCause().hasMessageContaining("cachalot.engine.maxmemory='lots': argument must be a memory value"));
        runner.withPropertyValues("cachalot.engine.port=7000").run(ctx -> assertThat(ctx.getStartupFailure())
                .rootCause().hasMessageContaining("cachalot.resp.port"));
    }

    @Test
    void anUnknownCachalotPropertyFailsTheStartNamingIt() {
        for (String unknown : new String[] {"cachalot.foo", "cachalot.caches.books.max-entires", "cachalot.resp.prot"}) {
            runner.withPropertyValues(unknown + "=1").run(ctx -> {
                assertThat(ctx).as(unknown).hasFailed();
                assertThat(ctx.getStartupFailure()).rootCause().as(unknown).hasMessageContaining(unknown);
            });
        }
    }

    /** The RESP server's JVM-wide settings are system properties: elsewhere they would do nothing, so they fail. */
    @Test
    void serverJvmPropertiesMustBeSystemProperties() {
        runner.withPropertyValues("cachalot.transport=nio").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageContaining("start the JVM with -Dcachalot.transport=nio");
        });
        runner.withSystemProperties("cachalot.io-threads=1").run(ctx -> assertThat(ctx).hasNotFailed());
        runner.withSystemProperties("cachalot.log.libraries=true").run(ctx -> assertThat(ctx).hasNotFailed());
    }

    /** With cachalot.engine.save the caches outlive the application context: a restart reads them back. */
    @Test
    void durableCachesSurviveAContextRestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String[] durable = {"cachalot.engine.save=3600 1", "cachalot.engine.dir=" + dir};
        runner.withPropertyValues(durable).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            ctx.getBean(org.springframework.cache.CacheManager.class).getCache("books").put("978-0441013593", "Dune");
        });
        assertThat(dir.resolve("dump.rdb")).exists();
        runner.withPropertyValues(durable).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(org.springframework.cache.CacheManager.class).getCache("books")
                    .get("978-0441013593", String.class)).isEqualTo("Dune");
        });
    }
}
