package io.cachalot.core.keyspace;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.MemorySize;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.DecimalKey;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One lock stripe of a {@link Database}: a chained hash table of {@link Entry} objects, the array
 * of its keys that carry a TTL (for active expiry and volatile-* eviction sampling), and its share
 * of the memory estimate. Every method requires the caller to hold this segment's lock.
 *
 * <p>Keys pick their segment by the high bits of their hash and their bucket by the low bits, so
 * segments grow and shrink independently and a resize never stops the whole database. The bucket
 * array is a power of two and is rehashed at once, under the lock; SCAN's reverse-binary cursor
 * therefore keeps its guarantee (every key present for the whole scan is returned) across resizes.
 */
public final class Segment extends ReentrantLock implements AutoCloseable {
    private static final int MIN_CAPACITY = 8;

    final Database db;
    final int index;
    /** Position in the keyspace-wide lock order: (database index, segment index). */
    final int order;

    private Entry[] table;
    private int count;
    private Entry[] volatiles;
    private int volatileCount;
    /**
     * Entries whose value has elements with their own expiry (hash fields). Entries deleted or
     * whose value changed stay until {@link #expireSubElements} next passes and drops them.
     */
    private Entry[] subExpiring;
    private int subExpiringCount;
    /** Watched keys of this segment: key → WatchedKey or a list of them; null when none. */
    private io.cachalot.core.types.BytesMap watched;
    private long memory;
    /** Entries of each {@link KeyGroup} of the database, by group id; null when none. */
    private EntrySet[] groupSets;
    /**
     * Even while the table and its entries are stable, odd while a writer changes them: lets a
     * reader look an entry up without the lock and check afterwards that nothing moved
     * ({@link #readVersion}, {@link #findUnlocked}, {@link #validate}).
     */
    private volatile int version;
    /** Nesting of changes in progress (under the lock): the version moves at the outermost only. */
    private int writeDepth;
    /** Set while a snapshot has not yet captured this segment; writers capture before changing it. */
    Snapshot pendingSnapshot;

    Segment(Database db, int index, int order) {
        this.db = db;
        this.index = index;
        this.order = order;
    }

    public Database database() {
        return db;
    }

    /** Number of keys, including expired keys not yet reclaimed. */
    public int size() {
        return count;
    }

    public int volatileSize() {
        return volatileCount;
    }

    public long memoryUsage() {
        return memory;
    }

    // ------------------------------------------------------------------ lookup

