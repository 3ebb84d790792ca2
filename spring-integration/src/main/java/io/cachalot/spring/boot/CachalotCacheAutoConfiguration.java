package io.cachalot.spring.boot;

import io.cachalot.core.spi.EngineServer;
import io.cachalot.spring.CachalotCacheConfig;
import io.cachalot.spring.CachalotCacheMetrics;
import io.cachalot.spring.CachalotEngineMetrics;
import io.cachalot.spring.CachalotSpringCache;
import io.cachalot.spring.CachalotSpringCacheManager;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.cache.CacheProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Spring Boot auto-configuration: when caching is enabled ({@code @EnableCaching}) and the
 * application defines no {@link CacheManager}, a {@link CachalotSpringCacheManager} on an
 * embedded engine, set up by {@code cachalot.*} and {@code spring.cache.cache-names}; Micrometer
 * meters for its caches (through Boot's cache metrics) and its engine when Micrometer is present;
 * the engine served over RESP when {@code cachalot.resp.port} is set.
 */
@AutoConfiguration(before = CacheAutoConfiguration.class)
@ConditionalOnClass({CacheManager.class, CachalotSpringCacheManager.class})
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(CacheManager.class)
@EnableConfigurationProperties({CachalotProperties.class, CacheProperties.class})
public class CachalotCacheAutoConfiguration {

    @Bean(destroyMethod = "close")
    public CachalotSpringCacheManager cacheManager(CachalotProperties properties, CacheProperties cacheProperties) {
        if (properties.getMode() == CachalotProperties.Mode.REMOTE) {
            throw new IllegalStateException("cachalot.mode=remote is not available yet in this version: "
                    + "use cachalot.mode=embedded (the default)");
        }
        CachalotCacheConfig defaults = properties.getCacheDefaults().applyTo(CachalotCacheConfig.defaults());
        CachalotSpringCacheManager.Builder b = CachalotSpringCacheManager.builder().defaults(defaults);
        if (properties.isTransactionAware()) {
            b.transactionAware();
        }
        for (Map.Entry<String, CachalotProperties.CacheSpec> e : properties.getCaches().entrySet()) {
            b.cache(e.getKey(), e.getValue().applyTo(defaults));
        }
        List<String> names = cacheProperties.getCacheNames();
        if (!names.isEmpty()) {
            // spring.cache.cache-names: these caches exist, and only these, as with Boot's own providers
            for (String name : names) {
                CachalotProperties.CacheSpec spec = properties.getCaches().get(name);
                b.cache(name, spec == null ? defaults : spec.applyTo(defaults));
            }
            b.fixedCacheNames();
        }
        return b.build();
    }

    /** The embedded engine served over RESP (needs cachalot-server on the classpath). */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("cachalot.resp.port")
    public EngineServer.Serving cachalotRespServer(CachalotSpringCacheManager manager, CachalotProperties properties)
            throws IOException {
        for (EngineServer s : ServiceLoader.load(EngineServer.class, CachalotCacheAutoConfiguration.class.getClassLoader())) {
            return s.serve(manager.engine(), properties.getResp().getBind(), properties.getResp().getPort());
        }
        throw new IllegalStateException("cachalot.resp.port is set but io.cachalot:cachalot-server is not on the classpath");
    }

    /** Meters: Boot's cache metrics bind each cache through the provider; the engine's meters directly. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterBinder.class, CacheMeterBinderProvider.class})
    static class Metrics {
        @Bean
        CacheMeterBinderProvider<CachalotSpringCache> cachalotCacheMeterBinderProvider() {
            return (cache, tags) -> new CachalotCacheMetrics(cache, tags);
        }

        @Bean
        MeterBinder cachalotEngineMetrics(CachalotSpringCacheManager manager) {
            return new CachalotEngineMetrics(manager.engine(), Tags.empty());
        }
    }
}
