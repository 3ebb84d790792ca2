package io.cachalot.provider.store;

import io.cachalot.core.keyspace.Database;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.KeyGroup;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.DecimalKey;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link CacheStore} on the engine running in this JVM: each cache entry is one engine key,
 * {@code prefix + key}, in one database. Byte values are ordinary strings that {@code redis-cli}
 * can read; referenced objects are {@link ValueType#OBJECT} values. The cache's keys form a
 * {@link KeyGroup}, so size, iteration and clear cost in proportion to the cache.
 */
public final class EmbeddedCacheStore implements CacheStore {
    /**
     * Entries sampled per eviction (with the candidates pooled from earlier ones). More than
     * Redis' default 5: a cache bound is often small, where 5 samples may all be hot entries.
     */
    private static final int SAMPLES = 16;

    private final Keyspace keyspace;
    private final Database db;
    private final byte[] prefix;
    private final KeyGroup group;
    private final long maxEntries;
    private final long maxMemory;
    private final boolean lfu;
    /** Values are Java objects held by reference (ValueType.OBJECT), not encoded bytes (strings). */
    private final boolean references;
    private final ValueType valueType;
    /** Whether decoded values offered by {@link #memoize} are kept (a store of encoded values only). */
    private final boolean memoizes;
    /**
     * The keyspace's id for this store's prefix when it keeps key objects, else 0. A store of
     * references keeps the application's Long and Integer keys with their entries, as by-reference
     * maps hold their callers' keys (a Long costs 24 bytes per entry when the application would
     * not keep it anyway), and matches them by identity before comparing bytes: a look-up with the
     * instance that was put then reads neither the key bytes nor the digits. A store of encoded
     * values keeps no application object for its keys.
     */
    private final byte keyOwner;
    private volatile EvictionListener evictionListener;
    /** The engine's maxmemory enforcement, applied after writes too (null: only the cache's own bounds). */
    private volatile io.cachalot.core.evict.Evictor engineEvictor;

    /**
     * @param maxEntries the bound on entries (0: none); past it, writes evict with sampled LRU or LFU
     * @param maxMemory  the bound on the entries' estimated memory in bytes (0: none), enforced the same way
     * @param memoize    whether to keep the decoded values offered by {@link #memoize} (ignored by reference)
     */
    public EmbeddedCacheStore(Keyspace keyspace, int database, byte[] prefix, long maxEntries, long maxMemory,
                              boolean lfu, boolean references, boolean memoize) {
        this.maxMemory = maxMemory;
        this.references = references;
        this.memoizes = memoize && !references;
        this.valueType = references ? ValueType.OBJECT : ValueType.STRING;
        this.keyspace = keyspace;
        this.db = keyspace.db(database);
        this.prefix = prefix.clone();
        this.group = db.openGroup(this.prefix);
        this.keyOwner = references ? keyspace.keyOwner(this.prefix) : 0;
        this.maxEntries = maxEntries;
        this.lfu = lfu;
    }

    /**
     * Makes the engine's maxmemory apply to this cache's writes: after a write that leaves the
     * engine over its limit, keys are evicted by the engine's maxmemory-policy (keys of any cache
     * or RESP client alike, as a RESP write would). Under noeviction nothing is evicted and the
     * write stands: JCache and Spring have no way to refuse a put for lack of memory.
     */
    public void enforceEngineLimit(io.cachalot.core.evict.Evictor evictor) {
        this.engineEvictor = evictor;
    }

    @Override
    public byte[] keyPrefix() {
        return prefix.clone();
    }

    /** A look-up without the segment's lock, validated by the segment's version (see Segment). */
    @Override
    public Object peek(byte[] key) {
        int h = Bytes.hash(key);
        Segment s = db.segment(h);
        int v = s.readVersion();
        return live(s, v, s.findUnlocked(key, h));
    }

    @Override
    public Object peek(DecimalKey key, long n, Object keyObject) {
        int h = key.hash(n);
        Segment s = db.segment(h);
        int v = s.readVersion();
        return live(s, v, s.findUnlocked(key, n, h, keyObject, keyOwner));
    }

    /** The value of {@code e}, found unlocked in {@code s} at version {@code v}, if it still holds and lives. */
    private Object live(Segment s, int v, Entry e) {
        if (e == null) {
            return null;
        }
        Object value = e.value();
        if (value instanceof io.cachalot.core.types.InPlaceString) {
            // a server client's bit command changed it in place: a copy, good if the version holds
            value = ((io.cachalot.core.types.InPlaceString) value).toBytes();
        }
        Object memo = references ? null : e.memo();
        long expireAt = e.expireAt();
        boolean ours = e.isType(valueType);
        if (!s.validate(v) || !ours) {
            return null;
        }
        if (expireAt != Entry.NO_EXPIRY && expireAt <= System.currentTimeMillis()) {
            return null;
        }
        keyspace.touchCached(e, lfu); // advisory metadata, racy by design
        keyspace.countLookup(true);
        return memo != null ? memo : value;
    }

    @Override
    public boolean memoizes() {
        return memoizes;
    }

    /** Kept in the engine's entry ({@link Segment#memoize}), counted in its memory, dropped when the value changes. */
    @Override
    public boolean memoize(byte[] key, byte[] value, Object decoded) {
        if (!keeps(decoded)) {
            return false;
        }
        int h = Bytes.hash(key);
        return db.segment(h).memoize(key, h, value, decoded);
    }

    /** Whether this store keeps {@code decoded} as a memo: never an array, which a reader could change. */
    private boolean keeps(Object decoded) {
        return memoizes && !(decoded instanceof byte[]);
    }

    @Override
    public <R> R compute(byte[] key, EntryOperation<R> op) {
        return run(new View(key, null, 0, Bytes.hash(key)), op);
    }

    /**
     * Finds the entry by the number's digits, or by its key object
     * ({@link Segment#find(DecimalKey, long, int, Object, byte)}): no key array unless inserted.
     */
    @Override
    public <R> R compute(DecimalKey key, long n, Object keyObject, EntryOperation<R> op) {
        View view = new View(null, key, n, key.hash(n));
        view.keyObject = keyObject; // kept by an entry it creates only when this store has an owner id
        return run(view, op);
    }

    private <R> R run(View view, EntryOperation<R> op) {
        Segment s = db.lock(view.hash);
        R r;
        try {
            view.open(s);
            r = op.apply(view);
        } finally {
            s.unlock();
        }
        if (view.changes != 0) {
            // the keyspace's write path: counted as Redis counts changes, and WATCH sees them
            keyspace.writeDone(view.changes);
        }
        if (view.wrote) {
            if (overBound()) {
                evictToBound(view.entry);
            }
            io.cachalot.core.evict.Evictor ev = engineEvictor;
            if (ev != null && ev.overLimit()) {
                ev.performEvictions(System.currentTimeMillis());
            }
        }
        return r;
    }

    private boolean overBound() {
        return (maxEntries > 0 && group.size() > maxEntries) || (maxMemory > 0 && group.memoryUsage() > maxMemory);
    }

    /** Evicts down to the cache's bound, never the entry just written ({@code keep}, may be null). */
    private void evictToBound(Entry keep) {
        long n = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long now = System.currentTimeMillis();
        for (int attempts = 0; overBound() && attempts < 1024; attempts++) {
            if (group.evictOne(SAMPLES, lfu, rnd, now, keep) != null) {
                n++;
            }
        }
        EvictionListener l = evictionListener;
        if (n > 0 && l != null) {
            l.evicted(n);
        }
    }

    /** The entry view of one operation (the segment's lock is held while it is used). */
    private final class View implements StoreEntry {
        /** The key as an array: given, or written out from {@link #decimal} when first needed. */
        private byte[] key;
        /** The key's form and number when the caller gave it so (key null until needed). */
        private final DecimalKey decimal;
        private final long number;
        final int hash;
        Segment segment;
        Entry entry;
        Object expired;
        boolean expiredBytes;
        long now;
        boolean wrote;
        /** Changes made through this view, counted as Redis' server.dirty when the operation ends. */
        int changes;
        /** The application's key object, if given: kept with an entry this view creates when the store keeps them. */
        Object keyObject;

        View(byte[] key, DecimalKey decimal, long number, int hash) {
            this.key = key;
            this.decimal = decimal;
            this.number = number;
            this.hash = hash;
        }

        private byte[] key() {
            byte[] k = key;
            if (k == null) {
                k = key = decimal.toBytes(number);
            }
            return k;
        }

        void open(Segment s) {
            segment = s;
            Entry e = key != null ? s.find(key, hash) : s.find(decimal, number, hash, keyObject, keyOwner);
            if (e != null && !e.isType(ValueType.STRING) && !e.isType(ValueType.OBJECT)) {
                // another client made it a list, hash...: not a cache entry, and not ours to drop
                throw new javax.cache.CacheException("key " + new String(key(), java.nio.charset.StandardCharsets.UTF_8)
                        + " holds a " + e.type().typeName() + ", not a cache entry");
            }
            if (e != null && e.hasExpiry() && e.isExpired(now())) {
                expired = e.value();
                expiredBytes = e.isType(ValueType.STRING);
                s.expire(e, false);
                e = null;
            }
            entry = e;
        }

        @Override
        public boolean exists() {
            return entry != null;
        }

        @Override
        public Object value() {
            return entry == null ? null : entry.value();
        }

        @Override
        public boolean valueIsBytes() {
            return entry != null && entry.isType(ValueType.STRING);
        }

        @Override
        public Object memo() {
            return entry == null ? null : entry.memo();
        }

        @Override
        public void memoize(Object decoded) {
            if (keeps(decoded) && entry != null && entry.isType(ValueType.STRING)) {
                segment.memoize(entry, decoded);
            }
        }

        @Override
        public boolean expiredIsBytes() {
            return expiredBytes;
        }

        @Override
        public long expireAt() {
            return entry == null ? ETERNAL : entry.expireAt();
        }

        @Override
        public Object expiredValue() {
            return expired;
        }

        /** Read once, and only when needed: most reads of entries without a TTL never ask. */
        @Override
        public long now() {
            long n = now;
            if (n == 0) {
                n = now = System.currentTimeMillis();
            }
            return n;
        }

        @Override
        public void set(Object value, long expireAt) {
            ValueType type = valueType;
            Encoding enc = Encoding.RAW;
            // value and expiry as one change (one AOF record)
            if (entry == null) {
                entry = segment.insert(key(), hash, value, type, enc, keyObject, keyOwner, expireAt, memoizes);
                entry.setLru(keyspace.accessClockForNewKey(lfu));
            } else {
                segment.setValue(entry, value, type, enc, expireAt);
            }
            wrote = true;
            changes++;
        }

        @Override
        public void setExpireAt(long expireAt) {
            if (entry != null) {
                segment.setExpireAt(entry, expireAt);
                changes++;
            }
        }

        @Override
        public void remove() {
            if (entry != null) {
                segment.remove(entry);
                entry = null;
                changes++;
            }
        }

        @Override
        public void countLookup() {
            keyspace.countLookup(entry != null);
        }

        @Override
        public void touch() {
            if (entry != null) {
                keyspace.touch(entry, now(), lfu);
            }
        }
    }

    @Override
    public long size() {
        return group.size();
    }

    /** Estimated memory of the cache's entries, in bytes. */
    public long memoryUsage() {
        return group.memoryUsage();
    }

    @Override
    public Iterator<byte[]> keys() {
        return new Iterator<>() {
            int segment;
            final ArrayDeque<byte[]> batch = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (batch.isEmpty() && segment < db.segmentCount()) {
                    List<byte[]> keys = group.keysInSegment(segment++);
                    batch.addAll(keys);
                }
                return !batch.isEmpty();
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.poll();
            }
        };
    }

    @Override
    public long clear() {
        return group.clear();
    }

    @Override
    public boolean supportsReferences() {
        return references;
    }

    @Override
    public void setExpiryListener(ExpiryListener listener) {
        group.setExpiryListener(listener == null ? null
                : (k, v, type) -> listener.expired(k, v, type == ValueType.STRING));
    }

    @Override
    public void setEvictionListener(EvictionListener listener) {
        this.evictionListener = listener;
    }

    @Override
    public void close() {
        group.setExpiryListener(null);
        db.closeGroup(group);
    }
}
