package io.cachalot.provider.event;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/** One change of an entry, as listeners receive it. */
public final class CachalotEntryEvent<K, V> extends CacheEntryEvent<K, V> {
    private static final long serialVersionUID = 1L;

    private final K key;
    private final V value;
    private final V oldValue;

    /**
     * @param value    the new value (created, updated), or the value the entry had (removed, expired)
     * @param oldValue the previous value (updated, removed, expired), or null
     */
    public CachalotEntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue) {
        super(source, type);
        this.key = key;
        this.value = value;
        this.oldValue = oldValue;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public V getOldValue() {
        return oldValue;
    }

    @Override
    public boolean isOldValueAvailable() {
        return oldValue != null;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("cannot unwrap an event to " + clazz.getName());
    }

    @Override
    public String toString() {
        return "CachalotEntryEvent[" + getEventType() + " " + key + "]";
    }
}
