package io.cachalot.spring.boot;

import io.cachalot.core.spi.EngineServer;
import io.cachalot.provider.config.ManagerSettings;
import io.cachalot.spring.CachalotCacheConfig;
import io.cachalot.spring.CachalotCacheMetrics;
import io.cachalot.spring.CachalotEngineMetrics;
import io.cachalot.spring.CachalotSpringCache;
import io.cachalot.spring.CachalotSpringCacheManager;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Spring Boot auto-configuration: when caching is enabled ({@code @EnableCaching}), the
 * application defines no {@link CacheManager}, and {@code spring.cache.type} is unset or
 * {@code cachalot} (any other type, such as {@code none} or {@code simple}, is left to Boot's own
 * cache auto-configuration, see {@link CachalotCacheTypeCondition}): a
 * {@link CachalotSpringCacheManager} on an embedded engine, set up by {@code cachalot.*}
 * ({@link CachalotProperties}: the caches, {@code cachalot.engine.*} for the engine,
 * {@code cachalot.codec} for the values) and {@code spring.cache.cache-names}; Micrometer meters
 * for its caches (through Boot's cache metrics) and its engine when Micrometer is present; a
 * health indicator when Actuator is present; the engine served over RESP when
 * {@code cachalot.resp.port} is set.
 */
@AutoConfiguration(before = CacheAutoConfiguration.class,
        afterName = "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration")
@ConditionalOnClass({CacheManager.class, CachalotSpringCacheManager.class})
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(CacheManager.class)
@Conditional(CachalotCacheTypeCondition.class)
@EnableConfigurationProperties(CachalotProperties.class)
public class CachalotCacheAutoConfiguration {

    @Bean(destroyMethod = "close")
    public CachalotSpringCacheManager cacheManager(CachalotProperties properties, Environment environment,
                                                   BeanFactory beanFactory) {
        ClassLoader classLoader = beanFactory instanceof ConfigurableBeanFactory
                ? ((ConfigurableBeanFactory) beanFactory).getBeanClassLoader() : null;
        CachalotCacheConfig defaults = properties.getCacheDefaults().applyTo(CachalotCacheConfig.defaults());
        CachalotSpringCacheManager.Builder b = CachalotSpringCacheManager.builder().defaults(defaults);
        if (properties.getMode() == CachalotProperties.Mode.REMOTE) {
            if (!properties.getEngine().isEmpty() || properties.getResp().getPort() != null) {
                throw new IllegalStateException("cachalot.engine.* and cachalot.resp.* apply to the embedded engine; "
                        + "with cachalot.mode=remote the caches live on the server of cachalot.remote.uri");
            }
            b.remote(RemoteUri.settings(properties.getRemote(), environment));
        } else {
            b.engineParameters(properties.getEngine());
        }
        if (classLoader != null) {
            b.classLoader(classLoader);
        }
        if (properties.getCodec() == ManagerSettings.ValueFormat.JSON) {
            if (!ClassUtils.isPresent("com.fasterxml.jackson.databind.ObjectMapper", classLoader)) {
                throw new IllegalStateException("cachalot.codec=json needs Jackson on the classpath "
                        + "(com.fasterxml.jackson.core:jackson-databind, which spring-boot-starter-json brings)");
            }
            b.valueCodec(BootJsonCodec.create(beanFactory, properties.getJson().getTrustedPackages(), classLoader));
        }
        if (properties.isTransactionAware()) {
            b.transactionAware();
        }
        for (Map.Entry<String, CachalotProperties.CacheSpec> e : properties.getCaches().entrySet()) {
            b.cache(e.getKey(), e.getValue().applyTo(defaults));
        }
        // read here rather than through Boot's CacheProperties, whose CacheType cannot hold "cachalot"
        List<String> names = Binder.get(environment).bind("spring.cache.cache-names", Bindable.listOf(String.class))
                .orElse(List.of());
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
            if (manager.engine() == null) {
                // a remote manager has no engine here: its caches' meters come through the cache
                // binder; the connection's failures and dropped writes are its own
                return registry -> {
                    io.micrometer.core.instrument.FunctionCounter.builder("cachalot.remote.failures", manager,
                                    CachalotSpringCacheManager::remoteFailures)
                            .description("Operations the remote store could not answer").register(registry);
                    io.micrometer.core.instrument.FunctionCounter.builder("cachalot.remote.lost.writes", manager,
                                    CachalotSpringCacheManager::remoteLostWrites)
                            .description("Changes dropped because the remote store was out of reach "
                                    + "(cachalot.remote.on-failure=miss)").register(registry);
                    io.micrometer.core.instrument.FunctionTimer.builder("cachalot.remote.calls", manager,
                                    CachalotSpringCacheManager::remoteCalls, CachalotSpringCacheManager::remoteCallNanos,
                                    java.util.concurrent.TimeUnit.NANOSECONDS)
                            .description("Round trips to the remote store (commands and scripts) and their time")
                            .register(registry);
                };
            }
            return new CachalotEngineMetrics(manager.engine(), Tags.empty());
        }
    }

    /**
     * The engine's health ({@code cachalot} in {@code /actuator/health}) when Actuator is present.
     * The switch is on a nested class: its condition class exists only where Actuator does.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
            "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
    static class EngineHealth {
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledHealthIndicator("cachalot")
        static class Enabled {
            @Bean
            @ConditionalOnMissingBean(name = "cachalotHealthIndicator")
            CachalotHealthIndicator cachalotHealthIndicator(CachalotSpringCacheManager manager,
                                                            ObjectProvider<EngineServer.Serving> serving) {
                return new CachalotHealthIndicator(manager, serving.getIfAvailable());
            }
        }
    }
}
