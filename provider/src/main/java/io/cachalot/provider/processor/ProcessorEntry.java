package io.cachalot.provider.processor;

import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.processor.MutableEntry;

/**
 * The {@link MutableEntry} an entry processor sees: it records what the processor does; the cache
 * applies the outcome ({@link #state()}, {@link #value()}) once the processor returns.
 */
public final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
    private final K key;
    private final boolean existed;
    private final V original;
    private final CacheLoader<K, V> loader;
    private V value;
    private EntryState state = EntryState.NONE;

    /**
     * @param original the current value (null when absent)
     * @param loader   the read-through loader, or null
     */
    public ProcessorEntry(K key, V original, CacheLoader<K, V> loader) {
        this.key = key;
        this.existed = original != null;
        this.original = original;
        this.value = original;
        this.loader = loader;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        if (value != null) {
            if (state == EntryState.NONE) {
                state = EntryState.ACCESSED;
            }
            return value;
        }
        if (state == EntryState.NONE && loader != null) {
            V loaded;
            try {
                loaded = loader.load(key);
            } catch (CacheLoaderException e) {
                throw e;
            } catch (Exception e) {
                throw new CacheLoaderException("CacheLoader failed for key " + key, e);
            }
            if (loaded != null) {
                value = loaded;
                state = EntryState.LOADED;
            }
        }
        return value;
    }

    @Override
    public boolean exists() {
        return value != null;
    }

    @Override
    public void remove() {
        // Removing what this processor created or loaded leaves nothing to do; any other remove
        // reaches the writer, even of an absent entry.
        boolean undo = (state == EntryState.CREATED || state == EntryState.LOADED) && !existed;
        state = undo ? EntryState.NONE : EntryState.REMOVED;
        value = null;
    }

    @Override
    public void setValue(V v) {
        if (v == null) {
            throw new NullPointerException("value");
        }
        state = existed ? EntryState.UPDATED : EntryState.CREATED;
        value = v;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("cannot unwrap a MutableEntry to " + clazz.getName());
    }

    public EntryState state() {
        return state;
    }

    /** The value the entry ends with (null when removed or absent). */
    public V value() {
        return value;
    }

    /** The value the entry had before the processor ran. */
    public V original() {
        return original;
    }

    public boolean existed() {
        return existed;
    }

}
