package io.cachalot.core.keyspace;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One logical database (SELECT index): a fixed array of lock-striped {@link Segment}s. Commands
 * on keys of different segments run in parallel; a command locks the segments of its keys
 * (through {@link #lock(int)} or a {@link LockSet}) and works on them directly.
 */
public final class Database {
    final Keyspace keyspace;
    final int index;
    private final Segment[] segments;
    private final int shift;
    /** Open key groups by id (null slots are free); read by segments under their locks. */
    volatile KeyGroup[] groups = new KeyGroup[0];

    Database(Keyspace keyspace, int index, int segmentBits) {
        if (segmentBits < 1 || segmentBits > 16) {
            throw new IllegalArgumentException("segment bits must be 1..16");
        }
        this.keyspace = keyspace;
        this.index = index;
        this.shift = 32 - segmentBits;
        this.segments = new Segment[1 << segmentBits];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment(this, i, (index << segmentBits) | i);
        }
    }

    public int index() {
        return index;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    /** The segment a key hash belongs to (high bits of the hash). */
    public Segment segment(int hash) {
        return segments[hash >>> shift];
    }

    /** Locks and returns the segment of a key hash; the caller unlocks it. */
    public Segment lock(int hash) {
        Segment s = segments[hash >>> shift];
        s.lock();
        return s;
    }

    public int segmentCount() {
        return segments.length;
    }

    public Segment segmentAt(int i) {
        return segments[i];
    }

    /** Number of keys (those expired but not yet reclaimed included, as Redis' DBSIZE). */
    public long size() {
        long n = 0;
        for (Segment s : segments) {
            n += s.size();
        }
        return n;
    }

    /** Number of keys with a time to live. */
    public long volatileSize() {
        long n = 0;
        for (Segment s : segments) {
            n += s.volatileSize();
        }
        return n;
    }

    public long memoryUsage() {
        long n = 0;
        for (Segment s : segments) {
            n += s.memoryUsage();
        }
        return n;
    }

    public void lockAll() {
        for (Segment s : segments) {
            s.lock();
        }
    }

    public void unlockAll() {
        for (int i = segments.length - 1; i >= 0; i--) {
            segments[i].unlock();
        }
    }

    /**
     * Opens a group of the keys that start with {@code prefix}: from now on each segment tracks
     * them, so the group's size, keys and clearing cost in proportion to the group.
     */
    public synchronized KeyGroup openGroup(byte[] prefix) {
        KeyGroup[] gs = groups;
        int id = 0;
        while (id < gs.length && gs[id] != null) {
            id++;
        }
        KeyGroup g = new KeyGroup(this, prefix.clone(), id);
        KeyGroup[] next = java.util.Arrays.copyOf(gs, Math.max(gs.length, id + 1));
        next[id] = g;
        lockAll();
        try {
            groups = next;
            for (Segment s : segments) {
                s.rebuildGroups();
            }
        } finally {
            unlockAll();
        }
        return g;
    }

    /** Stops tracking a group (its keys stay in the database). */
    public synchronized void closeGroup(KeyGroup g) {
        lockAll();
        try {
            for (Segment s : segments) {
                s.dropGroup(g);
            }
            KeyGroup[] next = groups.clone();
            next[g.id] = null;
            groups = next;
        } finally {
            unlockAll();
        }
    }

    /** Removes every key (FLUSHDB), atomically with respect to other commands. */
    public void clear() {
        lockAll();
        try {
            for (Segment s : segments) {
                s.clear();
            }
            keyspace.changes.databaseFlushed(this);
        } finally {
            unlockAll();
        }
        keyspace.changes.flushEnded(this);
    }

    /**
     * One step of SCAN: visits the buckets from {@code cursor} on, segment after segment, until at
     * least {@code wanted} entries were visited or {@code maxBuckets} buckets were looked at, and
     * returns the cursor to continue from (0 when the whole database has been covered). The
     * visitor runs under the segment's lock and sees expired entries too.
     *
     * <p>Cursor layout: {@code bucketCursor << segmentBits | segmentIndex}; within a segment the
     * bucket cursor follows Redis' reverse-binary order, so resizes never make it skip a key.
     */
    public long scan(long cursor, long wanted, long maxBuckets, EntryCounter visitor) {
        int bits = 32 - shift;
        int seg = (int) (cursor & (segments.length - 1));
        long bucket = cursor >>> bits;
        long visitedBuckets = 0;
        while (true) {
            Segment s = segments[seg];
            s.lock();
            try {
                do {
                    bucket = s.scanBucket(bucket, visitor);
                    visitedBuckets++;
                } while (bucket != 0 && visitor.count() < wanted && visitedBuckets < maxBuckets);
            } finally {
                s.unlock();
            }
            if (bucket == 0) {
                seg++;
                if (seg == segments.length) {
                    return 0;
                }
            }
            if (visitor.count() >= wanted || visitedBuckets >= maxBuckets) {
                return (bucket << bits) | seg;
            }
        }
    }

    /** A SCAN visitor that reports how many entries it has collected so far. */
    public interface EntryCounter extends Consumer<Entry> {
        long count();
    }

    /**
     * A random key that has not expired, or null when the database is empty. Expired keys met on
     * the way are reclaimed, as Redis' RANDOMKEY does; {@code now} is the command's time.
     */
    public byte[] randomKey(RandomGenerator rnd, long now) {
        for (int attempt = 0; attempt < 100; attempt++) {
            long total = size();
            if (total == 0) {
                return null;
            }
            // Pick a segment in proportion to its size, then a random entry in it.
            long pick = (rnd.nextLong() & Long.MAX_VALUE) % total;
            Segment chosen = null;
            for (Segment s : segments) {
                int n = s.size();
                if (pick < n) {
                    chosen = s;
                    break;
                }
                pick -= n;
            }
            if (chosen == null) {
                continue; // sizes changed under us
            }
            chosen.lock();
            try {
                Entry e = chosen.randomEntry(rnd);
                if (e == null) {
                    continue;
                }
                if (e.isExpired(now) && !keyspace.expiryPaused()) {
                    chosen.expire(e);
                    continue;
                }
                return e.key();
            } finally {
                chosen.unlock();
            }
        }
        return null;
    }
}
