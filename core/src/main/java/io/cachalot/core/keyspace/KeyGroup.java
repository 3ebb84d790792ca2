package io.cachalot.core.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * The keys of one database that start with a prefix — a JCache cache's entries
 * ({@code <cacheName>::<key>}). Each segment keeps the group's entries in a set, so counting,
 * walking and clearing a group cost time in proportion to the group, not to the database, and
 * keys written by any client (RESP included) join or leave the group as they are created or
 * deleted. Open one with {@link Database#openGroup}.
 */
public final class KeyGroup {
    /** Told, under the segment's lock, when one of the group's entries goes by the engine's expiry. */
    @FunctionalInterface
    public interface ExpiryListener {
        void expired(byte[] key, Object value, ValueType type);
    }

    final Database db;
    final byte[] prefix;
    final int id;
    final LongAdder count = new LongAdder();
    final LongAdder memory = new LongAdder();
    volatile ExpiryListener expiryListener;

    KeyGroup(Database db, byte[] prefix, int id) {
        this.db = db;
        this.prefix = prefix;
        this.id = id;
    }

    public Database database() {
        return db;
    }

    public byte[] prefix() {
        return prefix.clone();
    }

    boolean matches(byte[] key) {
        int n = prefix.length;
        if (key.length < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    public void setExpiryListener(ExpiryListener l) {
        this.expiryListener = l;
    }

    /** Number of entries (expired ones not yet reclaimed included); O(1), a moment's view. */
    public long size() {
        return count.sum();
    }

    /** Estimated memory of the group's entries (as MEMORY USAGE counts them); O(1), a moment's view. */
    public long memoryUsage() {
        return memory.sum();
    }

    /** The keys the group has in segment {@code i} now (locks it briefly). */
    public List<byte[]> keysInSegment(int i) {
        Segment s = db.segmentAt(i);
        s.lock();
        try {
            Entry[] es = s.groupEntries(this);
            List<byte[]> keys = new ArrayList<>(es.length);
            for (Entry e : es) {
                keys.add(e.key());
            }
            return keys;
        } finally {
            s.unlock();
        }
    }

    /** Deletes every entry of the group, segment by segment; returns how many. */
    public long clear() {
        long n = 0;
        for (int i = 0; i < db.segmentCount(); i++) {
            Segment s = db.segmentAt(i);
            s.lock();
            try {
                for (Entry e : s.groupEntries(this)) {
                    s.remove(e);
                    n++;
                }
            } finally {
                s.unlock();
            }
        }
        return n;
    }

    /** Best eviction candidates kept between evictions (the group's own, as a cache's bound is). */
    private final EvictionPool pool = new EvictionPool();

    /**
     * Evicts one entry chosen the way Redis approximates LRU/LFU: {@code samples} random entries
     * of the group join the candidates kept from earlier evictions, and the least recently (or
     * least frequently) used candidate still present goes. Returns the evicted entry (already
     * removed), or null when none could be evicted. {@code keep} (may be null) is never chosen:
     * the entry a write just made, which would otherwise tie with others written within the same
     * clock unit.
     */
    public synchronized Entry evictOne(int samples, boolean lfu, RandomGenerator rnd, long now, Entry keep) {
        EvictionPool.Scorer scorer = db.keyspace.scorer(lfu);
        for (int attempt = 0; attempt < 8 && size() > (keep == null ? 0 : 1); attempt++) {
            int segs = db.segmentCount();
            int got = 0;
            for (int tries = 0; got < samples && tries < samples * 8; tries++) {
                Segment s = db.segmentAt(rnd.nextInt(segs));
                s.lock();
                try {
                    Entry e = s.groupRandom(this, rnd);
                    if (e != null && e != keep) {
                        pool.offer(e, db.index, scorer.score(e, now));
                        got++;
                    }
                } finally {
                    s.unlock();
                }
            }
            Entry victim = pool.evictBest(db.keyspace, scorer, now, false);
            if (victim != null) {
                return victim;
            }
        }
        return null;
    }
}
