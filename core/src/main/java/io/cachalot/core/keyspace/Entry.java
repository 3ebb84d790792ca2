package io.cachalot.core.keyspace;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.MemorySize;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.types.InPlaceString;
import io.cachalot.core.util.Bytes;

import java.util.Arrays;

/**
 * One key with its value and metadata: a single object per key, chained in its segment's
 * hash table. Fields are read by commands while they hold the segment's lock; every change goes
 * through {@link Segment} so that memory accounting, expiry bookkeeping and snapshots see it.
 *
 * <p>The object is 40 bytes (12 of header, 28 of fields): at millions of keys each field is paid
 * millions of times, in the heap and in the collector's copying. So the type, the encoding and
 * two flags share an int with 23 bits of the key's hash (which the table's chains compare before
 * the key bytes and its resize reuses), the keys with a TTL are kept in a set of the segment's
 * rather than by a slot index here, and the decoded object a JCache cache may keep beside a value
 * lives in the {@link MemoEntry} variant only its caches create. A by-reference JCache cache's
 * entries are the {@link ReferenceKeyEntry} variant. A small string value is kept in one array
 * with its key ({@link Packed}): two objects per key instead of three.
 */
public class Entry {
    /** {@link #expireAt()} of a key without a time to live. */
    public static final long NO_EXPIRY = -1L;

    static final int TYPE_BITS = 3;
    static final int ENCODING_SHIFT = TYPE_BITS;
    static final int ENCODING_BITS = 4;
    private static final int TYPE_MASK = (1 << TYPE_BITS) - 1;
    private static final int ENCODING_MASK = ((1 << ENCODING_BITS) - 1) << ENCODING_SHIFT;
    /** Whether Redis would share this value's object: small integers 0..9999 (OBJECT REFCOUNT). */
    static final int SHARED_INTEGER = 1 << (ENCODING_SHIFT + ENCODING_BITS);
    /** Whether the segment's list of values with expiring elements holds this entry. */
    static final int SUB_EXPIRY_TRACKED = SHARED_INTEGER << 1;
    /** The low bits of {@link #bits} that hold metadata; the others hold hash bits. */
    static final int META_BITS = TYPE_BITS + ENCODING_BITS + 2;
    static final int META_MASK = (1 << META_BITS) - 1;
    /** How many hash bits are kept: a table of up to 2^HASH_BITS buckets finds an entry's bucket without hashing its key. */
    static final int HASH_BITS = 32 - META_BITS;

    static {
        if (ValueType.values().length > 1 << TYPE_BITS || Encoding.values().length > 1 << ENCODING_BITS) {
            throw new AssertionError("Entry's metadata bits cannot hold every type and encoding");
        }
    }

    /**
     * {@link #value} of an entry whose string value is packed with its key: {@link #key} then
     * holds the key's bytes followed by the value's, one array instead of two, and this says
     * where the key ends (one shared object per key length). At millions of small strings that
     * is an array header and its padding fewer per key (16-24 bytes) and one object fewer for
     * the collector to copy; {@link Segment} decides which values are packed.
     */
    static final class Packed {
        final int keyLength;

        private Packed(int keyLength) {
            this.keyLength = keyLength;
        }

        @Override
        public String toString() {
            return "packed after a key of " + keyLength;
        }
    }

    /** The longest key a packed entry holds (one {@link Packed} per length). */
    static final int MAX_PACKED_KEY = 255;
    private static final Packed[] PACKED = new Packed[MAX_PACKED_KEY + 1];

    static {
        for (int i = 0; i < PACKED.length; i++) {
            PACKED[i] = new Packed(i);
        }
    }

    /** The key's bytes or, when {@link #value} is a {@link Packed}, the key's and the value's. */
    byte[] key;
    /**
     * The low {@link #HASH_BITS} bits of the key's hash above {@link #META_BITS} bits of metadata:
     * type, encoding, {@link #SHARED_INTEGER}, {@link #SUB_EXPIRY_TRACKED}. One int, so that a
     * reader without the lock sees type and encoding change together.
     */
    int bits;
    Entry next;
    Object value;
    long expireAt = NO_EXPIRY;
    /** LRU clock (seconds, 24 bits) or, under an LFU policy, minutes(16 bits) << 8 | counter. */
    int lru;

    Entry(byte[] key, int hash, Object value, byte type, byte encoding) {
        this.key = key;
        this.bits = hash << META_BITS | type | encoding << ENCODING_SHIFT;
        this.value = value;
    }

    /** {@code hash}'s bits as {@link #bits} keeps them, to compare with {@link #hashTag()}. */
    static int tagOf(int hash) {
        return hash << META_BITS;
    }

    /** The kept hash bits, in place: equal to {@link #tagOf} of the key's hash. */
    int hashTag() {
        return bits & ~META_MASK;
    }

    /** The low {@link #HASH_BITS} bits of the key's hash. */
    int hashLow() {
        return bits >>> META_BITS;
    }

    byte typeCode() {
        return (byte) (bits & TYPE_MASK);
    }

    void setTypeAndEncoding(byte type, byte encoding) {
        bits = bits & ~(TYPE_MASK | ENCODING_MASK) | type | encoding << ENCODING_SHIFT;
    }

    void setEncodingCode(byte encoding) {
        bits = bits & ~ENCODING_MASK | encoding << ENCODING_SHIFT;
    }

    /**
     * The key bytes (shared: never modify). A packed entry's key is copied out: hot paths compare
     * it in place ({@link #keyEquals}).
     */
    public byte[] key() {
        byte[] k = key;
        Object v = value;
        if (!(v instanceof Packed)) {
            return k;
        }
        int n = ((Packed) v).keyLength;
        // an unlocked reader may see a new array with the old value: never throw, validation retries
        return n <= k.length ? Arrays.copyOf(k, n) : k;
    }

