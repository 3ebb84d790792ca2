package io.cachalot.provider;

import javax.cache.Cache;
import java.util.Objects;

/** A key and value read from a Cachalot cache (iteration, writer calls). */
public final class CachalotEntry<K, V> implements Cache.Entry<K, V> {
    private final K key;
    private final V value;

    public CachalotEntry(K key, V value) {
        this.key = key;
        this.value = value;
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
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("cannot unwrap a cache entry to " + clazz.getName());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CachalotEntry)) {
            return false;
        }
        CachalotEntry<?, ?> e = (CachalotEntry<?, ?>) o;
        return key.equals(e.key) && Objects.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
