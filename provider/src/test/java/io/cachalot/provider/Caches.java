package io.cachalot.provider;

import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** Test helpers: a fresh CacheManager (own engine) per test. */
final class Caches {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Caches() {
    }

    static CachingProvider provider() {
        return Caching.getCachingProvider(CachalotCachingProvider.class.getName());
    }

    static CachalotCacheManager manager(Properties props) {
        URI uri = URI.create("urn:cachalot:test-" + SEQ.incrementAndGet());
        CacheManager m = provider().getCacheManager(uri, Caches.class.getClassLoader(), props);
        return m.unwrap(CachalotCacheManager.class);
    }

    static CachalotCacheManager manager() {
        return manager(new Properties());
    }

    static void await(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(5);
        }
    }
}
