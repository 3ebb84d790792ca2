package io.cachalot.core.keyspace;

import java.util.Arrays;

/**
 * The one place where consumers hear of changes to keys, whatever made them: a RESP command, a
 * transaction, an embedded client, a JCache or Spring cache, expiry or eviction. Every mutation of
 * a {@link Segment} reports here (see {@link Segment}'s change point), after WATCH and the key
 * groups, which the segment feeds directly because they keep per-segment state.
 *
 * <p>Subscribing is rare and copies the listener array; publishing reads it once, so a change
 * with no subscriber costs one volatile read and a length test.
 */
public final class ChangeStream {
    private static final ChangeListener[] NONE = new ChangeListener[0];

    private volatile ChangeListener[] listeners = NONE;

    public synchronized void subscribe(ChangeListener l) {
        ChangeListener[] ls = listeners;
        ChangeListener[] next = Arrays.copyOf(ls, ls.length + 1);
        next[ls.length] = l;
        listeners = next;
    }

    public synchronized void unsubscribe(ChangeListener l) {
        ChangeListener[] ls = listeners;
        for (int i = 0; i < ls.length; i++) {
            if (ls[i] == l) {
                ChangeListener[] next = new ChangeListener[ls.length - 1];
                System.arraycopy(ls, 0, next, 0, i);
                System.arraycopy(ls, i + 1, next, i, ls.length - i - 1);
                listeners = next;
                return;
            }
        }
    }

    void keyChanged(Database db, Entry e, ChangeKind kind) {
        ChangeListener[] ls = listeners;
        for (int i = 0; i < ls.length; i++) {
            ls[i].keyChanged(db, e, kind);
        }
    }

    void databaseFlushed(Database db) {
        ChangeListener[] ls = listeners;
        for (int i = 0; i < ls.length; i++) {
            ls[i].databaseFlushed(db);
        }
    }

    void flushEnded(Database db) {
        ChangeListener[] ls = listeners;
        for (int i = 0; i < ls.length; i++) {
            ls[i].flushEnded(db);
        }
    }

    void writeEnded() {
        ChangeListener[] ls = listeners;
        for (int i = 0; i < ls.length; i++) {
            ls[i].writeEnded();
        }
    }

    void databasesSwapped(Database a, Database b) {
        ChangeListener[] ls = listeners;
        for (int i = 0; i < ls.length; i++) {
            ls[i].databasesSwapped(a, b);
        }
    }
}
