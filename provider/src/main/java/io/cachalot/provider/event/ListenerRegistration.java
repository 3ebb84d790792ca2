package io.cachalot.provider.event;

import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import java.io.Closeable;
import java.io.IOException;

/** A registered listener: its configuration, the listener and filter it created, and what it hears. */
final class ListenerRegistration<K, V> {
    final CacheEntryListenerConfiguration<K, V> config;
    final CacheEntryListener<? super K, ? super V> listener;
    final CacheEntryEventFilter<? super K, ? super V> filter;
    final boolean synchronous;
    final boolean oldValueRequired;

    ListenerRegistration(CacheEntryListenerConfiguration<K, V> config) {
        this.config = config;
        this.listener = config.getCacheEntryListenerFactory().create();
        Factory<javax.cache.event.CacheEntryEventFilter<? super K, ? super V>> ff = config.getCacheEntryEventFilterFactory();
        this.filter = ff == null ? null : ff.create();
        this.synchronous = config.isSynchronous();
        this.oldValueRequired = config.isOldValueRequired();
    }

    boolean hears(EventType type) {
        switch (type) {
            case CREATED:
                return listener instanceof CacheEntryCreatedListener;
            case UPDATED:
                return listener instanceof CacheEntryUpdatedListener;
            case REMOVED:
                return listener instanceof CacheEntryRemovedListener;
            case EXPIRED:
                return listener instanceof CacheEntryExpiredListener;
            default:
                return false;
        }
    }

    void close() {
        closeQuietly(listener);
        closeQuietly(filter);
    }

    private static void closeQuietly(Object o) {
        if (o instanceof Closeable) {
            try {
                ((Closeable) o).close();
            } catch (IOException e) {
                // closing a listener must not fail the cache's close
            }
        }
    }
}
