package io.cachalot.core.keyspace;

import java.util.concurrent.atomic.LongAdder;

/** Keyspace counters that INFO stats reports; updated by whichever thread changes a key. */
public final class KeyspaceStats {
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder evictedKeys = new LongAdder();
    /** Hash fields removed because their own expiry time passed (Redis 7.4's expired_subkeys). */
    public final LongAdder expiredFields = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    /** Percentage (0-100) of keys found expired in the last active expiry sampling, times 100. */
    public volatile long expiredStalePercTimes100;
    public final LongAdder expiredTimeCapReachedCount = new LongAdder();
    /** Time spent in the active expiry cycle (written by the cron thread only). */
    public volatile long expireCycleCpuMillis;

    public void reset() {
        expiredKeys.reset();
        evictedKeys.reset();
        expiredFields.reset();
        keyspaceHits.reset();
        keyspaceMisses.reset();
        expiredStalePercTimes100 = 0;
        expiredTimeCapReachedCount.reset();
        expireCycleCpuMillis = 0;
    }
}
