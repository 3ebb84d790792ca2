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
 * One lock stripe of a {@link Database}: a chained hash table of {@link Entry} objects, the set
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
    /** The largest string value kept packed with its key ({@link #packs}). */
    static final int MAX_PACKED_VALUE = 512;

    final Database db;
    final int index;
    /** Position in the keyspace-wide lock order: (database index, segment index). */
    final int order;

    private Entry[] table;
    private int count;
    /** The entries with a TTL; null when none. */
    private EntrySet volatiles;
    /**
     * Entries whose value has elements with their own expiry (hash fields). Entries deleted or
     * whose value changed stay until {@link #expireSubElements} next passes and drops them.
     */
    private Entry[] subExpiring;
    private int subExpiringCount;
    /** Watched keys of this segment; null when none. */
    private SegmentWatches watches;
    private long memory;
    /** Membership of the database's {@link KeyGroup}s in this segment; null until a group exists. */
    private SegmentGroups groups;
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
        EntrySet v = volatiles;
        return v == null ? 0 : v.size();
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
        int tag = Entry.tagOf(hash);
        for (Entry e = t[hash & (t.length - 1)]; e != null; e = e.next) {
            if (e.hashTag() == tag && e.keyEquals(key)) {
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
        int tag = Entry.tagOf(hash);
        for (Entry e = t[hash & (t.length - 1)]; e != null; e = e.next) {
            if (e.hashTag() == tag && (ownedBy(e, keyObject, keyOwner) || key.matches(e.key(), n))) {
                return e;
            }
        }
        return null;
    }

    /** Whether {@code e} keeps {@code keyObject} for {@code keyOwner}, an owner (0: none, nothing matches). */
    private static boolean ownedBy(Entry e, Object keyObject, byte keyOwner) {
        return keyOwner != 0 && ReferenceKeyEntry.owns(e, keyObject, keyOwner);
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
        changed(e, ChangeKind.EXPIRED, notifyGroups);
    }

    /**
     * Deletes an entry chosen by an eviction policy (maxmemory or a cache's bound), and counts it.
     * A client watching the key sees the change at once, as Redis' eviction signals it.
     */
    public void evict(Entry e) {
        removeEntry(e);
        db.keyspace.stats.evictedKeys.increment();
        changed(e, ChangeKind.EVICTED, false);
    }

    /**
     * The change point: every mutation of a key in this segment ends here, under the lock and in
     * the order applied. WATCH and the key groups' expiry listeners are fed directly (they keep
     * per-segment state); everything else subscribes to the keyspace's {@link ChangeStream}.
     */
    private void changed(Entry e, ChangeKind kind, boolean notifyGroups) {
        SegmentWatches w = watches;
        if (w != null) {
            w.touch(e.key(), kind.byEngine());
        }
        if (notifyGroups && groups != null) {
            SegmentGroups.expired(e, db.groups);
        }
        db.keyspace.changes.keyChanged(db, e, kind);
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
        return insert(key, hash, value, type, encoding, keyObject, keyOwner, Entry.NO_EXPIRY, false);
    }

    /**
     * {@link #insert(byte[], int, Object, ValueType, Encoding, Object, byte)} with its expiry time
     * ({@link Entry#NO_EXPIRY}: none), as one change: a cache's put with an expiry policy is one
     * write for WATCH, the key groups and the change stream (one AOF record, not two). With
     * {@code memos}, the entry can keep a decoded value ({@link #memoize}); without a key object.
     */
    public Entry insert(byte[] key, int hash, Object value, ValueType type, Encoding encoding, Object keyObject,
                        byte keyOwner, long expireAt, boolean memos) {
        beginWrite();
        try {
            return insertLocked(key, hash, value, type, encoding, keyObject, keyOwner, expireAt, memos);
        } finally {
            endWrite();
        }
    }

    private Entry insertLocked(byte[] key, int hash, Object value, ValueType type, Encoding encoding,
                               Object keyObject, byte keyOwner, long expireAt, boolean memos) {
        if (db.keyspace.expiryPaused()) {
            Entry stale = find(key, hash);
            if (stale != null) {
                remove(stale);
            }
        }
        beforeWrite();
        // a key object only with an owner, and an owner only with one: either alone would match nothing
        Entry e = keyObject != null && keyOwner != 0
                ? new ReferenceKeyEntry(key, hash, value, type.code(), encoding.code(), keyObject, keyOwner)
                : memos ? new MemoEntry(key, hash, value, type.code(), encoding.code())
                : packs(key.length, value, type)
                        ? new Entry(Entry.pack(key, key.length, (byte[]) value), hash, Entry.packedMarker(key.length),
                                type.code(), encoding.code())
                : new Entry(key, hash, value, type.code(), encoding.code());
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
            groups().add(e, db.groups);
        }
        if (expireAt != Entry.NO_EXPIRY) {
            e.expireAt = expireAt;
            addVolatile(e);
        }
        changed(e, ChangeKind.CREATED, false);
        return e;
    }

    /**
     * Whether a value is stored packed with its key ({@link Entry.Packed}): a string of at most
     * {@link #MAX_PACKED_VALUE} bytes, a key of at most {@link Entry#MAX_PACKED_KEY}, in a
     * keyspace that packs (not the JCache provider's, whose reads keep the stored value array).
     * Larger values gain little from it and would be copied once more on every write.
     */
    private boolean packs(int keyLength, Object value, ValueType type) {
        return type == ValueType.STRING && value instanceof byte[] && ((byte[]) value).length <= MAX_PACKED_VALUE
                && keyLength <= Entry.MAX_PACKED_KEY && db.keyspace.packsStrings();
    }

    /**
     * Stores {@code value} under a key whose live entry is {@code existing} (or null), with Redis'
     * setKey semantics: the value replaces any old one of any type, and the time to live is
     * cleared unless {@code keepTtl}. The one way a whole value is stored (commands and the
     * embedded client).
     */
    public Entry store(byte[] key, int hash, Entry existing, Object value, ValueType type, Encoding encoding,
                       boolean keepTtl) {
        if (existing == null) {
            return insert(key, hash, value, type, encoding);
        }
        setValue(existing, value, type, encoding);
        if (!keepTtl && existing.expireAt != Entry.NO_EXPIRY) {
            setExpireAt(existing, Entry.NO_EXPIRY);
        }
        return existing;
    }

    public void remove(Entry e) {
        changed(e, ChangeKind.DELETED, false);
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
        int i = bucketOf(e, t.length - 1);
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
        if (e.expireAt != Entry.NO_EXPIRY) {
            removeVolatile(e);
        }
        count--;
        long m = e.memoryUsage();
        memory -= m;
        db.keyspace.memory.add(-m);
        if (groups != null) {
            groups.remove(e);
        }
        if (t.length > MIN_CAPACITY && count < t.length / 10) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(count, 1)) << 1));
        }
    }

    /** Replaces the value of an entry, possibly with a value of another type. */
    public void setValue(Entry e, Object value, ValueType type, Encoding encoding) {
        setValue(e, value, type, encoding, false, 0);
    }

    /**
     * {@link #setValue(Entry, Object, ValueType, Encoding)} and the expiry time ({@link
     * Entry#NO_EXPIRY}: none) as one change, as {@link #insert(byte[], int, Object, ValueType,
     * Encoding, Object, byte, long)}.
     */
    public void setValue(Entry e, Object value, ValueType type, Encoding encoding, long expireAt) {
        setValue(e, value, type, encoding, true, expireAt);
    }

    private void setValue(Entry e, Object value, ValueType type, Encoding encoding, boolean withExpiry, long expireAt) {
        beforeWrite();
        beginWrite();
        Object old = e.value;
        if (old != value && e.typeCode() == type.code() && value instanceof byte[]
                && (old instanceof byte[] ? Arrays.equals((byte[]) old, (byte[]) value)
                        : old instanceof Entry.Packed && e.packedValueEquals((byte[]) value))) {
            // Equal bytes (a cache re-putting its value, SET of the same text): keep the stored
            // array, and with it the memo decoded from it. Storing the new one would only make
            // garbage of the old, promote the new, and make the GC scan this entry's card.
            value = old;
        }
        long delta = 0;
        if (old != value) {
            long before = e.memoryUsage();
            int keyLength = e.keyLength();
            if (e.getClass() == Entry.class && packs(keyLength, value, type)) {
                e.key = e.packWith((byte[]) value);
                e.value = Entry.packedMarker(keyLength);
            } else {
                if (old instanceof Entry.Packed) {
                    e.key = e.key();
                }
                e.value = value;
            }
            delta = e.memoryUsage() - before;
            if (e instanceof MemoEntry && ((MemoEntry) e).memo != null) {
                // memoryUsage counted the memo before and after: it goes with the old value
                delta -= MemorySize.memo(((MemoEntry) e).memo);
                ((MemoEntry) e).memo = null;
            }
            memory += delta;
            db.keyspace.memory.add(delta);
        }
        e.setTypeAndEncoding(type.code(), encoding.code());
        long oldExpireAt = e.expireAt;
        boolean expiryChanged = withExpiry && oldExpireAt != expireAt;
        if (expiryChanged) {
            e.expireAt = expireAt;
        }
        endWrite();
        if (groups != null && delta != 0) {
            groups.resize(e, delta);
        }
        trackIfSubExpiring(e, value);
        if (expiryChanged) {
            expiryChanged(e, oldExpireAt, expireAt);
        }
        changed(e, ChangeKind.WRITTEN, false);
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
        if (!(e instanceof MemoEntry) || e.value != value || ((MemoEntry) e).memo != null) {
            return false;
        }
        ((MemoEntry) e).memo = memo;
        long m = MemorySize.memo(memo);
        memory += m;
        db.keyspace.memory.add(m);
        if (groups != null) {
            groups.resize(e, m);
        }
        return true;
    }

    /**
     * Call before changing a mutable value in place; returns its size so that
     * {@link #afterMutation} can account for the difference.
     */
    public long beforeMutation(Entry e) {
        beforeWrite();
        changed(e, ChangeKind.WRITTEN, false);
        return MemorySize.value(e.value);
    }

    /**
     * {@link #beforeMutation} of a change Redis does not signal (a stream's consumer-group
     * bookkeeping: XREADGROUP, XACK, XCLAIM, XGROUP): no WATCH touch, no tracking invalidation,
     * no change-stream event; a pending snapshot still captures the entry first.
     */
    public long beforeUnsignalledMutation(Entry e) {
        beforeWrite();
        return MemorySize.value(e.value);
    }

    public void afterMutation(Entry e, long sizeBefore) {
        long delta = MemorySize.value(e.value) - sizeBefore;
        memory += delta;
        db.keyspace.memory.add(delta);
        if (groups != null && delta != 0) {
            groups.resize(e, delta);
        }
    }

    public void setEncoding(Entry e, Encoding encoding) {
        beforeWrite();
        e.setEncodingCode(encoding.code());
    }

    /** Sets or clears ({@link Entry#NO_EXPIRY}) the absolute expiry time in Unix milliseconds. */
    public void setExpireAt(Entry e, long at) {
        beforeWrite();
        beginWrite();
        long old = e.expireAt;
        e.expireAt = at;
        endWrite();
        changed(e, ChangeKind.WRITTEN, false);
        expiryChanged(e, old, at);
    }

    /** Keeps the set of entries with a TTL in step with a change of {@code e}'s expiry time. */
    private void expiryChanged(Entry e, long old, long at) {
        if (at == Entry.NO_EXPIRY) {
            if (old != Entry.NO_EXPIRY) {
                removeVolatile(e);
            }
        } else if (old == Entry.NO_EXPIRY) {
            addVolatile(e);
        }
    }

    /** Removes every key. */
    public void clear() {
        beforeWrite();
        if (watches != null) {
            watches.touchAllThatExist(null);
        }
        beginWrite();
        table = null;
        volatiles = null;
        subExpiring = null;
        count = 0;
        subExpiringCount = 0;
        db.keyspace.memory.add(-memory);
        memory = 0;
        endWrite();
        if (groups != null) {
            groups.clear();
        }
    }

    // ------------------------------------------------------------------ key groups

    private SegmentGroups groups() {
        SegmentGroups g = groups;
        if (g == null) {
            g = groups = new SegmentGroups(db);
        }
        return g;
    }

    /** Rebuilds the group membership from the table (a group was opened, or the contents were swapped). */
    void rebuildGroups() {
        if (groups != null) {
            groups.clear();
        }
        groups = null;
        KeyGroup[] gs = db.groups;
        if (gs.length == 0 || table == null) {
            return;
        }
        SegmentGroups g = groups();
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                g.add(e, gs);
            }
        }
    }

    /** Forgets a group being closed (its entries stay). */
    void dropGroup(KeyGroup g) {
        if (groups != null) {
            groups.drop(g);
        }
    }

    /** Entries of a group in this segment, now. */
    Entry[] groupEntries(KeyGroup g) {
        return groups == null ? new Entry[0] : groups.entries(g);
    }

    int groupSize(KeyGroup g) {
        return groups == null ? 0 : groups.size(g);
    }

    /** A random entry of a group in this segment, or null. */
    Entry groupRandom(KeyGroup g, RandomGenerator rnd) {
        return groups == null ? null : groups.random(g, rnd);
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
            boolean live = holds(e) && v instanceof MutableValue
                    && ((MutableValue) v).hasSubExpiry();
            if (live && ((MutableValue) v).nextSubExpiry() <= now) {
                changed(e, ChangeKind.ELEMENTS_EXPIRED, false);
                beforeWrite();
                long before = MemorySize.value(e.value);
                removed += ((MutableValue) v).expireSubElements(now);
                afterMutation(e, before);
                if (((MutableValue) v).isEmpty()) {
                    changed(e, ChangeKind.EMPTIED, false);
                    removeEntry(e);
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
        if (watches == null) {
            watches = new SegmentWatches(this);
        }
        watches.add(w);
        db.keyspace.watches.added();
    }

    /** Removes a watched key registered with {@link #watch}. */
    public void unwatch(WatchedKey w) {
        if (watches == null || !watches.remove(w)) {
            return;
        }
        db.keyspace.watches.removed();
        if (watches.isEmpty()) {
            watches = null;
        }
    }

    /** Exchanges the contents of two segments (SWAPDB); the caller holds both locks. */
    void swapContents(Segment o) {
        beforeWrite();
        o.beforeWrite();
        beginWrite();
        o.beginWrite();
        if (watches != null) {
            watches.touchAllThatExist(o);
        }
        if (o.watches != null) {
            o.watches.touchAllThatExist(this);
        }
        Entry[] t = table;
        table = o.table;
        o.table = t;
        int c = count;
        count = o.count;
        o.count = c;
        EntrySet v = volatiles;
        volatiles = o.volatiles;
        o.volatiles = v;
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
        int tag = Entry.tagOf(hash);
        for (Entry e = t[hash & (t.length - 1)]; e != null && steps < 64; e = e.next, steps++) {
            if (e.hashTag() == tag && e.keyEquals(key)) {
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
        int tag = Entry.tagOf(hash);
        for (Entry e = t[hash & (t.length - 1)]; e != null && steps < 64; e = e.next, steps++) {
            if (e.hashTag() == tag && (ownedBy(e, keyObject, keyOwner) || key.matches(e.key(), n))) {
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
            s.captureForWriter(this);
        }
    }

    private void addVolatile(Entry e) {
        EntrySet v = volatiles;
        if (v == null) {
            v = volatiles = new EntrySet();
        }
        v.add(e);
    }

    private void removeVolatile(Entry e) {
        volatiles.remove(e);
    }

    /**
     * The bucket of {@code e} in a table of {@code mask + 1} buckets: from the hash bits the entry
     * keeps while they cover the mask, from its key's hash beyond that.
     */
    private static int bucketOf(Entry e, int mask) {
        return (mask >>> Entry.HASH_BITS) == 0 ? e.hashLow() & mask : e.hash() & mask;
    }

    /** Whether {@code e} is still in the table (by identity: it may have been deleted and its key stored again). */
    boolean holds(Entry e) {
        Entry[] t = table;
        if (t == null) {
            return false;
        }
        for (Entry x = t[bucketOf(e, t.length - 1)]; x != null; x = x.next) {
            if (x == e) {
                return true;
            }
        }
        return false;
    }

    private void resize(int capacity) {
        Entry[] old = table;
        Entry[] t = new Entry[capacity];
        int mask = capacity - 1;
        for (Entry head : old) {
            Entry e = head;
            while (e != null) {
                Entry next = e.next;
                int i = bucketOf(e, mask);
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
            EntrySet v = volatiles;
            return v == null || v.size() == 0 ? 0 : v.sample(rnd, out, n);
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
        EntrySet v = volatiles;
        return v == null || v.size() == 0 ? null : v.random(rnd);
    }

    /**
     * The number of slots of the set of keys with a TTL, which {@link #volatileSlot} walks; 0
     * when no key has one.
     */
    public int volatileSlots() {
        EntrySet v = volatiles;
        return v == null ? 0 : v.capacity();
    }

    /**
     * The entry with a TTL in slot {@code i} (0 ≤ i &lt; {@link #volatileSlots}), or null: the
     * set is between 1/8 and 3/4 full. Expiring an entry may move another into its slot.
     */
    public Entry volatileSlot(int i) {
        return volatiles.at(i);
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