    /** Whether this entry's key is {@code k}. */
    boolean keyEquals(byte[] k) {
        byte[] a = key;
        Object v = value;
        if (!(v instanceof Packed)) {
            return Bytes.equals(a, k);
        }
        int n = k.length;
        return ((Packed) v).keyLength == n && a.length >= n && Arrays.equals(a, 0, n, k, 0, n);
    }

    /** Whether the string value is packed with the key ({@link Packed}). */
    boolean packed() {
        return value instanceof Packed;
    }

    /** Under the lock: whether this packed entry's value is {@code v}. */
    boolean packedValueEquals(byte[] v) {
        byte[] a = key;
        int off = ((Packed) value).keyLength;
        return a.length - off == v.length && Arrays.equals(a, off, a.length, v, 0, v.length);
    }

    /** Under the lock: the key's length. */
    int keyLength() {
        Object v = value;
        return v instanceof Packed ? ((Packed) v).keyLength : key.length;
    }

    /** The {@link #value} of an entry whose {@link #key} is a key of {@code keyLength} bytes and a value. */
    static Object packedMarker(int keyLength) {
        return PACKED[keyLength];
    }

    /** Under the lock: one array of this entry's key and {@code v}, without copying the key out first. */
    byte[] packWith(byte[] v) {
        return pack(key, keyLength(), v);
    }

    /** One array of the first {@code keyLength} bytes of {@code key} and {@code value}: a packed entry's {@link #key}. */
    static byte[] pack(byte[] key, int keyLength, byte[] value) {
        byte[] kv = Arrays.copyOf(key, keyLength + value.length);
        System.arraycopy(value, 0, kv, keyLength, value.length);
        return kv;
    }

    /** The key's hash ({@link Bytes#hash}), computed again: the entry keeps only some of its bits. */
    public int hash() {
        byte[] k = key;
        Object v = value;
        return v instanceof Packed ? Bytes.hash(k, 0, Math.min(((Packed) v).keyLength, k.length)) : Bytes.hash(k);
    }

    /**
     * The value: for strings a {@code byte[]} (never modified in place; a packed one is copied
     * out, see {@link #stringArray}) or, once bit commands changed it, an {@link InPlaceString};
     * a type object otherwise.
     */
    public Object value() {
        Object v = value;
        if (!(v instanceof Packed)) {
            return v;
        }
        byte[] k = key;
        int off = ((Packed) v).keyLength;
        return off <= k.length ? Arrays.copyOfRange(k, off, k.length) : k;
    }

    /**
     * Under the lock, the array that holds a string entry's value from {@link #stringOffset} to
     * its end, without a copy: the value itself, the packed key and value, or a copy of an
     * {@link InPlaceString}.
     */
    public byte[] stringArray() {
        Object v = value;
        return v instanceof Packed ? key : v instanceof byte[] ? (byte[]) v : ((InPlaceString) v).toBytes();
    }

    /** Where the value starts in {@link #stringArray}: 0 unless packed. */
    public int stringOffset() {
        Object v = value;
        return v instanceof Packed ? ((Packed) v).keyLength : 0;
    }

    public ValueType type() {
        return ValueType.of(typeCode());
    }

    public boolean isType(ValueType t) {
        return typeCode() == t.code();
    }

    public Encoding encoding() {
        return Encoding.of((byte) ((bits & ENCODING_MASK) >>> ENCODING_SHIFT));
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
        return (bits & SHARED_INTEGER) != 0;
    }

    /** Metadata only: set when an integer value is stored the way Redis shares it. */
    public void setSharedInteger(boolean shared) {
        bits = shared ? bits | SHARED_INTEGER : bits & ~SHARED_INTEGER;
    }

    boolean subExpiryTracked() {
        return (bits & SUB_EXPIRY_TRACKED) != 0;
    }

    void setSubExpiryTracked(boolean tracked) {
        bits = tracked ? bits | SUB_EXPIRY_TRACKED : bits & ~SUB_EXPIRY_TRACKED;
    }

    /**
     * The object decoded from the current value by {@link Segment#memoize}, or null (always, but
     * for a {@link MemoEntry}). Read without the lock, it is consistent with {@link #value()}
     * under the same validation.
     */
    public Object memo() {
        return null;
    }

    /**
     * The string value of a string entry: the stored array, or a copy of a string that bit
     * commands change in place ({@link InPlaceString}), which must not leave the lock.
     */
    public byte[] bytes() {
        Object v = value;
        return v instanceof byte[] ? (byte[]) v : v instanceof Packed ? (byte[]) value() : ((InPlaceString) v).toBytes();
    }

    /**
     * Estimated heap bytes held by this entry: the object, its key, its value (and memo), its
     * table slot.
     */
    public long memoryUsage() {
        Object v = value;
        return MemorySize.ENTRY + MemorySize.array(key.length) + (v instanceof Packed ? 0 : MemorySize.value(v));
    }

    /** A detached copy of the entry's state, for point-in-time snapshots (never looked up, so without the key object). */
    Entry copyForSnapshot() {
        // a string changed in place becomes a plain array there: persistence sees only those
        Object v = value instanceof InPlaceString ? ((InPlaceString) value).toBytes()
                : value instanceof MutableValue ? ((MutableValue) value).copy() : value;
        Entry c = new Entry(key, 0, v, (byte) 0, (byte) 0);
        c.bits = bits & ~SUB_EXPIRY_TRACKED;
        c.expireAt = expireAt;
        c.lru = lru;
        return c;
    }
}
