package io.cachalot.provider.config;

import io.cachalot.provider.codec.Codec;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;

/**
 * A JCache configuration with Cachalot's own settings: bounds on entries and memory with their eviction
 * policy, the key prefix and database the entries live in, codecs for keys and values, and
 * whether decoded values are memoized.
 * Settings left unset fall back to the CacheManager's properties, then to the defaults.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class CachalotConfiguration<K, V> extends MutableConfiguration<K, V> {
    private static final long serialVersionUID = 1L;

    private Long maxEntries;
    private Long maxMemory;
    private EvictionPolicy evictionPolicy;
    private String keyPrefix;
    private Integer database;
    private Boolean memoizeValues;
    private transient Codec<K> keyCodec;
    private transient Codec<V> valueCodec;

    public CachalotConfiguration() {
    }

    /** A copy of another configuration (its Cachalot settings too when it has them). */
    public CachalotConfiguration(Configuration<K, V> other) {
        super(asComplete(other));
        if (other instanceof CachalotConfiguration) {
            CachalotConfiguration<K, V> c = (CachalotConfiguration<K, V>) other;
            maxEntries = c.maxEntries;
            maxMemory = c.maxMemory;
            evictionPolicy = c.evictionPolicy;
            keyPrefix = c.keyPrefix;
            database = c.database;
            memoizeValues = c.memoizeValues;
            keyCodec = c.keyCodec;
            valueCodec = c.valueCodec;
        }
    }

    private static <K, V> CompleteConfiguration<K, V> asComplete(Configuration<K, V> other) {
        if (other instanceof CompleteConfiguration) {
            return (CompleteConfiguration<K, V>) other;
        }
        MutableConfiguration<K, V> m = new MutableConfiguration<>();
        m.setTypes(other.getKeyType(), other.getValueType());
        m.setStoreByValue(other.isStoreByValue());
        return m;
    }

    /** The most entries the cache holds (null: not set here; 0: unbounded). */
    public Long getMaxEntries() {
        return maxEntries;
    }

    public CachalotConfiguration<K, V> setMaxEntries(long maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0");
        }
        this.maxEntries = maxEntries;
        return this;
    }

    /** The most memory (bytes, as the engine estimates it) the cache's entries take (null: not set here; 0: unbounded). */
    public Long getMaxMemory() {
        return maxMemory;
    }

    public CachalotConfiguration<K, V> setMaxMemory(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxMemory must be >= 0");
        }
        this.maxMemory = bytes;
        return this;
    }

    public EvictionPolicy getEvictionPolicy() {
        return evictionPolicy;
    }

    public CachalotConfiguration<K, V> setEvictionPolicy(EvictionPolicy policy) {
        this.evictionPolicy = policy;
        return this;
    }

    /** The prefix of the engine keys of this cache's entries (default {@code <cacheName>::}). */
    public String getKeyPrefix() {
        return keyPrefix;
    }

    public CachalotConfiguration<K, V> setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
        return this;
    }

    /** The engine database (SELECT index) the entries live in (default 0). */
    public Integer getDatabase() {
        return database;
    }

    public CachalotConfiguration<K, V> setDatabase(int database) {
        this.database = database;
        return this;
    }

    /** Whether decoded values are kept for later reads (null: not set here; default true), see {@link #setMemoizeValues}. */
    public Boolean getMemoizeValues() {
        return memoizeValues;
    }

    /**
     * In a store-by-value cache whose value codec decodes immutable objects (String, the boxed
     * numbers, Boolean: {@link Codec#immutable()}), whether a read keeps the object it decoded
     * beside the stored bytes, so that later reads of the unchanged value return that object
     * without decoding (as fast as by reference). Costs the decoded object's memory, which counts
     * towards {@code maxMemory}. On by default.
     */
    public CachalotConfiguration<K, V> setMemoizeValues(boolean memoize) {
        this.memoizeValues = memoize;
        return this;
    }

    public Codec<K> getKeyCodec() {
        return keyCodec;
    }

    /** Encodes keys (store-by-value and by-reference alike; keys are always engine key bytes). */
    public CachalotConfiguration<K, V> setKeyCodec(Codec<K> keyCodec) {
        this.keyCodec = keyCodec;
        return this;
    }

    public Codec<V> getValueCodec() {
        return valueCodec;
    }

    /** Encodes values of a store-by-value cache. */
    public CachalotConfiguration<K, V> setValueCodec(Codec<V> valueCodec) {
        this.valueCodec = valueCodec;
        return this;
    }
}
