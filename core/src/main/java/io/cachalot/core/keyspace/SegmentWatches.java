package io.cachalot.core.keyspace;

import io.cachalot.core.types.BytesMap;
import io.cachalot.core.util.Bytes;

import java.util.ArrayList;

/**
 * The WATCHed keys of one {@link Segment}, kept beside its table (guarded by the segment's lock)
 * so that a change finds its watchers with one hash look-up. A segment has one only while some
 * key of it is watched.
 */
final class SegmentWatches {
    private final Segment segment;
    /** key → WatchedKey, or an ArrayList of them when several clients watch the key. */
    private final BytesMap byKey = new BytesMap(true, false);

    SegmentWatches(Segment segment) {
        this.segment = segment;
    }

    boolean isEmpty() {
        return byKey.size() == 0;
    }

    void add(WatchedKey w) {
        int s = byKey.find(w.key, w.hash);
        if (s < 0) {
            byKey.add(w.key, w.hash, w);
            return;
        }
        Object v = byKey.valueAt(s);
        ArrayList<WatchedKey> list;
        if (v instanceof WatchedKey) {
            list = new ArrayList<>(2);
            list.add((WatchedKey) v);
            byKey.setValueAt(s, list);
        } else {
            list = listOf(v);
        }
        list.add(w);
    }

    /** Forgets {@code w}; false when it was not registered. */
    boolean remove(WatchedKey w) {
        int s = byKey.find(w.key, w.hash);
        if (s < 0) {
            return false;
        }
        Object v = byKey.valueAt(s);
        if (v == w) {
            byKey.removeAt(s);
            return true;
        }
        if (!(v instanceof ArrayList)) {
            return false;
        }
        ArrayList<WatchedKey> list = listOf(v);
        if (!list.remove(w)) {
            return false;
        }
        if (list.isEmpty()) {
            byKey.removeAt(s);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static ArrayList<WatchedKey> listOf(Object v) {
        return (ArrayList<WatchedKey>) v;
    }

    /**
     * A watched key changes: by the engine (expiry, eviction: marks at once; a key already
     * expired when watched is not changed by its deletion) or by a command (a pending touch, see
     * {@link Watches}).
     */
    void touch(byte[] key, boolean byEngine) {
        int s = byKey.find(key);
        if (s < 0) {
            return;
        }
        Object v = byKey.valueAt(s);
        if (v instanceof WatchedKey) {
            touchOne((WatchedKey) v, byEngine);
        } else {
            ArrayList<WatchedKey> list = listOf(v);
            for (int i = 0; i < list.size(); i++) {
                touchOne(list.get(i), byEngine);
            }
        }
    }

    private void touchOne(WatchedKey w, boolean byEngine) {
        if (w.expiredAtWatch && segment.find(w.key, w.hash) == null) {
            w.expiredAtWatch = false; // the expired key is gone: logically no change
            return;
        }
        if (byEngine) {
            w.owner.watchedKeyChanged();
        } else {
            segment.db.keyspace.watches.touched(w);
        }
    }

    /** FLUSHDB / SWAPDB: watched keys that exist in this segment (or in {@code other}) change. */
    void touchAllThatExist(Segment other) {
        for (int s = byKey.nextSlot(0); s >= 0; s = byKey.nextSlot(s + 1)) {
            byte[] key = byKey.keyAt(s);
            int h = Bytes.hash(key);
            if (segment.find(key, h) != null || (other != null && other.find(key, h) != null)) {
                touch(key, false);
            }
        }
    }
}
