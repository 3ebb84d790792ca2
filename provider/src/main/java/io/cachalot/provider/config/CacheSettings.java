package io.cachalot.provider.config;

import java.util.Locale;
import java.util.Properties;

/**
 * A cache's resolved vendor settings: from its {@link CachalotConfiguration}, else from the
 * CacheManager's properties {@code cachalot.cache.<name>.<setting>}, else from
 * {@code cachalot.default.<setting>}, else the defaults (unbounded, LRU, {@code <name>::}, database 0).
 * {@code max-memory} takes Redis' sizes (bytes, or 100kb, 64mb, 1gb ...); {@code memoize-values}
 * is true or false (default true).
 */
public final class CacheSettings {
    /** The settings a cache takes from {@code cachalot.cache.<name>.<setting>} and {@code cachalot.default.<setting>}. */
    public static final java.util.Set<String> NAMES = java.util.Set.of(
            "max-entries", "max-memory", "eviction-policy", "key-prefix", "database", "memoize-values");

    public final long maxEntries;
    /** Bound on the estimated memory of the entries, in bytes (0: none). */
    public final long maxMemory;
    public final EvictionPolicy evictionPolicy;
    public final String keyPrefix;
    public final int database;
    /**
     * Whether a store-by-value cache of immutable values (String, numbers) keeps the object decoded
     * on a read beside the bytes, for later reads to return (faster reads, more memory).
     */
    public final boolean memoizeValues;

    private CacheSettings(long maxEntries, long maxMemory, EvictionPolicy evictionPolicy, String keyPrefix,
                          int database, boolean memoizeValues) {
        this.memoizeValues = memoizeValues;
        this.maxEntries = maxEntries;
        this.maxMemory = maxMemory;
        this.evictionPolicy = evictionPolicy;
        this.keyPrefix = keyPrefix;
        this.database = database;
    }

    public static CacheSettings resolve(String cacheName, CachalotConfiguration<?, ?> c, Properties props, int databases) {
        String max = property(props, cacheName, "max-entries");
        String mem = property(props, cacheName, "max-memory");
        long maxMemory = c != null && c.getMaxMemory() != null ? c.getMaxMemory()
                : mem == null ? 0 : io.cachalot.core.config.ConfigParam.Memory.parseMemory(mem);
        if (maxMemory < 0) {
            throw new IllegalArgumentException("cache " + cacheName + ": max-memory must be a size such as 64mb: " + mem);
        }
        long maxEntries = c != null && c.getMaxEntries() != null ? c.getMaxEntries()
                : max == null ? 0 : parseLong(max, "max-entries");
        if (maxEntries < 0) {
            throw new IllegalArgumentException("cache " + cacheName + ": max-entries must be >= 0");
        }
        String pol = property(props, cacheName, "eviction-policy");
        EvictionPolicy policy = c != null && c.getEvictionPolicy() != null ? c.getEvictionPolicy()
                : pol == null ? EvictionPolicy.LRU : parsePolicy(pol);
        String pre = property(props, cacheName, "key-prefix");
        String prefix = c != null && c.getKeyPrefix() != null ? c.getKeyPrefix()
                : pre != null ? pre.replace("{name}", cacheName) : cacheName + "::";
        String db = property(props, cacheName, "database");
        int database = c != null && c.getDatabase() != null ? c.getDatabase()
                : db == null ? 0 : (int) parseLong(db, "database");
        if (database < 0 || database >= databases) {
            throw new IllegalArgumentException("cache " + cacheName + ": database " + database
                    + " out of range 0.." + (databases - 1));
        }
        String memo = property(props, cacheName, "memoize-values");
        boolean memoize = c != null && c.getMemoizeValues() != null ? c.getMemoizeValues()
                : memo == null || parseBoolean(memo, "memoize-values");
        return new CacheSettings(maxEntries, maxMemory, policy, prefix, database, memoize);
    }

    private static String property(Properties props, String cacheName, String setting) {
        if (props == null) {
            return null;
        }
        String v = props.getProperty("cachalot.cache." + cacheName + "." + setting);
        return v != null ? v.trim() : trimmed(props.getProperty("cachalot.default." + setting));
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    private static long parseLong(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not an integer: " + s);
        }
    }

    private static boolean parseBoolean(String s, String what) {
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes")) {
            return true;
        }
        if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no")) {
            return false;
        }
        throw new IllegalArgumentException(what + " must be true or false: " + s);
    }

    private static EvictionPolicy parsePolicy(String s) {
        try {
            return EvictionPolicy.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eviction-policy must be lru or lfu: " + s);
        }
    }
}
