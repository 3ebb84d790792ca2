package io.cachalot.core.types;

import io.cachalot.core.types.MemorySize;
import io.cachalot.core.util.Bytes;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The "hashtable" encoding of hashes, sets and sorted sets: open addressing with linear probing
 * over parallel arrays (keys, values, hashes, and optionally a long per entry), so an entry costs
 * no node object. Deletion shifts later entries back (no tombstones). Tables are powers of two,
 * grown at 3/4 full and shrunk under 1/8, rehashed at once.
 *
 * <p>SCAN visits home buckets in Redis' reverse-binary order: an entry sits in the run of occupied
 * slots that starts at its home bucket, so visiting a home bucket means walking that run; the
 * guarantee that an entry present for the whole scan is returned holds across resizes.
 */
public final class BytesMap {
    private static final int MIN_CAPACITY = 8;

    private byte[][] keys;
    private Object[] values;
    private int[] hashes;
    private long[] longs;
    private int size;
    private final boolean withValues;
    private boolean withLongs;
    private long keyBytes;

    public BytesMap(boolean withValues, boolean withLongs) {
        this(withValues, withLongs, MIN_CAPACITY);
    }

    public BytesMap(boolean withValues, boolean withLongs, int expected) {
        this.withValues = withValues;
        this.withLongs = withLongs;
        allocate(capacityFor(expected));
    }

    private static int capacityFor(int n) {
        int c = MIN_CAPACITY;
        while (c * 3 / 4 < n) {
            c <<= 1;
        }
        return c;
    }

    private void allocate(int cap) {
        keys = new byte[cap][];
        hashes = new int[cap];
        values = withValues ? new Object[cap] : null;
        longs = withLongs ? new long[cap] : null;
    }

    /** A deep enough copy: keys and byte[] values are immutable and shared. */
    public BytesMap copy() {
        BytesMap m = new BytesMap(withValues, withLongs, MIN_CAPACITY);
        m.keys = keys.clone();
        m.hashes = hashes.clone();
        m.values = values == null ? null : values.clone();
        m.longs = longs == null ? null : longs.clone();
        m.size = size;
        m.keyBytes = keyBytes;
        return m;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return keys.length;
    }

    /** Estimated heap bytes: the arrays and the key arrays (values are counted by the owner). */
    public long memoryUsage() {
        int cap = keys.length;
        return 48 + MemorySize.array(cap * 4) * (2 + (withValues ? 1 : 0)) + (withLongs ? MemorySize.array(cap * 8) : 0)
                + keyBytes;
    }

    private static int home(int hash, int mask) {
        return hash & mask;
    }

    /** The slot holding {@code key}, or -1. */
    public int find(byte[] key) {
        return find(key, Bytes.hash(key));
    }

