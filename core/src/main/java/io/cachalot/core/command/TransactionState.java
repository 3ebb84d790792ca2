package io.cachalot.core.command;

import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.WatchedKey;

import java.util.ArrayList;
import java.util.List;

/**
 * A client's MULTI queue and WATCHed keys. The queue is used by the client's own thread only;
 * the "a watched key changed" mark is set by whichever thread changes the key.
 */
public final class TransactionState implements WatchedKey.Owner, io.cachalot.core.client.TransactionView {
    /** A command queued after MULTI. */
    public static final class Queued {
        public final CommandSpec spec;
        public final byte[][] argv;

        Queued(CommandSpec spec, byte[][] argv) {
            this.spec = spec;
            this.argv = argv;
        }
    }

    private List<Queued> queue;
    private boolean flagged;
    private final List<WatchedKey> watched = new ArrayList<>();
    private volatile boolean changed;

    public boolean inMulti() {
        return queue != null;
    }

    public void begin() {
        queue = new ArrayList<>();
        flagged = false;
    }

    /** Queues a command (its argument array is copied; the arguments are not reused). */
    public void queue(CommandSpec spec, byte[][] argv, int argc) {
        byte[][] a = new byte[argc][];
        System.arraycopy(argv, 0, a, 0, argc);
        queue.add(new Queued(spec, a));
    }

    /** Marks the transaction as failed to queue a command (EXEC will answer EXECABORT). */
    public void flag() {
        if (queue != null) {
            flagged = true;
        }
    }

    public boolean flagged() {
        return flagged;
    }

    public List<Queued> queued() {
        return queue;
    }

    /** Leaves MULTI state, returning what was queued. */
    public List<Queued> end() {
        List<Queued> q = queue;
        queue = null;
        flagged = false;
        return q;
    }

    /** Number of queued commands, -1 outside MULTI (CLIENT LIST's multi= field). */
    @Override
    public int queuedCount() {
        return queue == null ? -1 : queue.size();
    }

    public List<WatchedKey> watched() {
        return watched;
    }

    public boolean watching(int db, byte[] key) {
        for (WatchedKey w : watched) {
            if (w.db() == db && java.util.Arrays.equals(w.key(), key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void watchedKeyChanged() {
        changed = true;
    }

    /** Whether a watched key changed since WATCH. */
    @Override
    public boolean watchedKeyWasChanged() {
        return changed;
    }

    /** UNWATCH: takes the watched keys out of their segments, then forgets them. */
    public void unwatchAll(Keyspace ks) {
        for (WatchedKey w : watched) {
            try (Segment seg = ks.db(w.db()).lock(w.hash())) {
                seg.unwatch(w);
            }
        }
        clearWatches();
    }

    private void clearWatches() {
        watched.clear();
        changed = false;
    }
}
