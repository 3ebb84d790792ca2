package io.cachalot.core.keyspace;

import java.util.Arrays;

/**
 * Locks the segments of several keys in the keyspace-wide order, so multi-key commands (MSET,
 * RENAME, MOVE, COPY ...) are atomic and cannot deadlock with each other. Reusable, not
 * thread-safe: a client keeps one.
 */
public final class LockSet {
    private Segment[] segments = new Segment[8];
    private int size;
    private boolean locked;

    /** Adds the segment of a key of {@code db}; duplicates are fine. */
    public LockSet add(Database db, int hash) {
        return add(db.segment(hash));
    }

    public LockSet add(Segment s) {
        if (locked) {
            throw new IllegalStateException("already locked");
        }
        if (size == segments.length) {
            segments = Arrays.copyOf(segments, size << 1);
        }
        segments[size++] = s;
        return this;
    }

    /** Locks every added segment, lowest order first, each once. */
    public void lock() {
        // Insertion sort: sets are small (a handful of keys) in the common case.
        Segment[] a = segments;
        int n = size;
        if (n > 32) {
            Arrays.sort(a, 0, n, (x, y) -> Integer.compare(x.order, y.order));
        } else {
            for (int i = 1; i < n; i++) {
                Segment s = a[i];
                int j = i - 1;
                while (j >= 0 && a[j].order > s.order) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = s;
            }
        }
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (w == 0 || a[w - 1] != a[i]) {
                a[w++] = a[i];
            }
        }
        for (int i = w; i < n; i++) {
            a[i] = null;
        }
        size = w;
        for (int i = 0; i < w; i++) {
            a[i].lock();
        }
        locked = true;
    }

    /** Unlocks everything and empties the set for reuse. */
    public void unlock() {
        if (locked) {
            for (int i = size - 1; i >= 0; i--) {
                segments[i].unlock();
            }
            locked = false;
        }
        Arrays.fill(segments, 0, size, null);
        size = 0;
    }
}
