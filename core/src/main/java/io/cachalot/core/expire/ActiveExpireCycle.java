package io.cachalot.core.expire;

import io.cachalot.core.config.Settings;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.KeyspaceStats;
import io.cachalot.core.keyspace.Segment;

/**
 * Reclaims expired keys nobody reads, as Redis' activeExpireCycle: each cron tick walks the keys
 * that have a TTL, a sample at a time, deleting the expired ones, and keeps going while the
 * share of expired keys in the samples stays above the acceptable level and the time budget
 * (25% of a tick at effort 1) lasts. Segments are locked one at a time, briefly.
 */
public final class ActiveExpireCycle {
    private static final int KEYS_PER_LOOP = 20;
    private static final int ACCEPTABLE_STALE = 10;
    private static final int CYCLE_SLOW_TIME_PERC = 25;
    private static final int FIELDS_PER_SECOND = 10_000;

    private final Keyspace keyspace;
    private final Settings settings;
    /** Where the walk resumes: database, segment, and position in the segment's TTL array. */
    private int dbCursor;
    private final int[][] segmentCursor;
    private final int[] nextSegment;
    private double stalePerc;
    private long cycleNanos;

    public ActiveExpireCycle(Keyspace keyspace, Settings settings) {
        this.keyspace = keyspace;
        this.settings = settings;
        int dbs = keyspace.databaseCount();
        this.segmentCursor = new int[dbs][keyspace.db(0).segmentCount()];
        this.nextSegment = new int[dbs];
    }

    /**
     * Hash fields with their own expiry (Redis 7.4): up to 10000/hz fields per cycle, as
     * Redis' activeExpireHashFieldCycle, walking the segments that track such hashes.
     */
    private void expireFields(long nowMillis, long hz) {
        int quota = (int) (FIELDS_PER_SECOND / Math.max(1, hz));
        int dbs = keyspace.databaseCount();
        for (int d = 0; d < dbs && quota > 0; d++) {
            Database db = keyspace.db(d);
            for (int si = 0; si < db.segmentCount() && quota > 0; si++) {
                Segment s = db.segmentAt(si);
                if (s.subExpiringSize() == 0) {
                    continue;
                }
                s.lock();
                try {
                    int n = s.expireSubElements(nowMillis, quota);
                    quota -= n;
                    keyspace.stats().expiredFields.add(n);
                } finally {
                    s.unlock();
                }
            }
        }
    }

    /** One cycle; runs on the cron thread. Returns the number of keys expired. */
    public long run(long nowMillis, long hz) {
        int effort = (int) settings.activeExpireEffort.value() - 1;
        int keysPerLoop = KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * effort;
        int acceptableStale = ACCEPTABLE_STALE - effort;
        long budgetNanos = 1_000_000_000L * (CYCLE_SLOW_TIME_PERC + 2L * effort) / Math.max(1, hz) / 100;
        long start = System.nanoTime();
        KeyspaceStats stats = keyspace.stats();
        long totalExpired = 0;
        long totalSampled = 0;
        boolean timedOut = false;
        int dbs = keyspace.databaseCount();
        for (int n = 0; n < dbs && !timedOut; n++) {
            int d = dbCursor;
            dbCursor = (dbCursor + 1) % dbs;
            Database db = keyspace.db(d);
            if (db.volatileSize() == 0) {
                continue;
            }
            int iterations = 0;
            while (true) {
                long sampled = 0;
                long expired = 0;
                int segmentsTried = 0;
                while (sampled < keysPerLoop && segmentsTried < db.segmentCount()) {
                    int si = nextSegment[d];
                    nextSegment[d] = (si + 1) % db.segmentCount();
                    segmentsTried++;
                    Segment s = db.segmentAt(si);
                    if (s.volatileSize() == 0) {
                        continue;
                    }
                    s.lock();
                    try {
                        int pos = segmentCursor[d][si];
                        int want = (int) Math.min(keysPerLoop - sampled, s.volatileSize());
                        // the set is at least 1/8 full: the walk meets `want` keys within 8x as many slots
                        for (int k = 0, steps = 0; k < want && s.volatileSize() > 0 && steps < 16 * want; steps++) {
                            if (pos >= s.volatileSlots()) {
                                pos = 0;
                            }
                            Entry e = s.volatileSlot(pos);
                            if (e == null) {
                                pos++;
                                continue;
                            }
                            k++;
                            sampled++;
                            if (e.isExpired(nowMillis)) {
                                s.expire(e); // a later entry may move into pos: look at pos again
                                expired++;
                            } else {
                                pos++;
                            }
                        }
                        segmentCursor[d][si] = pos;
                    } finally {
                        s.unlock();
                    }
                }
                totalExpired += expired;
                totalSampled += sampled;
                if ((++iterations & 15) == 0 && System.nanoTime() - start > budgetNanos) {
                    timedOut = true;
                    stats.expiredTimeCapReachedCount.increment();
                    break;
                }
                if (sampled == 0 || expired * 100 <= (long) sampled * acceptableStale) {
                    break;
                }
            }
        }
        if (!timedOut) {
            expireFields(nowMillis, hz);
        }
        cycleNanos += System.nanoTime() - start;
        stats.expireCycleCpuMillis = cycleNanos / 1_000_000;
        double current = totalSampled == 0 ? 0 : (double) totalExpired / totalSampled;
        stalePerc = current * 0.05 + stalePerc * 0.95;
        stats.expiredStalePercTimes100 = Math.round(stalePerc * 10000);
        return totalExpired;
    }
}
