package io.cachalot.core.keyspace;

/**
 * A point-in-time view of the whole keyspace, taken without stopping writers (for BGSAVE and
 * replication full syncs). Starting it marks every segment, under all locks at once, as pending;
 * the first writer to change a pending segment copies it before the change, and the reader copies
 * the segments nobody touched as it reaches them. Memory cost: at most one copy of the data that
 * changes while the snapshot is read (as with a fork's copy-on-write pages).
 */
public final class Snapshot implements AutoCloseable {
    private final Keyspace keyspace;
    private final Entry[][] captured;
    private boolean done;
    /** Estimated bytes of the segments writers made the snapshot copy early (Redis' copy-on-write). */
    private final java.util.concurrent.atomic.LongAdder copiedForWriters = new java.util.concurrent.atomic.LongAdder();

    Snapshot(Keyspace keyspace, int segmentsTotal) {
        this.keyspace = keyspace;
        this.captured = new Entry[segmentsTotal][];
    }

    /**
     * A writer is about to change a segment the snapshot has not read yet: it is copied now, and
     * its size counts as what the snapshot made the data cost while it ran.
     */
    void captureForWriter(Segment s) {
        capture(s);
        // what the copy allocated: an entry per key, and the collections (strings are shared)
        long bytes = 0;
        for (Entry e : captured[s.order]) {
            bytes += io.cachalot.core.types.MemorySize.ENTRY;
            if (e.value instanceof io.cachalot.core.types.MutableValue) {
                bytes += io.cachalot.core.types.MemorySize.value(e.value);
            }
        }
        copiedForWriters.add(bytes);
    }

    /**
     * Estimated bytes of the segments copied because a writer changed them before the snapshot
     * read them: the cost a fork's copy-on-write would have paid (INFO rdb_last_cow_size).
     */
    public long copiedForWriters() {
        return copiedForWriters.sum();
    }

    /** Called under the segment's lock by a writer or by the reader. */
    void capture(Segment s) {
        captured[s.order] = s.copyEntries();
        s.pendingSnapshot = null;
    }

    /** Receives the entries of the snapshot; values must be treated as read-only. */
    @FunctionalInterface
    public interface Visitor {
        void visit(int database, Entry entry) throws Exception;
    }

    /**
     * Visits every entry as it was when the snapshot started, database by database. May be called
     * once; the visitor runs on the calling thread without any lock held.
     */
    public void forEach(Visitor visitor) throws Exception {
        if (done) {
            throw new IllegalStateException("snapshot already consumed");
        }
        done = true;
        try {
            for (int d = 0; d < keyspace.databaseCount(); d++) {
                Database db = keyspace.db(d);
                for (int i = 0; i < db.segmentCount(); i++) {
                    Segment s = db.segmentAt(i);
                    Entry[] entries;
                    s.lock();
                    try {
                        if (s.pendingSnapshot == this) {
                            capture(s);
                        }
                        entries = captured[s.order];
                        captured[s.order] = null;
                    } finally {
                        s.unlock();
                    }
                    if (entries != null) {
                        for (Entry e : entries) {
                            visitor.visit(d, e);
                        }
                    }
                }
            }
        } finally {
            close();
        }
    }

    /** Stops the snapshot; segments not yet captured are no longer copied by writers. */
    @Override
    public void close() {
        keyspace.endSnapshot(this);
    }
}
