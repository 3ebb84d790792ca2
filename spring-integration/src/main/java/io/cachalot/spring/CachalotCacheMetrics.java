package io.cachalot.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Micrometer's cache meters (cache.gets hit/miss, cache.puts, cache.evictions, cache.size, and
 * cache.removals) for a {@link CachalotSpringCache}, following {@link CacheMeterBinder}'s names.
 */
public final class CachalotCacheMetrics extends CacheMeterBinder<CachalotSpringCache> {
    public CachalotCacheMetrics(CachalotSpringCache cache, Iterable<Tag> tags) {
        super(cache, cache.getName(), tags);
    }

    /** Binds the meters of {@code cache} to {@code registry}. */
    public static CachalotSpringCache monitor(MeterRegistry registry, CachalotSpringCache cache, Iterable<Tag> tags) {
        new CachalotCacheMetrics(cache, tags).bindTo(registry);
        return cache;
    }

    @Override
    protected Long size() {
        CachalotSpringCache c = getCache();
        return c == null ? null : c.size();
    }

    @Override
    protected long hitCount() {
        CachalotSpringCache c = getCache();
        return c == null ? 0 : c.hitCount();
    }

    @Override
    protected Long missCount() {
        CachalotSpringCache c = getCache();
        return c == null ? null : c.missCount();
    }

    @Override
    protected Long evictionCount() {
        CachalotSpringCache c = getCache();
        return c == null ? null : c.evictionCount();
    }

    @Override
    protected long putCount() {
        CachalotSpringCache c = getCache();
        return c == null ? 0 : c.putCount();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        FunctionCounter.builder("cache.removals", getCache(), CachalotSpringCache::removalCount)
                .tags(getTagsWithCacheName())
                .description("Entries removed from the cache by evict")
                .register(registry);
    }
}
