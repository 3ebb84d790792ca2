package io.cachalot.core.evict;

/** Redis' maxmemory-policy values: which keys may go, and how the victim is chosen. */
public enum EvictionPolicy {
    NOEVICTION("noeviction", false, Kind.NONE),
    VOLATILE_LRU("volatile-lru", true, Kind.LRU),
    VOLATILE_LFU("volatile-lfu", true, Kind.LFU),
    VOLATILE_RANDOM("volatile-random", true, Kind.RANDOM),
    VOLATILE_TTL("volatile-ttl", true, Kind.TTL),
    ALLKEYS_LRU("allkeys-lru", false, Kind.LRU),
    ALLKEYS_LFU("allkeys-lfu", false, Kind.LFU),
    ALLKEYS_RANDOM("allkeys-random", false, Kind.RANDOM);

    /** How a victim is chosen. */
    public enum Kind { NONE, LRU, LFU, RANDOM, TTL }

    public final String configName;
    /** Only keys with a time to live may be evicted. */
    public final boolean volatileOnly;
    public final Kind kind;

    EvictionPolicy(String configName, boolean volatileOnly, Kind kind) {
        this.configName = configName;
        this.volatileOnly = volatileOnly;
        this.kind = kind;
    }

    /** The policy of a maxmemory-policy value (the configuration has validated it). */
    public static EvictionPolicy of(String configName) {
        for (EvictionPolicy p : values()) {
            if (p.configName.equals(configName)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown maxmemory-policy " + configName);
    }
}
