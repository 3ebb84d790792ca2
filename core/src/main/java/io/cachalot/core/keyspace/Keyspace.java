package io.cachalot.core.keyspace;

import io.cachalot.core.types.Encoding;

/**
 * All logical databases of one engine. Lock order, used by every operation that holds several
 * segment locks: database index, then segment index (see {@link Segment#order}).
 */
public final class Keyspace {
    /** Default lock stripes per database: 2^6 = 64. */
    public static final int DEFAULT_SEGMENT_BITS = 6;

    final KeyspaceStats stats = new KeyspaceStats();
    final Watches watches = new Watches();
    final ChangeStream changes = new ChangeStream();
    /**
     * Changes counted as Redis counts server.dirty (INFO rdb_changes_since_last_save): by commands,
     * which know how many changes they made, and by the embedded write paths, one per write.
     */
    private final java.util.concurrent.atomic.LongAdder dirty = new java.util.concurrent.atomic.LongAdder();
    /** Sum of every segment's memory estimate, kept as they change: read on every command under maxmemory. */
    final java.util.concurrent.atomic.LongAdder memory = new java.util.concurrent.atomic.LongAdder();
    private final Database[] dbs;
    private final int segmentBits;
    private volatile boolean expiryPaused;
    private volatile Snapshot activeSnapshot;
    /** The LRU stamp at the engine's last cron tick, for touches that do not read the time. */
    private volatile int lruClock = lruStamp(System.currentTimeMillis());
    /** Under an LFU policy new keys start with minutes << 8 | LFU_INIT_VAL instead. */
    private volatile boolean lfu;
    private volatile boolean packsStrings = true;

    /** WATCH bookkeeping. */
    public Watches watches() {
        return watches;
    }

    /** Where consumers subscribe to changes of keys (see {@link ChangeStream}). */
    public ChangeStream changes() {
        return changes;
    }

    /** The count of changes to the dataset (Redis' server.dirty). */
    public java.util.concurrent.atomic.LongAdder dirty() {
        return dirty;
    }

    /**
     * Ends a write made outside the command path (embedded client, JCache store): counts
     * {@code changes} changes and turns this thread's pending WATCH touches into marks, as a
     * command that counted changes does. Call with no segment lock held.
     */
    public void writeDone(long changes) {
        if (changes != 0) {
            dirty.add(changes);
        }
        watches.commit(changes != 0);
        if (changes != 0) {
            this.changes.writeEnded();
        }
    }

    /**
     * A read look-up with Redis' side effects (lookupKeyRead): lazy expiry, a keyspace hit or
     * miss, and the access recorded for eviction unless {@code touch} is false. The caller holds
     * the segment's lock. Commands and the embedded client read through here.
     */
    public Entry lookupRead(Segment seg, byte[] key, int hash, long now, boolean touch) {
        Entry e = seg.findLive(key, hash, now);
        countLookup(e != null);
        if (e == null) {
            return null;
        }
        if (touch) {
            touch(e, now);
        }
        return e;
    }

    /** Counts a read look-up as a keyspace hit or miss (INFO keyspace_hits, keyspace_misses). */
    public void countLookup(boolean hit) {
        (hit ? stats.keyspaceHits : stats.keyspaceMisses).increment();
    }

    public Keyspace(int databases) {
        this(databases, DEFAULT_SEGMENT_BITS);
    }

