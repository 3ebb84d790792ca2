package io.cachalot.provider.config;

/** How a cache bounded by a maximum number of entries picks the entry to evict (sampled, as Redis). */
public enum EvictionPolicy {
    /** Least recently used (1-second resolution, as Redis' LRU clock). */
    LRU,
    /** Least frequently used (Redis' logarithmic counter with decay). */
    LFU
}
