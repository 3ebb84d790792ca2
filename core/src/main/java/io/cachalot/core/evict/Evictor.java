package io.cachalot.core.evict;

import io.cachalot.core.config.Settings;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.EvictionPool;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.Segment;

import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces maxmemory as Redis' performEvictions: before a command runs, while the estimated used
 * memory is above the limit, keys chosen by the maxmemory-policy are deleted. Sampling follows
 * Redis ({@code maxmemory-samples} keys per database join a pool of the 16 best candidates); the
 * time spent per call is bounded by {@code maxmemory-eviction-tenacity}, after which the rest is
 * evicted in the background on the engine's timer thread.
 *
 * <p>With maxmemory 0 the JVM is still protected: the limit is {@code maxmemory-heap-percent} of
 * the maximum heap, and lower still while the {@link HeapGuard} sees the heap nearly full after
 * collections.
 */
public final class Evictor {
    /** {@link #performEvictions} results, as Redis' EVICT_OK, EVICT_RUNNING, EVICT_FAIL. */
    public static final int OK = 0;
    public static final int RUNNING = 1;
    public static final int FAIL = 2;

    /** What an empty engine reports as used (Redis' used_memory_startup is about 0.9 MB). */
    public static final long STARTUP_MEMORY = 1L << 20;

    /**
     * The share of the maximum heap that data and client buffers together may fill before a
     * client's growing input is refused (the rest is the JVM's working room).
     */
    public static final int CLIENT_CEILING_PERCENT = 80;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Evictor.class);

    private final Keyspace keyspace;
    private final java.util.function.LongSupplier clientMemory;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final HeapGuard heapGuard;
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final ReentrantLock lock = new ReentrantLock();
    private final EvictionPool pool = new EvictionPool();
    private final Entry[] sampled = new Entry[64];
    private final SplittableRandom rnd = new SplittableRandom();
    private volatile EvictionPolicy policy;
    private int nextDb;
    private volatile boolean backgroundRunning;
    /** When the used memory went over the limit (nanoTime), 0 while under it. */
    private volatile long overSinceNanos;
    private volatile long exceededNanosTotal;

    /** {@code clientMemory} tells what client connections hold in buffers (counted as Redis counts them). */
    public Evictor(Keyspace keyspace, Settings settings, ScheduledExecutorService scheduler,
                   java.util.function.LongSupplier clientMemory) {
        this.keyspace = keyspace;
        this.clientMemory = clientMemory;
        this.settings = settings;
        this.scheduler = scheduler;
        this.heapGuard = new HeapGuard(this::heapPressure);
        heapGuard.setEstimate(this::usedMemory);
        this.policy = EvictionPolicy.of(settings.maxmemoryPolicy.value());
    }

    /**
     * Starts following the settings and the collector's notifications; apart from the
     * constructor so that no other thread calls back into a half-built evictor.
     */
    public void start() {
        settings.maxmemoryPolicy.onChange(p -> {
            policy = EvictionPolicy.of(settings.maxmemoryPolicy.value());
            lockedClearPool();
        });
        settings.maxmemory.onChange(p -> maxmemoryChanged());
        settings.maxmemoryHeapPercent.onChange(p -> maxmemoryChanged());
        heapGuard.start();
        if (settings.maxmemory.value() == 0) {
            LOG.info("maxmemory is 0: data is bounded by maxmemory-heap-percent ({}%) of the JVM's maximum heap, {} bytes",
                    settings.maxmemoryHeapPercent.value(), implicitLimit());
        }
    }

    public EvictionPolicy policy() {
        return policy;
    }

    /**
     * Estimated used memory: the keyspace's per-entry estimate, the engine's fixed share and the
     * client connections' buffers (as Redis' used_memory counts its clients' buffers).
     */
    public long usedMemory() {
        return STARTUP_MEMORY + keyspace.memoryUsage() + clientMemory.getAsLong();
    }

    /**
     * Whether client connections may hold {@code bytes} more: data and client buffers stay under
     * {@link #CLIENT_CEILING_PERCENT}% of the maximum heap, and the heap is not under pressure.
     * Decided from accounted memory, not from a heap reading that uncollected garbage distorts.
     */
    public boolean clientsMayTake(long bytes) {
        if (maxHeap == Long.MAX_VALUE) {
            return true;
        }
        return !heapGuard.underPressure() && usedMemory() + bytes <= maxHeap / 100 * CLIENT_CEILING_PERCENT;
    }

    /** The limit used memory is kept under: maxmemory, or the heap-derived bound when it is 0. */
    public long limit() {
        long m = settings.maxmemory.value();
        long limit = m > 0 ? m : implicitLimit();
        long pressure = heapGuard.pressureLimit();
        return pressure > 0 && (limit == 0 || pressure < limit) ? pressure : limit;
    }

    /** The bound applied when maxmemory is 0 (0: none). */
    public long implicitLimit() {
        return maxHeap == Long.MAX_VALUE ? 0 : maxHeap / 100 * settings.maxmemoryHeapPercent.value();
    }

    public HeapGuard heapGuard() {
        return heapGuard;
    }

    /** Whether used memory is over the limit now (the check before a denyoom command). */
    public boolean overLimit() {
        long limit = limit();
        return limit > 0 && usedMemory() > limit;
    }

    /**
     * Frees memory until used memory is at or below the limit. Returns {@link #OK} when it is (or
     * was already), {@link #RUNNING} when the time budget ran out and background eviction goes on,
     * {@link #FAIL} when nothing may be evicted (noeviction, or no key the policy allows).
     */
    public int performEvictions(long now) {
        long limit = limit();
        if (limit <= 0 || usedMemory() <= limit) {
            if (overSinceNanos != 0) {
                endOver();
            }
            return OK;
        }
        if (policy == EvictionPolicy.NOEVICTION) {
            markOver();
            return FAIL;
        }
        // Commands over the limit take turns, as Redis' single thread would: one that skipped the
        // evicting thread would let every other writer grow the data unchecked meanwhile.
        int r;
        lock.lock();
        try {
            r = evictUntilUnder(now, timeLimitNanos());
        } finally {
            lock.unlock();
        }
        if (r == FAIL) {
            markOver();
            return FAIL;
        }
        if (r == RUNNING) {
            markOver();
            startBackground();
            return RUNNING;
        }
        if (backgroundRunning) {
            return RUNNING;
        }
        endOver();
        return OK;
    }

    /**
     * Evicts until used memory is at or below the limit ({@link #OK}), nothing the policy allows
     * is left ({@link #FAIL}), or {@code budgetNanos} ran out ({@link #RUNNING}). The caller holds
     * the lock.
     */
    private int evictUntilUnder(long now, long budgetNanos) {
        long start = System.nanoTime();
        int evicted = 0;
        long limit;
        // a limit of 0 (maxmemory-heap-percent 0 set meanwhile) means none: nothing to evict for
        while ((limit = limit()) > 0 && usedMemory() > limit) {
            if (!evictOne(now)) {
                return FAIL;
            }
            if ((++evicted & 15) == 0 && System.nanoTime() - start > budgetNanos) {
                return RUNNING;
            }
        }
        return OK;
    }

    /** Redis' evictionTimeLimitUs: 50 µs per tenacity step up to 10, then +15% a step, 100 = no limit. */
    private long timeLimitNanos() {
        long t = settings.maxmemoryEvictionTenacity.value();
        if (t <= 10) {
            return 50_000L * t;
        }
        if (t < 100) {
            return (long) (500_000.0 * Math.pow(1.15, t - 10.0));
        }
        return Long.MAX_VALUE;
    }

    /** The latest command time seen: scores in the pool must all be taken at non-decreasing times. */
    private long scoreNow;

    /** Evicts one key the policy allows; false when there is none. The caller holds the lock. */
    private boolean evictOne(long commandNow) {
        // Commands of different threads carry times a moment apart; scoring with an earlier time
        // than the pool's would make every candidate look "touched since" and reshuffle the pool.
        long now = scoreNow = Math.max(scoreNow, commandNow);
        EvictionPolicy p = policy;
        if (p.kind == EvictionPolicy.Kind.RANDOM) {
            return evictRandom(p);
        }
        for (int round = 0; round < 64; round++) {
            long total = 0;
            long[] sizes = databaseSizes(p, round > 0);
            for (int d = 0; d < sizes.length; d++) {
                if (sizes[d] != 0) {
                    populate(keyspace.db(d), p, now);
                    total += sizes[d];
                }
            }
            if (total == 0) {
                return false;
            }
            if (pool.evictBest(keyspace, scorer(p), now, p.volatileOnly) != null) {
                return true;
            }
        }
        return false;
    }

    private long[] sizes;
    private boolean sizesVolatile;
    private long sizesNanos;

    /**
     * Keys (or keys with a TTL) per database, refreshed at most every millisecond: summing 64
     * stripes of 16 databases for every evicted key would cost more than the eviction. A stale
     * figure only decides which databases are sampled.
     */
    private long[] databaseSizes(EvictionPolicy p, boolean fresh) {
        long now = System.nanoTime();
        if (sizes == null || fresh || sizesVolatile != p.volatileOnly || now - sizesNanos > 1_000_000) {
            int n = keyspace.databaseCount();
            if (sizes == null) {
                sizes = new long[n];
            }
            for (int d = 0; d < n; d++) {
                Database db = keyspace.db(d);
                sizes[d] = p.volatileOnly ? db.volatileSize() : db.size();
            }
            sizesVolatile = p.volatileOnly;
            sizesNanos = now;
        }
        return sizes;
    }

    /** volatile-ttl: the nearest expiry first. */
    private static final EvictionPool.Scorer TTL_SCORER =
            (e, now) -> e.hasExpiry() ? Long.MAX_VALUE - e.expireAt() : Long.MIN_VALUE;

    private EvictionPool.Scorer scorer(EvictionPolicy p) {
        return p.kind == EvictionPolicy.Kind.TTL ? TTL_SCORER : keyspace.scorer(p.kind == EvictionPolicy.Kind.LFU);
    }

    /**
     * Offers {@code maxmemory-samples} random keys of a database to the pool (Redis'
     * evictionPoolPopulate), from segments visited from a random one on.
     */
    private void populate(Database db, EvictionPolicy p, long now) {
        int samples = (int) Math.min(settings.maxmemorySamples.value(), 64);
        EvictionPool.Scorer scorer = scorer(p);
        int segs = db.segmentCount();
        int start = rnd.nextInt(segs);
        int got = 0;
        for (int k = 0; k < segs && got < samples; k++) {
            Segment s = db.segmentAt((start + k) & (segs - 1));
            if ((p.volatileOnly ? s.volatileSize() : s.size()) == 0) {
                continue;
            }
            int n;
            s.lock();
            try {
                n = s.sample(rnd, sampled, samples - got, p.volatileOnly);
                // scores read entry metadata: advisory, and the pool re-checks its pick under the lock
            } finally {
                s.unlock();
            }
            for (int i = 0; i < n; i++) {
                Entry e = sampled[i];
                sampled[i] = null;
                pool.offer(e, db.index(), scorer.score(e, now));
            }
            got += n;
        }
    }

    /** allkeys-random / volatile-random: a random key of the next database that has one. */
    private boolean evictRandom(EvictionPolicy p) {
        int dbs = keyspace.databaseCount();
        for (int i = 0; i < dbs; i++) {
            nextDb = (nextDb + 1) % dbs;
            Database db = keyspace.db(nextDb);
            if ((p.volatileOnly ? db.volatileSize() : db.size()) == 0) {
                continue;
            }
            int segs = db.segmentCount();
            int start = rnd.nextInt(segs);
            for (int k = 0; k < segs; k++) {
                Segment s = db.segmentAt((start + k) & (segs - 1));
                if ((p.volatileOnly ? s.volatileSize() : s.size()) == 0) {
                    continue;
                }
                s.lock();
                try {
                    Entry e = p.volatileOnly ? s.randomVolatile(rnd) : s.randomEntry(rnd);
                    if (e != null) {
                        s.evict(e);
                        return true;
                    }
                } finally {
                    s.unlock();
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ background eviction

    private void startBackground() {
        if (!backgroundRunning) {
            backgroundRunning = true;
            schedule(0);
        }
    }

    private void schedule(long delayMillis) {
        try {
            scheduler.schedule(this::backgroundStep, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            backgroundRunning = false;
        }
    }

    /** Redis' evictionTimeProc: a time-bounded round of evictions, again and again until under the limit. */
    private void backgroundStep() {
        try {
            int r;
            lock.lock();
            try {
                r = evictUntilUnder(System.currentTimeMillis(), Math.max(timeLimitNanos(), 50_000L));
            } finally {
                lock.unlock();
            }
            if (r == RUNNING) {
                schedule(1);
                return;
            }
            backgroundRunning = false; // FAIL: nothing left the policy may evict, commands get OOM errors
            if (r == OK) {
                endOver();
            }
        } catch (RuntimeException | Error ex) {
            backgroundRunning = false;
            LOG.warn("background eviction failed", ex);
        }
    }

    private void maxmemoryChanged() {
        long limit = limit();
        long used = usedMemory();
        if (limit > 0 && used > limit) {
            LOG.warn("WARNING: the new maxmemory value set via CONFIG SET ({}) is smaller than the current memory usage "
                    + "({}). This will result in key eviction and/or the inability to accept new write commands "
                    + "depending on the maxmemory-policy.", limit, used);
            if (policy != EvictionPolicy.NOEVICTION) {
                startBackground();
            }
        }
    }

    private void heapPressure(boolean on) {
        if (on) {
            LOG.warn("The JVM heap is over {}% full after a collection: the data limit is lowered to {} bytes "
                    + "(maxmemory-policy {}); give the JVM more heap (-Xmx) or set maxmemory lower",
                    HeapGuard.HIGH_PERCENT, heapGuard.pressureLimit(), policy.configName);
            if (policy != EvictionPolicy.NOEVICTION) {
                startBackground();
            }
        } else {
            LOG.info("The JVM heap is below {}% full after a collection again: the data limit is back to {} bytes",
                    HeapGuard.LOW_PERCENT, limit());
        }
    }

    private void lockedClearPool() {
        lock.lock();
        try {
            pool.clear();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ INFO figures

    private void markOver() {
        if (overSinceNanos == 0) {
            overSinceNanos = System.nanoTime();
            if (settings.maxmemory.value() == 0) {
                LOG.warn("The data reached the bound derived from the JVM heap ({} bytes, maxmemory-heap-percent {}%"
                        + "{}): maxmemory-policy {} applies; set maxmemory and give the JVM enough heap (-Xmx)",
                        limit(), settings.maxmemoryHeapPercent.value(),
                        heapGuard.underPressure() ? ", lowered under heap pressure" : "", policy.configName);
            }
        }
    }

    private void endOver() {
        long since = overSinceNanos;
        if (since != 0) {
            overSinceNanos = 0;
            exceededNanosTotal += System.nanoTime() - since;
        }
    }

    /** INFO total_eviction_exceeded_time: milliseconds spent over the limit. */
    public long totalExceededMillis() {
        long since = overSinceNanos;
        return (exceededNanosTotal + (since == 0 ? 0 : System.nanoTime() - since)) / 1_000_000;
    }

    /** INFO current_eviction_exceeded_time: milliseconds over the limit in the current episode. */
    public long currentExceededMillis() {
        long since = overSinceNanos;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1_000_000;
    }

    /** CONFIG RESETSTAT. */
    public void resetStats() {
        exceededNanosTotal = 0;
    }

    public boolean backgroundRunning() {
        return backgroundRunning;
    }

    /** Called once from the engine's close. */
    public void close() {
        heapGuard.close();
    }
}
