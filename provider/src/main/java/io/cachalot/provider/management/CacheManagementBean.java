package io.cachalot.provider.management;

import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/** The configuration of one cache, as JSR-107's {@code CacheMXBean} shows it. */
public final class CacheManagementBean implements CacheMXBean {
    private final Cache<?, ?> cache;

    public CacheManagementBean(Cache<?, ?> cache) {
        this.cache = cache;
    }

    @SuppressWarnings("unchecked")
    private CompleteConfiguration<?, ?> config() {
        return cache.getConfiguration(CompleteConfiguration.class);
    }

    @Override
    public String getKeyType() {
        return config().getKeyType().getName();
    }

    @Override
    public String getValueType() {
        return config().getValueType().getName();
    }

    @Override
    public boolean isReadThrough() {
        return config().isReadThrough();
    }

    @Override
    public boolean isWriteThrough() {
        return config().isWriteThrough();
    }

    @Override
    public boolean isStoreByValue() {
        return config().isStoreByValue();
    }

    @Override
    public boolean isStatisticsEnabled() {
        return config().isStatisticsEnabled();
    }

    @Override
    public boolean isManagementEnabled() {
        return config().isManagementEnabled();
    }
}
