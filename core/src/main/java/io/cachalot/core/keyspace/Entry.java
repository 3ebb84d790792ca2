package io.cachalot.core.keyspace;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.MemorySize;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.types.InPlaceString;

/**
 * One key with its value and metadata: a single object per key, chained in its segment's
 * hash table. Fields are read by commands while they hold the segment's lock; every change goes
 * through {@link Segment} so that memory accounting, expiry bookkeeping and snapshots see it.
 * A by-reference JCache cache's entries are the {@link ReferenceKeyEntry} variant.
 */
public class Entry {
    /** {@link #expireAt()} of a key without a time to live. */
    public static final long NO_EXPIRY = -1L;

    final byte[] key;
    final int hash;
    Entry next;
    Object value;
    byte type;
    byte encoding;
    /** {@link #SHARED_INTEGER} and {@link #SUB_EXPIRY_TRACKED}: flags in one byte, so the entry stays 56 bytes. */
    byte flags;
    long expireAt = NO_EXPIRY;
    /** LRU clock (seconds, 24 bits) or, under an LFU policy, minutes(16 bits) << 8 | counter. */
    int lru;
    /** Index in the segment's array of keys with a TTL, -1 when the key has none. */
    int volatileSlot = -1;
    /**
     * For an embedding application (a JCache cache storing by value): an immutable object it
     * decoded from this string value (a String or a Long), kept so that reads need not decode
     * again; null when none. Set only by {@link Segment#memoize}, dropped by every change of the
     * value. Kept here rather than in a variant because any string entry may get one.
     */
    Object memo;

    /** Whether Redis would share this value's object: small integers 0..9999 (OBJECT REFCOUNT). */
    static final byte SHARED_INTEGER = 1;
    /** Whether the segment's list of values with expiring elements holds this entry. */
    static final byte SUB_EXPIRY_TRACKED = 2;

    Entry(byte[] key, int hash, Object value, byte type, byte encoding) {
        this.key = key;
        this.hash = hash;
        this.value = value;
        this.type = type;
        this.encoding = encoding;
    }

    /** The key bytes (shared: never modify). */
    public byte[] key() {
        return key;
    }

    public int hash() {
        return hash;
    }

    /**
     * The value: for strings a {@code byte[]} (never modified in place) or, once bit commands
     * changed it, an {@link InPlaceString}; a type object otherwise.
     */
    public Object value() {
        return value;
    }

    public ValueType type() {
        return ValueType.of(type);
    }

    public boolean isType(ValueType t) {
        return type == t.code();
    }

    public Encoding encoding() {
        return Encoding.of(encoding);
    }

    /** Absolute expiry time in Unix milliseconds, or {@link #NO_EXPIRY}. */
    public long expireAt() {
        return expireAt;
    }

    public boolean hasExpiry() {
        return expireAt != NO_EXPIRY;
    }

    public boolean isExpired(long now) {
        return expireAt != NO_EXPIRY && expireAt <= now;
    }

    public int lru() {
        return lru;
    }

    /** Access metadata is advisory: a racy write from a reader is acceptable. */
    public void setLru(int lru) {
        this.lru = lru;
    }

    public boolean sharedInteger() {
        return (flags & SHARED_INTEGER) != 0;
    }

    /** Metadata only: set when an integer value is stored the way Redis shares it. */
    public void setSharedInteger(boolean shared) {
        flags = (byte) (shared ? flags | SHARED_INTEGER : flags & ~SHARED_INTEGER);
    }

    boolean subExpiryTracked() {
        return (flags & SUB_EXPIRY_TRACKED) != 0;
    }

    void setSubExpiryTracked(boolean tracked) {
        flags = (byte) (tracked ? flags | SUB_EXPIRY_TRACKED : flags & ~SUB_EXPIRY_TRACKED);
    }

    /**
     * The object decoded from the current value by {@link Segment#memoize}, or null. Read without
     * the lock, it is consistent with {@link #value()} under the same validation.
     */
    public Object memo() {
        return memo;
    }

    /**
     * The string value of a string entry: the stored array, or a copy of a string that bit
     * commands change in place ({@link InPlaceString}), which must not leave the lock.
     */
    public byte[] bytes() {
        return value instanceof byte[] ? (byte[]) value : ((InPlaceString) value).toBytes();
    }

    /**
     * Estimated heap bytes held by this entry: the object, its key, its value (and memo), its
     * table slot.
     */
    public long memoryUsage() {
        long m = MemorySize.ENTRY + MemorySize.array(key.length) + MemorySize.value(value);
        return memo == null ? m : m + MemorySize.memo(memo);
    }

    /** A detached copy of the entry's state, for point-in-time snapshots (never looked up, so without the key object). */
    Entry copyForSnapshot() {
        // a string changed in place becomes a plain array there: persistence sees only those
        Object v = value instanceof InPlaceString ? ((InPlaceString) value).toBytes()
                : value instanceof MutableValue ? ((MutableValue) value).copy() : value;
        Entry c = new Entry(key, hash, v, type, encoding);
        c.expireAt = expireAt;
        c.lru = lru;
        c.flags = (byte) (flags & SHARED_INTEGER);
        return c;
    }
}
