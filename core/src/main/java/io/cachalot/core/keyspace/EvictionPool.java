package io.cachalot.core.keyspace;

/**
 * The best eviction candidates met so far, as Redis' eviction pool: each eviction samples a few
 * keys, the samples join the pool, and the candidate with the highest score (longest idle, least
 * frequently used, nearest expiry) goes first. Candidates that were not evicted stay for the next
 * eviction, which is what makes a handful of samples approximate true LRU/LFU well.
 *
 * <p>Holds entries, not keys: a candidate is only evicted after its segment confirms, under the
 * lock, that the very same entry is still there. Not thread-safe; the owner serialises access.
 */
public final class EvictionPool {
    public static final int SIZE = 16;

    /** How good a candidate an entry is at a moment: higher is evicted first. */
    @FunctionalInterface
    public interface Scorer {
        long score(Entry e, long now);
    }

    private final Entry[] entries = new Entry[SIZE];
    private final int[] dbs = new int[SIZE];
    private final long[] scores = new long[SIZE];
    /** Candidates in [0, count), sorted by ascending score: the best is at count - 1. */
    private int count;

    public int size() {
        return count;
    }

    /**
     * Offers a sampled entry of database {@code db}. Ignored when the pool is full of better
     * candidates; an entry already in the pool gets its new score.
     */
    public void offer(Entry e, int db, long score) {
        for (int i = 0; i < count; i++) {
            if (entries[i] == e) {
                removeAt(i);
                break;
            }
        }
        int k = 0;
        while (k < count && scores[k] < score) {
            k++;
        }
        if (count == SIZE) {
            if (k == 0) {
                return; // worse than every candidate in a full pool
            }
            // drop the worst (slot 0) to make room below k
            k--;
            System.arraycopy(entries, 1, entries, 0, k);
            System.arraycopy(dbs, 1, dbs, 0, k);
            System.arraycopy(scores, 1, scores, 0, k);
        } else {
            System.arraycopy(entries, k, entries, k + 1, count - k);
            System.arraycopy(dbs, k, dbs, k + 1, count - k);
            System.arraycopy(scores, k, scores, k + 1, count - k);
            count++;
        }
        entries[k] = e;
        dbs[k] = db;
        scores[k] = score;
    }

    /** The best candidate, or null when the pool is empty. */
    public Entry bestEntry() {
        return count == 0 ? null : entries[count - 1];
    }

    /** The database of {@link #bestEntry()}. */
    public int bestDb() {
        return dbs[count - 1];
    }

    /** The score {@link #bestEntry()} was offered with. */
    public long bestScore() {
        return scores[count - 1];
    }

    public void removeBest() {
        entries[--count] = null;
    }

    /**
     * Evicts the best candidate that is still in its database (and, with {@code volatileOnly},
     * still has a TTL), checked under its segment's lock. A candidate whose score dropped since it
     * was offered (an access, a new TTL) goes back among the others instead. Returns the evicted
     * entry, or null once the pool is empty.
     */
    public Entry evictBest(Keyspace keyspace, Scorer scorer, long now, boolean volatileOnly) {
        while (count != 0) {
            Entry e = bestEntry();
            int d = bestDb();
            removeBest();
            long score = scorer.score(e, now);
            if (count != 0 && score < bestScore()) {
                offer(e, d, score);
                continue;
            }
            int h = e.hash();
            Segment s = keyspace.db(d).segment(h);
            s.lock();
            try {
                if (s.holds(e) && (!volatileOnly || e.hasExpiry())) {
                    s.evict(e);
                    return e;
                }
            } finally {
                s.unlock();
            }
        }
        return null;
    }

    public void clear() {
        java.util.Arrays.fill(entries, null);
        count = 0;
    }

    private void removeAt(int i) {
        System.arraycopy(entries, i + 1, entries, i, count - i - 1);
        System.arraycopy(dbs, i + 1, dbs, i, count - i - 1);
        System.arraycopy(scores, i + 1, scores, i, count - i - 1);
        entries[--count] = null;
    }
}