    public int find(byte[] key, int hash) {
        int mask = keys.length - 1;
        for (int i = home(hash, mask); ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                return -1;
            }
            if (hashes[i] == hash && Arrays.equals(k, key)) {
                return i;
            }
        }
    }

    public boolean contains(byte[] key) {
        return find(key) >= 0;
    }

    public byte[] keyAt(int slot) {
        return keys[slot];
    }

    public Object valueAt(int slot) {
        return values[slot];
    }

    public void setValueAt(int slot, Object v) {
        values[slot] = v;
    }

    public boolean hasLongs() {
        return withLongs;
    }

    /** Adds the per-entry long (zero for every present entry) if the map was made without. */
    public void enableLongs() {
        if (!withLongs) {
            withLongs = true;
            longs = new long[keys.length];
        }
    }

    public long longAt(int slot) {
        return longs[slot];
    }

    public void setLongAt(int slot, long v) {
        longs[slot] = v;
    }

    /**
     * Adds {@code key} (absent) with a value; returns its slot. The key array is kept, not copied.
     */
    public int add(byte[] key, Object value) {
        return add(key, Bytes.hash(key), value);
    }

    public int add(byte[] key, int hash, Object value) {
        if ((size + 1) * 4 > keys.length * 3) {
            rehash(keys.length << 1);
        }
        int mask = keys.length - 1;
        int i = home(hash, mask);
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        hashes[i] = hash;
        if (withValues) {
            values[i] = value;
        }
        size++;
        keyBytes += MemorySize.array(key.length);
        return i;
    }

    /**
     * Finds {@code key} or adds it (the array is kept) with {@code value}, hashing and probing
     * once: returns the slot of the existing entry, or {@code -(slot + 1)} of the new one.
     */
    public int findOrAdd(byte[] key, Object value) {
        int hash = Bytes.hash(key);
        int mask = keys.length - 1;
        int i = home(hash, mask);
        for (; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                break;
            }
            if (hashes[i] == hash && Arrays.equals(k, key)) {
                return i;
            }
        }
        if ((size + 1) * 4 > keys.length * 3) {
            return -add(key, hash, value) - 1; // grows, then places it
        }
        keys[i] = key;
        hashes[i] = hash;
        if (withValues) {
            values[i] = value;
        }
        size++;
        keyBytes += MemorySize.array(key.length);
        return -i - 1;
    }

    /** Removes the entry at {@code slot}. */
    public void removeAt(int slot) {
        keyBytes -= MemorySize.array(keys[slot].length);
        int mask = keys.length - 1;
        int i = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j] == null) {
                break;
            }
            int h = home(hashes[j], mask);
            // the entry at j may move back to i if i lies in the run from its home h to j
            boolean movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (movable) {
                keys[i] = keys[j];
                hashes[i] = hashes[j];
                if (withValues) {
                    values[i] = values[j];
                }
                if (withLongs) {
                    longs[i] = longs[j];
                }
                i = j;
            }
        }
        keys[i] = null;
        hashes[i] = 0;
        if (withValues) {
            values[i] = null;
        }
        if (withLongs) {
            longs[i] = 0;
        }
        size--;
        if (keys.length > MIN_CAPACITY && size * 8 < keys.length) {
            rehash(Math.max(MIN_CAPACITY, capacityFor(size)));
        }
    }

    /** Removes {@code key}; false when absent. */
    public boolean remove(byte[] key) {
        int s = find(key);
        if (s < 0) {
            return false;
        }
        removeAt(s);
        return true;
    }

    private void rehash(int cap) {
        byte[][] ok = keys;
        int[] oh = hashes;
        Object[] ov = values;
        long[] ol = longs;
        allocate(cap);
        int mask = cap - 1;
        for (int s = 0; s < ok.length; s++) {
            if (ok[s] == null) {
                continue;
            }
            int i = home(oh[s], mask);
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = ok[s];
            hashes[i] = oh[s];
            if (withValues) {
                values[i] = ov[s];
            }
            if (withLongs) {
                longs[i] = ol[s];
            }
        }
    }

    /** Receives entries visited by {@link #scan}. */
    @FunctionalInterface
    public interface SlotVisitor {
        void visit(int slot);
    }

    /**
     * Visits the entries whose home bucket is {@code cursor}, and returns the next cursor (0 when
     * the table has been covered), as Redis' dictScan.
     */
    public long scan(long cursor, SlotVisitor visitor) {
        int mask = keys.length - 1;
        int b = (int) (cursor & mask);
        for (int i = b; keys[i] != null; i = (i + 1) & mask) {
            if (home(hashes[i], mask) == b) {
                visitor.visit(i);
            }
        }
        long v = cursor | ~((long) mask);
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    /** A random occupied slot (the table must not be empty). */
    public int randomSlot(RandomGenerator rnd) {
        int mask = keys.length - 1;
        while (true) {
            int i = rnd.nextInt() & mask;
            if (keys[i] != null) {
                return i;
            }
        }
    }

    /** The first occupied slot at or after {@code from}, or -1. */
    public int nextSlot(int from) {
        for (int i = from; i < keys.length; i++) {
            if (keys[i] != null) {
                return i;
            }
        }
        return -1;
    }
}