    /** The entry for a key, expired or not; null when absent. */
    public Entry find(byte[] key, int hash) {
        Entry[] t = table;
        if (t == null) {
            return null;
        }
        for (Entry e = t[hash & (t.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Bytes.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    /**
     * {@link #find(byte[], int)} for the key of {@code n} in {@code key}'s form, whose hash is
     * {@code hash} ({@link DecimalKey#hash}): the caller writes the key out only to insert it.
     * With an owner ({@code keyOwner} not 0), an entry keeping {@code keyObject} for that owner
     * matches by identity first: {@code keyObject} is the application's immutable object for
     * {@code n} and {@code key} a form of the prefix {@code keyOwner} stands for, so that entry's
     * key is the one sought without its bytes being read.
     */
    public Entry find(DecimalKey key, long n, int hash, Object keyObject, byte keyOwner) {
        Entry[] t = table;
        if (t == null) {
            return null;
        }
        for (Entry e = t[hash & (t.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && (ownedBy(e, keyObject, keyOwner) || key.matches(e.key, n))) {
                return e;
            }
        }
        return null;
    }

    /** Whether {@code e} keeps {@code keyObject} for {@code keyOwner}, an owner (entries without a key object have none). */
    private static boolean ownedBy(Entry e, Object keyObject, byte keyOwner) {
        return e.keyObject == keyObject && e.keyOwner == keyOwner && keyOwner != 0;
    }

    /**
     * The entry for a key unless it is absent or expired; an expired entry is deleted on the way
     * (lazy expiry) and counted.
     */
    public Entry findLive(byte[] key, int hash, long now) {
        Entry e = find(key, hash);
        if (e != null && e.expireAt != Entry.NO_EXPIRY && e.expireAt <= now) {
            if (!db.keyspace.expiryPaused()) {
                expire(e);
            }
            return null;
        }
        return e;
    }

    /**
     * Deletes an entry whose time to live has passed, and counts it; the key groups it belongs to
     * are told (a JCache cache fires its expired events).
     */
    public void expire(Entry e) {
        expire(e, true);
    }

    /** As {@link #expire(Entry)}; {@code notifyGroups} false when the caller handles the expiry itself. */
    public void expire(Entry e, boolean notifyGroups) {
        removeEntry(e);
        db.keyspace.stats.expiredKeys.increment();
        if (watched != null) {
            touchWatched(e.key, true);
        }
        KeyGroup[] gs = db.groups;
        if (notifyGroups && gs.length != 0) {
            for (KeyGroup g : gs) {
                if (g != null && g.expiryListener != null && g.matches(e.key)) {
                    g.expiryListener.expired(e.key, e.value, ValueType.of(e.type));
                }
            }
        }
    }

    /**
     * Deletes an entry chosen by an eviction policy (maxmemory or a cache's bound), and counts it.
     * A client watching the key sees the change at once, as Redis' eviction signals it.
     */
    public void evict(Entry e) {
        removeEntry(e);
        db.keyspace.stats.evictedKeys.increment();
        if (watched != null) {
            touchWatched(e.key, true);
        }
    }

    // ------------------------------------------------------------------ changes

    /**
     * Adds a key that is absent or logically expired. (While expiry is paused by CLIENT PAUSE, an
     * expired entry stays in the table; a writer that is not paused, such as an in-process
     * client, replaces it here.)
     */
    public Entry insert(byte[] key, int hash, Object value, ValueType type, Encoding encoding) {
        return insert(key, hash, value, type, encoding, null, (byte) 0);
    }

    /**
     * {@link #insert(byte[], int, Object, ValueType, Encoding)} of an entry that keeps
     * {@code keyObject}, the application's immutable object for {@code key} (or null), owned by
     * {@code keyOwner} ({@link Keyspace#keyOwner} of a prefix of {@code key}): the owner's look-ups
     * by {@link #find(DecimalKey, long, int, Object, byte)} then match it by identity.
     */
    public Entry insert(byte[] key, int hash, Object value, ValueType type, Encoding encoding, Object keyObject, byte keyOwner) {
        beginWrite();
        try {
            return insertLocked(key, hash, value, type, encoding, keyObject, keyOwner);
        } finally {
            endWrite();
        }
    }

    private Entry insertLocked(byte[] key, int hash, Object value, ValueType type, Encoding encoding,
                               Object keyObject, byte keyOwner) {
        if (db.keyspace.expiryPaused()) {
            Entry stale = find(key, hash);
            if (stale != null) {
                remove(stale);
            }
        }
        beforeWrite();
        if (watched != null) {
            touchWatched(key, false);
        }
        Entry e = new Entry(key, hash, value, type.code(), encoding.code(), keyObject, keyOwner);
        e.lru = db.keyspace.accessClockForNewKey();
        Entry[] t = table;
        if (t == null) {
            t = table = new Entry[MIN_CAPACITY];
        }
        int i = hash & (t.length - 1);
        e.next = t[i];
        t[i] = e;
        count++;
        long m = e.memoryUsage();
        memory += m;
        db.keyspace.memory.add(m);
        if (count > t.length - (t.length >>> 2)) {
            resize(t.length << 1);
        }
        trackIfSubExpiring(e, value);
        if (db.groups.length != 0) {
            groupAdd(e, db.groups);
        }
        return e;
    }

    public void remove(Entry e) {
        if (watched != null) {
            touchWatched(e.key, false);
        }
        removeEntry(e);
    }

    private void removeEntry(Entry e) {
        beginWrite();
        try {
            unlink(e);
        } finally {
            endWrite();
        }
    }

    private void unlink(Entry e) {
        beforeWrite();
        Entry[] t = table;
        int i = e.hash & (t.length - 1);
        Entry p = t[i];
        if (p == e) {
            t[i] = e.next;
        } else {
            while (p.next != e) {
                p = p.next;
            }
            p.next = e.next;
        }
        e.next = null;
        if (e.volatileSlot >= 0) {
            removeVolatile(e);
        }
        count--;
        long m = e.memoryUsage();
        memory -= m;
        db.keyspace.memory.add(-m);
        if (groupSets != null) {
            groupRemove(e);
        }
        if (t.length > MIN_CAPACITY && count < t.length / 10) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(count, 1)) << 1));
        }
    }

    /** Replaces the value of an entry, possibly with a value of another type. */
    public void setValue(Entry e, Object value, ValueType type, Encoding encoding) {
        beforeWrite();
        if (watched != null) {
            touchWatched(e.key, false);
        }
        beginWrite();
        Object old = e.value;
        if (old != value && e.type == type.code() && old instanceof byte[] && value instanceof byte[]
                && Arrays.equals((byte[]) old, (byte[]) value)) {
            // Equal bytes (a cache re-putting its value, SET of the same text): keep the stored
            // array, and with it the memo decoded from it. Storing the new one would only make
            // garbage of the old, promote the new, and make the GC scan this entry's card.
            value = old;
        }
        long delta = 0;
        if (old != value) {
            delta = MemorySize.value(value) - MemorySize.value(old);
            if (e.memo != null) {
                delta -= MemorySize.memo(e.memo);
                e.memo = null;
            }
            memory += delta;
            db.keyspace.memory.add(delta);
            e.value = value;
        }
        e.type = type.code();
        e.encoding = encoding.code();
        endWrite();
        if (groupSets != null && delta != 0) {
            groupResize(e, delta);
        }
        trackIfSubExpiring(e, value);
    }

    /**
     * Keeps {@code memo}, an immutable object decoded from the string value {@code value}, beside
     * the live entry of {@code key} while that entry still holds exactly {@code value} (string
     * values are never changed in place, so identity is the test); its estimated size counts
     * towards the entry's memory. Needs no lock of the caller: it only tries the segment's, and
     * gives up (false) when another thread holds it or the entry moved on. Not a change of the
     * data, so the version does not move and snapshots and watchers are not told.
     */
    public boolean memoize(byte[] key, int hash, byte[] value, Object memo) {
        if (memo == null || !tryLock()) {
            return false;
        }
        try {
            return keepMemo(find(key, hash), value, memo);
        } finally {
            unlock();
        }
    }

    /**
     * {@link #memoize(byte[], int, byte[], Object)} for the string value of {@code e}, an entry
     * of this segment that the caller found and still holds the lock of.
     */
    public boolean memoize(Entry e, Object memo) {
        return memo != null && e.value instanceof byte[] && keepMemo(e, (byte[]) e.value, memo);
    }

    private boolean keepMemo(Entry e, byte[] value, Object memo) {
        if (e == null || e.value != value || e.memo != null) {
            return false;
        }
        e.memo = memo;
        long m = MemorySize.memo(memo);
        memory += m;
        db.keyspace.memory.add(m);
        if (groupSets != null) {
            groupResize(e, m);
        }
        return true;
    }

    /**
     * Call before changing a mutable value in place; returns its size so that
     * {@link #afterMutation} can account for the difference.
     */
    public long beforeMutation(Entry e) {
        beforeWrite();
        if (watched != null) {
            touchWatched(e.key, false);
        }
        return MemorySize.value(e.value);
    }

    public void afterMutation(Entry e, long sizeBefore) {
        long delta = MemorySize.value(e.value) - sizeBefore;
        memory += delta;
        db.keyspace.memory.add(delta);
        if (groupSets != null && delta != 0) {
            groupResize(e, delta);
        }
    }

    public void setEncoding(Entry e, Encoding encoding) {
        beforeWrite();
        e.encoding = encoding.code();
    }

    /** Sets or clears ({@link Entry#NO_EXPIRY}) the absolute expiry time in Unix milliseconds. */
    public void setExpireAt(Entry e, long at) {
        beforeWrite();
        if (watched != null) {
            touchWatched(e.key, false);
        }
        beginWrite();
        e.expireAt = at;
        endWrite();
        if (at == Entry.NO_EXPIRY) {
            if (e.volatileSlot >= 0) {
                removeVolatile(e);
            }
        } else if (e.volatileSlot < 0) {
            addVolatile(e);
        }
    }

    /** Removes every key. */
    public void clear() {
        beforeWrite();
        touchAllWatchedThatExist(null);
        beginWrite();
        table = null;
        volatiles = null;
        subExpiring = null;
        count = 0;
        volatileCount = 0;
        subExpiringCount = 0;
        db.keyspace.memory.add(-memory);
        memory = 0;
        endWrite();
        clearGroups();
    }

    // ------------------------------------------------------------------ key groups

    private void groupAdd(Entry e, KeyGroup[] gs) {
        for (KeyGroup g : gs) {
            if (g != null && g.matches(e.key)) {
                EntrySet[] sets = groupSets;
                if (sets == null || sets.length <= g.id) {
                    sets = groupSets = sets == null ? new EntrySet[g.id + 1] : Arrays.copyOf(sets, g.id + 1);
                }
                EntrySet set = sets[g.id];
                if (set == null) {
                    set = sets[g.id] = new EntrySet();
                }
                int before = set.size();
                set.add(e);
                if (set.size() != before) {
                    long m = e.memoryUsage();
                    set.memory += m;
                    g.count.increment();
                    g.memory.add(m);
                }
            }
        }
    }

    /** A group member's value changed size by {@code delta} bytes. */
    private void groupResize(Entry e, long delta) {
        KeyGroup[] gs = db.groups;
        EntrySet[] sets = groupSets;
        for (int i = 0; i < sets.length; i++) {
            if (sets[i] != null && i < gs.length && gs[i] != null && gs[i].matches(e.key)) {
                sets[i].memory += delta;
                gs[i].memory.add(delta);
            }
        }
    }

    private void groupRemove(Entry e) {
        KeyGroup[] gs = db.groups;
        EntrySet[] sets = groupSets;
        for (int i = 0; i < sets.length; i++) {
            EntrySet set = sets[i];
            if (set != null && set.size() != 0 && i < gs.length && gs[i] != null && gs[i].matches(e.key)) {
                int before = set.size();
                set.remove(e);
                if (set.size() != before) {
                    long m = e.memoryUsage();
                    set.memory -= m;
                    gs[i].count.decrement();
                    gs[i].memory.add(-m);
                }
            }
        }
    }

    private void clearGroups() {
        EntrySet[] sets = groupSets;
        if (sets == null) {
            return;
        }
        KeyGroup[] gs = db.groups;
        for (int i = 0; i < sets.length; i++) {
            if (sets[i] != null) {
                if (i < gs.length && gs[i] != null) {
                    gs[i].count.add(-sets[i].size());
                    gs[i].memory.add(-sets[i].memory);
                }
                sets[i].clear();
            }
        }
    }

    /** Rebuilds the group sets from the table (a group was opened, or the contents were swapped). */
    void rebuildGroups() {
        clearGroups();
        groupSets = null;
        KeyGroup[] gs = db.groups;
        if (gs.length == 0 || table == null) {
            return;
        }
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                groupAdd(e, gs);
            }
        }
    }

    /** Forgets a group being closed (its entries stay). */
    void dropGroup(KeyGroup g) {
        if (groupSets != null && g.id < groupSets.length && groupSets[g.id] != null) {
            g.count.add(-groupSets[g.id].size());
            g.memory.add(-groupSets[g.id].memory);
            groupSets[g.id] = null;
        }
    }

    /** Entries of a group in this segment, now. */
    Entry[] groupEntries(KeyGroup g) {
        EntrySet set = groupSets == null || g.id >= groupSets.length ? null : groupSets[g.id];
        return set == null ? new Entry[0] : set.toArray();
    }

    int groupSize(KeyGroup g) {
        EntrySet set = groupSets == null || g.id >= groupSets.length ? null : groupSets[g.id];
        return set == null ? 0 : set.size();
    }

    /** A random entry of a group in this segment, or null. */
    Entry groupRandom(KeyGroup g, RandomGenerator rnd) {
        EntrySet set = groupSets == null || g.id >= groupSets.length ? null : groupSets[g.id];
        return set == null || set.size() == 0 ? null : set.random(rnd);
    }

    // ------------------------------------------------------------------ element expiry

    private void trackIfSubExpiring(Entry e, Object value) {
        if (value instanceof MutableValue && ((MutableValue) value).hasSubExpiry()) {
            trackSubExpiry(e);
        }
    }

    /** Registers an entry whose value now has expiring elements (idempotent). */
    public void trackSubExpiry(Entry e) {
        if (e.subExpiryTracked()) {
            return;
        }
        Entry[] a = subExpiring;
        if (a == null) {
            a = subExpiring = new Entry[4];
        } else if (subExpiringCount == a.length) {
            a = subExpiring = Arrays.copyOf(a, a.length << 1);
        }
        a[subExpiringCount++] = e;
        e.setSubExpiryTracked(true);
    }

    public int subExpiringSize() {
        return subExpiringCount;
    }

    /**
     * Active expiry of elements: removes up to about {@code quota} expired elements from the
     * tracked values, deletes values left empty, and forgets entries that are gone or have no
     * expiring element left. Returns the number of elements removed.
     */
    public int expireSubElements(long now, int quota) {
        int removed = 0;
        int i = 0;
        while (i < subExpiringCount && removed < quota) {
            Entry e = subExpiring[i];
            Object v = e.value;
            boolean live = find(e.key, e.hash) == e && v instanceof MutableValue
                    && ((MutableValue) v).hasSubExpiry();
            if (live && ((MutableValue) v).nextSubExpiry() <= now) {
                if (watched != null) {
                    touchWatched(e.key, true);
                }
                beforeWrite();
                long before = MemorySize.value(e.value);
                removed += ((MutableValue) v).expireSubElements(now);
                afterMutation(e, before);
                if (((MutableValue) v).isEmpty()) {
                    remove(e);
                    live = false;
                } else {
                    live = ((MutableValue) v).hasSubExpiry();
                }
            }
            if (live) {
                i++;
            } else {
                e.setSubExpiryTracked(false);
                subExpiring[i] = subExpiring[--subExpiringCount];
                subExpiring[subExpiringCount] = null;
            }
        }
        return removed;
    }

    // ------------------------------------------------------------------ WATCH

    /** Registers a watched key of this segment. */
    public void watch(WatchedKey w) {
        if (watched == null) {
            watched = new io.cachalot.core.types.BytesMap(true, false);
        }
        int s = watched.find(w.key, w.hash);
        if (s < 0) {
            watched.add(w.key, w.hash, w);
        } else {
            Object v = watched.valueAt(s);
            java.util.ArrayList<WatchedKey> list;
            if (v instanceof WatchedKey) {
                list = new java.util.ArrayList<>(2);
                list.add((WatchedKey) v);
                watched.setValueAt(s, list);
            } else {
                @SuppressWarnings("unchecked")
                java.util.ArrayList<WatchedKey> l = (java.util.ArrayList<WatchedKey>) v;
                list = l;
            }
            list.add(w);
        }
        db.keyspace.watches.added();
    }

    /** Removes a watched key registered with {@link #watch}. */
    public void unwatch(WatchedKey w) {
        if (watched == null) {
            return;
        }
        int s = watched.find(w.key, w.hash);
        if (s < 0) {
            return;
        }
        Object v = watched.valueAt(s);
        if (v == w) {
            watched.removeAt(s);
        } else if (v instanceof java.util.ArrayList) {
            @SuppressWarnings("unchecked")
            java.util.ArrayList<WatchedKey> list = (java.util.ArrayList<WatchedKey>) v;
            if (!list.remove(w)) {
                return;
            }
            if (list.isEmpty()) {
                watched.removeAt(s);
            }
        } else {
            return;
        }
        db.keyspace.watches.removed();
        if (watched.size() == 0) {
            watched = null;
        }
    }

    /**
     * A watched key changes: by expiry (marks at once; a key already expired when watched is not
     * changed by its deletion) or by a command (a pending touch, see {@link Watches}).
     */
    private void touchWatched(byte[] key, boolean byExpiry) {
        int s = watched.find(key);
        if (s < 0) {
            return;
        }
        Object v = watched.valueAt(s);
        if (v instanceof WatchedKey) {
            touchOne((WatchedKey) v, byExpiry);
        } else {
            @SuppressWarnings("unchecked")
            java.util.ArrayList<WatchedKey> list = (java.util.ArrayList<WatchedKey>) v;
            for (int i = 0; i < list.size(); i++) {
                touchOne(list.get(i), byExpiry);
            }
        }
    }

    private void touchOne(WatchedKey w, boolean byExpiry) {
        if (w.expiredAtWatch && find(w.key, w.hash) == null) {
            w.expiredAtWatch = false; // the expired key is gone: logically no change
            return;
        }
        if (byExpiry) {
            w.owner.watchedKeyChanged();
        } else {
            db.keyspace.watches.touched(w);
        }
    }

    /** FLUSHDB / SWAPDB: watched keys that exist here (or in {@code other}) change. */
    private void touchAllWatchedThatExist(Segment other) {
        if (watched == null) {
            return;
        }
        for (int s = watched.nextSlot(0); s >= 0; s = watched.nextSlot(s + 1)) {
            byte[] key = watched.keyAt(s);
            int h = io.cachalot.core.util.Bytes.hash(key);
            if (find(key, h) != null || (other != null && other.find(key, h) != null)) {
                touchWatched(key, false);
            }
        }
    }

    /** Exchanges the contents of two segments (SWAPDB); the caller holds both locks. */
    void swapContents(Segment o) {
        beforeWrite();
        o.beforeWrite();
        beginWrite();
        o.beginWrite();
        touchAllWatchedThatExist(o);
        o.touchAllWatchedThatExist(this);
        Entry[] t = table;
        table = o.table;
        o.table = t;
        int c = count;
        count = o.count;
        o.count = c;
        Entry[] v = volatiles;
        volatiles = o.volatiles;
        o.volatiles = v;
        int vc = volatileCount;
        volatileCount = o.volatileCount;
        o.volatileCount = vc;
        Entry[] se = subExpiring;
        subExpiring = o.subExpiring;
        o.subExpiring = se;
        int sc = subExpiringCount;
        subExpiringCount = o.subExpiringCount;
        o.subExpiringCount = sc;
        long m = memory;
        memory = o.memory;
        o.memory = m;
        endWrite();
        o.endWrite();
        rebuildGroups();
        o.rebuildGroups();
    }

    private void beginWrite() {
        if (writeDepth++ == 0) {
            version++;
        }
    }

    private void endWrite() {
        if (--writeDepth == 0) {
            version++;
        }
    }

    // ------------------------------------------------------------------ reads without the lock

    /**
     * The version to give {@link #validate} after an unlocked look-up; odd (never valid) while a
     * writer is at work. For immutable values only (strings, objects held by reference): a
     * collection changed in place does not move the version.
     */
    public int readVersion() {
        return version;
    }

    /**
     * Looks a key up without the lock. The result (and anything read from it) may be
     * inconsistent until {@link #validate} says the segment did not change meanwhile.
     */
    public Entry findUnlocked(byte[] key, int hash) {
        Entry[] t = table;
        if (t == null) {
            return null;
        }
        int steps = 0;
        for (Entry e = t[hash & (t.length - 1)]; e != null && steps < 64; e = e.next, steps++) {
            if (e.hash == hash && Bytes.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    /**
     * {@link #findUnlocked(byte[], int)} for the key of {@code n} in {@code key}'s form, whose
     * hash is {@code hash} ({@link DecimalKey#hash}): the caller never writes the key out. Matches
     * by identity first, as {@link #find(DecimalKey, long, int, Object, byte)}.
     */
    public Entry findUnlocked(DecimalKey key, long n, int hash, Object keyObject, byte keyOwner) {
        Entry[] t = table;
        if (t == null) {
            return null;
        }
        int steps = 0;
        for (Entry e = t[hash & (t.length - 1)]; e != null && steps < 64; e = e.next, steps++) {
            if (e.hash == hash && (ownedBy(e, keyObject, keyOwner) || key.matches(e.key, n))) {
                return e;
            }
        }
        return null;
    }

    /** Whether nothing changed since {@code v} was read: reads made in between were consistent. */
    public boolean validate(int v) {
        java.lang.invoke.VarHandle.loadLoadFence();
        return (v & 1) == 0 && version == v;
    }

    /** Every change passes here first: a pending snapshot captures the segment as it was. */
    private void beforeWrite() {
        Snapshot s = pendingSnapshot;
        if (s != null) {
            s.capture(this);
        }
    }

    private void addVolatile(Entry e) {
        Entry[] v = volatiles;
        if (v == null) {
            v = volatiles = new Entry[MIN_CAPACITY];
        } else if (volatileCount == v.length) {
            v = volatiles = Arrays.copyOf(v, v.length << 1);
        }
        e.volatileSlot = volatileCount;
        v[volatileCount++] = e;
    }

    private void removeVolatile(Entry e) {
        Entry[] v = volatiles;
        int slot = e.volatileSlot;
        Entry last = v[--volatileCount];
        v[slot] = last;
        last.volatileSlot = slot;
        v[volatileCount] = null;
        e.volatileSlot = -1;
        if (v.length > 64 && volatileCount < v.length / 4) {
            volatiles = Arrays.copyOf(v, v.length >> 1);
        }
    }

    private void resize(int capacity) {
        Entry[] old = table;
        Entry[] t = new Entry[capacity];
        int mask = capacity - 1;
        for (Entry head : old) {
            Entry e = head;
            while (e != null) {
                Entry next = e.next;
                int i = e.hash & mask;
                e.next = t[i];
                t[i] = e;
                e = next;
            }
        }
        table = t;
    }

    // ------------------------------------------------------------------ iteration and sampling

    /**
     * Visits every entry of the bucket at {@code cursor} (expired ones included) and returns the
     * next cursor of Redis' reverse-binary iteration, 0 when the segment has been covered.
     */
    public long scanBucket(long cursor, Consumer<Entry> visitor) {
        Entry[] t = table;
        if (t == null) {
            return 0;
        }
        long mask = t.length - 1;
        for (Entry e = t[(int) (cursor & mask)]; e != null; e = e.next) {
            visitor.accept(e);
        }
        long v = cursor | ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    /** Visits every entry; the visitor must not change this segment. */
    public void forEach(Consumer<Entry> visitor) {
        Entry[] t = table;
        if (t == null) {
            return;
        }
        for (Entry head : t) {
            for (Entry e = head; e != null; e = e.next) {
                visitor.accept(e);
            }
        }
    }

    /** A random entry (expired ones included), or null when empty. */
    public Entry randomEntry(RandomGenerator rnd) {
        Entry[] t = table;
        if (count == 0 || t == null) {
            return null;
        }
        int mask = t.length - 1;
        Entry head;
        do {
            head = t[rnd.nextInt() & mask];
        } while (head == null);
        int len = 0;
        for (Entry e = head; e != null; e = e.next) {
            len++;
        }
        Entry e = head;
        for (int i = rnd.nextInt(len); i > 0; i--) {
            e = e.next;
        }
        return e;
    }

    /**
     * Up to {@code n} entries (keys with a TTL only, when {@code volatileOnly}) from a random place
     * on, walking consecutive buckets as Redis' dictGetSomeKeys does: neighbouring slots share
     * cache lines, so a sample costs fewer memory misses than as many random picks. Returns how
     * many were written to the start of {@code out}.
     */
    public int sample(RandomGenerator rnd, Entry[] out, int n, boolean volatileOnly) {
        if (volatileOnly) {
            int vc = volatileCount;
            if (vc == 0) {
                return 0;
            }
            int take = Math.min(n, vc);
            int start = rnd.nextInt(vc);
            for (int i = 0; i < take; i++) {
                out[i] = volatiles[(start + i) % vc];
            }
            return take;
        }
        Entry[] t = table;
        if (count == 0 || t == null) {
            return 0;
        }
        int mask = t.length - 1;
        int b = rnd.nextInt() & mask;
        int got = 0;
        for (int visited = 0; visited <= mask && got < n; visited++, b = (b + 1) & mask) {
            for (Entry e = t[b]; e != null && got < n; e = e.next) {
                out[got++] = e;
            }
        }
        return got;
    }

    /** A random entry among those with a TTL, or null when there is none. */
    public Entry randomVolatile(RandomGenerator rnd) {
        return volatileCount == 0 ? null : volatiles[rnd.nextInt(volatileCount)];
    }

    /** The entry at position {@code i} (0 ≤ i &lt; volatileSize) of the keys with a TTL. */
    public Entry volatileAt(int i) {
        return volatiles[i];
    }

    // ------------------------------------------------------------------ snapshots

    /** Copies every entry, detached from later changes. */
    Entry[] copyEntries() {
        Entry[] out = new Entry[count];
        Entry[] t = table;
        if (t == null) {
            return out;
        }
        int n = 0;
        for (Entry head : t) {
            for (Entry e = head; e != null; e = e.next) {
                out[n++] = e.copyForSnapshot();
            }
        }
        return out;
    }

    /** Unlocks: a segment locked in a try-with-resources is released when the block ends. */
    @Override
    public void close() {
        unlock();
    }
}