    public Keyspace(int databases, int segmentBits) {
        if (databases < 1) {
            throw new IllegalArgumentException("databases must be >= 1");
        }
        this.segmentBits = segmentBits;
        this.dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(this, i, segmentBits);
        }
    }

    public Database db(int index) {
        return dbs[index];
    }

    public int databaseCount() {
        return dbs.length;
    }

    public KeyspaceStats stats() {
        return stats;
    }

    /** The prefixes {@link #keyOwner} has given ids to: id i + 1 stands for keyOwners.get(i). */
    private final java.util.List<byte[]> keyOwners = new java.util.ArrayList<>();

    /** Ids {@link #keyOwner} gives: a byte, 1 to 127 (0 means none). */
    static final int MAX_KEY_OWNERS = 127;

    /**
     * The id of the keys that start with {@code prefix}, for entries that keep the application's
     * object for their key ({@link Segment#insert(byte[], int, Object, ValueType, Encoding, Object, byte)}):
     * the same prefix always gets the same id, in every database (SWAPDB moves entries between
     * them), so an entry found by its key object belongs to the prefix the id was given for.
     * Returns 0, to look keys up by their bytes only, once {@value #MAX_KEY_OWNERS} prefixes
     * have ids.
     */
    public synchronized byte keyOwner(byte[] prefix) {
        for (int i = 0; i < keyOwners.size(); i++) {
            if (java.util.Arrays.equals(keyOwners.get(i), prefix)) {
                return (byte) (i + 1);
            }
        }
        if (keyOwners.size() == MAX_KEY_OWNERS) {
            return 0;
        }
        keyOwners.add(prefix.clone());
        return (byte) keyOwners.size();
    }

    /** Total estimated memory of all entries; O(1), a moment's view. */
    public long memoryUsage() {
        return memory.sum();
    }

    // ------------------------------------------------------------------ whole-keyspace locking

    public void lockAll() {
        for (Database d : dbs) {
            d.lockAll();
        }
    }

    public void unlockAll() {
        for (int i = dbs.length - 1; i >= 0; i--) {
            dbs[i].unlockAll();
        }
    }

    /** FLUSHALL: removes every key of every database at once. */
    public void clearAll() {
        lockAll();
        try {
            for (Database d : dbs) {
                for (int i = 0; i < d.segmentCount(); i++) {
                    d.segmentAt(i).clear();
                }
                changes.databaseFlushed(d);
            }
        } finally {
            unlockAll();
        }
        changes.flushEnded(null);
    }

    /**
     * SWAPDB: exchanges the contents of two databases atomically. Database objects (and their
     * locks) stay in place, so a command waiting on a lock sees the swapped data once it runs.
     */
    public void swap(int a, int b) {
        if (a == b) {
            return;
        }
        Database first = dbs[Math.min(a, b)];
        Database second = dbs[Math.max(a, b)];
        first.lockAll();
        second.lockAll();
        try {
            for (int i = 0; i < first.segmentCount(); i++) {
                first.segmentAt(i).swapContents(second.segmentAt(i));
            }
        } finally {
            second.unlockAll();
            first.unlockAll();
        }
        changes.databasesSwapped(first, second);
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Starts a point-in-time snapshot. Only one snapshot is active at a time (as only one fork
     * child is in Redis); starting another before the first is closed is an error.
     */
    public Snapshot startSnapshot() {
        return startSnapshot(null);
    }

    /**
     * {@link #startSnapshot()}, running {@code atInstant} (when not null) at the snapshot's instant,
     * with every segment locked: e.g. where an AOF rewrite's new file starts.
     */
    public Snapshot startSnapshot(Runnable atInstant) {
        lockAll();
        try {
            if (activeSnapshot != null) {
                throw new IllegalStateException("a snapshot is already in progress");
            }
            if (atInstant != null) {
                atInstant.run();
            }
            Snapshot s = new Snapshot(this, dbs.length << segmentBits);
            for (Database d : dbs) {
                for (int i = 0; i < d.segmentCount(); i++) {
                    d.segmentAt(i).pendingSnapshot = s;
                }
            }
            activeSnapshot = s;
            return s;
        } finally {
            unlockAll();
        }
    }

    void endSnapshot(Snapshot s) {
        if (activeSnapshot != s) {
            return;
        }
        for (Database d : dbs) {
            for (int i = 0; i < d.segmentCount(); i++) {
                Segment seg = d.segmentAt(i);
                seg.lock();
                try {
                    if (seg.pendingSnapshot == s) {
                        seg.pendingSnapshot = null;
                    }
                } finally {
                    seg.unlock();
                }
            }
        }
        activeSnapshot = null;
    }

    // ------------------------------------------------------------------ expiry and access clock

    /** While paused (CLIENT PAUSE WRITE), expired keys read as absent but are not deleted. */
    public boolean expiryPaused() {
        return expiryPaused;
    }

    public void setExpiryPaused(boolean paused) {
        this.expiryPaused = paused;
    }

    /** Redis' 24-bit LRU clock in seconds (INFO lru_clock). */
    public static int computeLruClock(long nowMillis) {
        return (int) ((nowMillis / 1000) & 0xFFFFFF);
    }

    /**
     * The LRU stamp of a moment: units of 4 ms in 32 bits. It wraps after about 198 days, as
     * Redis' 24-bit seconds clock does after 194, with a resolution 250 times finer, so the
     * approximated LRU tells apart keys used within the same second.
     */
    public static int lruStamp(long nowMillis) {
        return (int) (nowMillis >>> 2);
    }

    /** INFO lru_clock: Redis' 24-bit seconds clock. */
    public int lruClock() {
        return computeLruClock(System.currentTimeMillis());
    }

    /** Called by the engine's cron: keeps the cached LRU stamp current. */
    public void tickClock(long nowMillis) {
        lruClock = lruStamp(nowMillis);
    }

    public boolean lfu() {
        return lfu;
    }

    /**
     * Whether small string values are stored in one array with their key ({@link Entry.Packed}).
     * True but for the JCache provider, whose reads take the stored value array as it is (and
     * decode it once, keeping the result beside it). Set before keys are written.
     */
    public boolean packsStrings() {
        return packsStrings;
    }

    public void setPacksStrings(boolean packs) {
        this.packsStrings = packs;
    }

    public void setLfu(boolean lfu) {
        this.lfu = lfu;
    }

    /** Redis' LFU_INIT_VAL: new keys start with a small counter so they are not evicted at once. */
    public static final int LFU_INIT_VAL = 5;

    /**
     * The LFU word: Redis' 16-bit minutes and 8-bit counter, plus (bits 24-31, which Redis' 24-bit
     * field lacks) the moment within the last ~65 s in 256 ms units, so that eviction can prefer
     * the less recently used of two keys with the same counter.
     */
    static int lfuWord(long nowMillis, int counter) {
        return (int) ((nowMillis >>> 8) & 0xFF) << 24 | lfuTimeMinutes(nowMillis) << 8 | counter;
    }

    public static int lfuTimeMinutes(long nowMillis) {
        return (int) ((nowMillis / 1000 / 60) & 0xFFFF);
    }

    /**
     * RESTORE's IDLETIME and FREQ (Redis' objectSetLRUOrLFU): under an LFU policy a frequency of
     * 0..255 becomes the key's counter; under an LRU policy an idle time in seconds dates its last
     * access back. A value the policy does not use (negative: not given) changes nothing.
     */
    public void setAccess(Entry e, long nowMillis, long idleSeconds, long frequency) {
        if (lfu) {
            if (frequency >= 0) {
                e.lru = lfuWord(nowMillis, (int) frequency);
            }
        } else if (idleSeconds >= 0) {
            long back = Math.min(idleSeconds, nowMillis / 1000) * 1000;
            e.lru = lruStamp(nowMillis - back);
        }
    }

    int accessClockForNewKey() {
        return accessClockForNewKey(lfu);
    }

    /** The access metadata a new key starts with under the given policy. */
    public int accessClockForNewKey(boolean lfu) {
        long now = System.currentTimeMillis();
        return lfu ? lfuWord(now, LFU_INIT_VAL) : lruStamp(now);
    }

    private volatile int lfuLogFactor = 10;
    private volatile int lfuDecayTime = 1;

    public void setLfuParameters(int logFactor, int decayTime) {
        this.lfuLogFactor = logFactor;
        this.lfuDecayTime = decayTime;
    }

    /** Records an access to an entry for the eviction policy (Redis' LRU clock or LFU counter). */
    public void touch(Entry e, long nowMillis) {
        touch(e, nowMillis, lfu);
    }

    /** As {@link #touch(Entry, long)} under the given policy (a cache with its own eviction policy). */
    public void touch(Entry e, long nowMillis, boolean lfu) {
        if (lfu) {
            int counter = lfuDecrAndReturn(e, nowMillis);
            counter = lfuLogIncr(counter);
            int v = lfuWord(nowMillis, counter);
            if (e.lru != v) {
                e.lru = v;
            }
        } else {
            // Writing only on change keeps reads from dirtying the entry's cache line.
            int clock = lruStamp(nowMillis);
            if (e.lru != clock) {
                e.lru = clock;
            }
        }
    }

    /**
     * As {@link #touch(Entry, long, boolean)} without reading the time for LRU: the stamp of the
     * last cron tick (a tenth of a second at hz 10) serves, which is enough for a cache's get.
     */
    public void touchCached(Entry e, boolean lfu) {
        if (lfu) {
            touch(e, System.currentTimeMillis(), true);
        } else {
            int clock = lruClock;
            if (e.lru != clock) {
                e.lru = clock;
            }
        }
    }

    /** The LFU counter after decay for the minutes elapsed since the last access (OBJECT FREQ). */
    public int lfuDecrAndReturn(Entry e, long nowMillis) {
        int ldt = (e.lru >>> 8) & 0xFFFF;
        int counter = e.lru & 255;
        int now = lfuTimeMinutes(nowMillis);
        int elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
        int decay = lfuDecayTime;
        long periods = decay > 0 ? elapsed / decay : 0;
        if (periods > 0) {
            counter = periods > counter ? 0 : counter - (int) periods;
        }
        return counter;
    }

    private int lfuLogIncr(int counter) {
        if (counter == 255) {
            return 255;
        }
        double r = java.util.concurrent.ThreadLocalRandom.current().nextDouble();
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * lfuLogFactor + 1);
        return r < p ? counter + 1 : counter;
    }

    /** Stamps up to a minute ahead of a reader's time (another thread's later now) mean "just used". */
    private static final long AHEAD_TOLERANCE = 60_000 >>> 2;

    /** Milliseconds since the entry's last access under an LRU policy (OBJECT IDLETIME / 1000). */
    public long idleMillis(Entry e, long nowMillis) {
        long units = Integer.toUnsignedLong(lruStamp(nowMillis) - e.lru);
        if (units > 0xFFFF_FFFFL - AHEAD_TOLERANCE) {
            return 0;
        }
        return units << 2;
    }

    private final EvictionPool.Scorer lruScorer = (e, now) -> evictionScore(e, false, now);
    private final EvictionPool.Scorer lfuScorer = (e, now) -> evictionScore(e, true, now);

    /** {@link #evictionScore} under LRU or LFU, as an {@link EvictionPool.Scorer}. */
    public EvictionPool.Scorer scorer(boolean lfu) {
        return lfu ? lfuScorer : lruScorer;
    }

    /**
     * How good an eviction candidate an entry is under LRU or LFU, higher first: idle time for LRU;
     * for LFU Redis' {@code 255 - counter}, ties broken by how long ago the last access was
     * (minutes, and within the last minute 256 ms units).
     */
    public long evictionScore(Entry e, boolean lfu, long nowMillis) {
        if (!lfu) {
            return idleMillis(e, nowMillis);
        }
        int word = e.lru;
        int ldt = (word >>> 8) & 0xFFFF;
        int now = lfuTimeMinutes(nowMillis);
        int elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
        int recent = elapsed == 0 ? (int) (((nowMillis >>> 8) - (word >>> 24)) & 0xFF) : 0xFF;
        return ((long) (255 - lfuDecrAndReturn(e, nowMillis)) << 32) | (long) elapsed << 8 | recent;
    }

    /** Locks every segment of every database, in the global order (EXEC or a script that may reach any key). */
    public void lockEverything() {
        for (int d = 0; d < databaseCount(); d++) {
            db(d).lockAll();
        }
    }

    public void unlockEverything() {
        for (int d = databaseCount() - 1; d >= 0; d--) {
            db(d).unlockAll();
        }
    }
}
