package io.cachalot.spring;

import io.cachalot.provider.config.EvictionPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one Spring cache, immutable; {@code with*} methods return a changed copy.
 * Defaults: no expiry, unbounded, LRU, null values cached, entries under {@code <name>::} in
 * database 0.
 */
public final class CachalotCacheConfig {
    private final Duration timeToLive;
    private final Duration timeToIdle;
    private final long maxEntries;
    private final long maxMemory;
    private final EvictionPolicy evictionPolicy;
    private final boolean allowNullValues;
    private final String keyPrefix;
    private final int database;

    private CachalotCacheConfig(Duration timeToLive, Duration timeToIdle, long maxEntries, long maxMemory,
                                EvictionPolicy evictionPolicy, boolean allowNullValues, String keyPrefix, int database) {
        this.timeToLive = timeToLive;
        this.timeToIdle = timeToIdle;
        this.maxEntries = maxEntries;
        this.maxMemory = maxMemory;
        this.evictionPolicy = evictionPolicy;
        this.allowNullValues = allowNullValues;
        this.keyPrefix = keyPrefix;
        this.database = database;
    }

    /** The defaults. */
    public static CachalotCacheConfig defaults() {
        return new CachalotCacheConfig(Duration.ZERO, Duration.ZERO, 0, 0, EvictionPolicy.LRU, true, "{name}::", 0);
    }

    /** Entries expire this long after they were written (ZERO: never). */
    public CachalotCacheConfig withTimeToLive(Duration ttl) {
        return new CachalotCacheConfig(nonNegative(ttl, "timeToLive"), timeToIdle, maxEntries, maxMemory,
                evictionPolicy, allowNullValues, keyPrefix, database);
    }

    /** Entries expire this long after they were last read or written (ZERO: never). */
    public CachalotCacheConfig withTimeToIdle(Duration tti) {
        return new CachalotCacheConfig(timeToLive, nonNegative(tti, "timeToIdle"), maxEntries, maxMemory,
                evictionPolicy, allowNullValues, keyPrefix, database);
    }

    /** At most this many entries (0: unbounded); past it, writes evict by {@link #evictionPolicy()}. */
    public CachalotCacheConfig withMaxEntries(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0");
        }
        return new CachalotCacheConfig(timeToLive, timeToIdle, max, maxMemory, evictionPolicy, allowNullValues,
                keyPrefix, database);
    }

    /** At most this much estimated memory in bytes (0: unbounded). */
    public CachalotCacheConfig withMaxMemory(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxMemory must be >= 0");
        }
        return new CachalotCacheConfig(timeToLive, timeToIdle, maxEntries, bytes, evictionPolicy, allowNullValues,
                keyPrefix, database);
    }

    public CachalotCacheConfig withEvictionPolicy(EvictionPolicy policy) {
        return new CachalotCacheConfig(timeToLive, timeToIdle, maxEntries, maxMemory, Objects.requireNonNull(policy),
                allowNullValues, keyPrefix, database);
    }

    /** Whether a null result is cached (as Spring's NullValue) or not cached at all. */
    public CachalotCacheConfig withNullValues(boolean allow) {
        return new CachalotCacheConfig(timeToLive, timeToIdle, maxEntries, maxMemory, evictionPolicy, allow,
                keyPrefix, database);
    }

    /** Prefix of the engine keys; {@code {name}} stands for the cache name. */
    public CachalotCacheConfig withKeyPrefix(String prefix) {
        return new CachalotCacheConfig(timeToLive, timeToIdle, maxEntries, maxMemory, evictionPolicy, allowNullValues,
                Objects.requireNonNull(prefix), database);
    }

    public CachalotCacheConfig withDatabase(int database) {
        return new CachalotCacheConfig(timeToLive, timeToIdle, maxEntries, maxMemory, evictionPolicy, allowNullValues,
                keyPrefix, database);
    }

    private static Duration nonNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive");
        }
        return d;
    }

    public Duration timeToLive() {
        return timeToLive;
    }

    public Duration timeToIdle() {
        return timeToIdle;
    }

    public long maxEntries() {
        return maxEntries;
    }

    public long maxMemory() {
        return maxMemory;
    }

    public EvictionPolicy evictionPolicy() {
        return evictionPolicy;
    }

    public boolean allowNullValues() {
        return allowNullValues;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /** The key prefix of a cache of this name. */
    public String keyPrefixFor(String cacheName) {
        return keyPrefix.replace("{name}", cacheName);
    }

    public int database() {
        return database;
    }
}
