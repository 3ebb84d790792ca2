package io.cachalot.tck;

import manager.CacheNameOnEachMethodBlogManagerImpl;
import manager.ClassLevelCacheConfigBlogManagerImpl;
import manager.UsingDefaultCacheNameBlogManagerImpl;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;

/** Spring configuration for the TCK's annotated blog managers (class proxies: the TCK asks for the classes). */
@Configuration
@EnableCaching(proxyTargetClass = true)
public class TckAnnotationConfig {
    /** Creates the caches the annotations name on first use, as JSR-107's default resolver does. */
    @Bean
    public JCacheCacheManager cacheManager() {
        return new JCacheCacheManager(Caching.getCachingProvider().getCacheManager()) {
            @Override
            protected org.springframework.cache.Cache getMissingCache(String name) {
                javax.cache.CacheManager jcache = getCacheManager();
                javax.cache.Cache<Object, Object> c = jcache.getCache(name);
                if (c == null) {
                    c = jcache.createCache(name, new MutableConfiguration<>());
                }
                return new JCacheCache(c, isAllowNullValues());
            }
        };
    }

    @Bean
    public CacheNameOnEachMethodBlogManagerImpl cacheNameOnEachMethodBlogManager() {
        return new CacheNameOnEachMethodBlogManagerImpl();
    }

    @Bean
    public ClassLevelCacheConfigBlogManagerImpl classLevelCacheConfigBlogManager() {
        return new ClassLevelCacheConfigBlogManagerImpl();
    }

    @Bean
    public UsingDefaultCacheNameBlogManagerImpl usingDefaultCacheNameBlogManager() {
        return new UsingDefaultCacheNameBlogManagerImpl();
    }
}
