package io.cachalot.core.types.hash;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.MemorySize;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.types.BytesMap;
import io.cachalot.core.types.Varint;
import io.cachalot.core.util.Bytes;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A hash: field → value, with an optional expiry time per field (Redis 7.4).
 *
 * <p>Small hashes are <em>packed</em> like Redis' listpack: one byte array of
 * {@code [field length][field][value length][value]} entries in insertion order, searched
 * linearly. Past {@code hash-max-listpack-entries} entries or a field/value longer than
 * {@code hash-max-listpack-value} bytes (checked by the commands) the hash becomes a
 * {@link BytesMap} "hashtable" and stays one, as in Redis.
 *
 * <p>Field expiry times are absolute Unix milliseconds, 0 meaning none. Packed hashes keep them in
 * a parallel array and, as Redis 7.4's listpackex, keep the fields that have one first, ordered by
 * expiry time; the table keeps them in its per-entry long.
 */
public final class HashValue implements MutableValue {
    public static final long NO_TTL = 0;

    private static final byte[] EMPTY = new byte[0];

    // packed form (table == null)
    private byte[] buf;
    private int used;
    private int count;
    /** Per packed entry (by index) expiry time; null while no field has one. */
    private long[] ttls;

    // table form
    private BytesMap table;
    private long valueBytes;

    /** Set once a field-expiry command touched a packed hash: it reports "listpackex" from then on. */
    private boolean expiryAware;
    /** Fields that have an expiry time, and a lower bound of the earliest one. */
    private int ttlCount;
    private long minTtl = Long.MAX_VALUE;

    public HashValue() {
        buf = EMPTY;
    }

    private HashValue(HashValue o) {
        if (o.table != null) {
            table = o.table.copy();
            valueBytes = o.valueBytes;
        } else {
            buf = Arrays.copyOf(o.buf, o.used);
            used = o.used;
            count = o.count;
            ttls = o.ttls == null ? null : o.ttls.clone();
        }
        ttlCount = o.ttlCount;
        minTtl = o.minTtl;
        expiryAware = o.expiryAware;
    }

    @Override
    public HashValue copy() {
        return new HashValue(this);
    }

    @Override
    public long length() {
        return size();
    }

    public int size() {
        return table != null ? table.size() : count;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean hasSubExpiry() {
        return ttlCount > 0;
    }

    @Override
    public long nextSubExpiry() {
        return minTtl();
    }

    @Override
    public int expireSubElements(long now) {
        return removeExpired(now, null);
    }

    public boolean isPacked() {
        return table == null;
    }

    /** OBJECT ENCODING: listpack, listpackex (packed with expiry times) or hashtable. */
    public Encoding encoding() {
        if (table != null) {
            return Encoding.HASHTABLE;
        }
        return expiryAware || ttlCount > 0 ? Encoding.LISTPACKEX : Encoding.LISTPACK;
    }

    /** Marks a packed hash as "listpackex", as Redis converts it on any HEXPIRE-family command. */
    public void markExpiryAware() {
        expiryAware = true;
    }

    @Override
    public long memoryUsage() {
        if (table != null) {
            return 40 + table.memoryUsage() + valueBytes;
        }
        return 40 + MemorySize.array(buf.length) + (ttls == null ? 0 : MemorySize.array(ttls.length * 8));
    }

    // ------------------------------------------------------------------ packed primitives

    private static int entrySize(int flen, int vlen) {
        return Varint.size(flen) + flen + Varint.size(vlen) + vlen;
    }

    /** The offset after the entry at {@code off}. */
    private int skip(int off) {
        int flen = Varint.read(buf, off);
        off += Varint.size(flen) + flen;
        int vlen = Varint.read(buf, off);
        return off + Varint.size(vlen) + vlen;
    }

    private boolean fieldEquals(int off, byte[] field) {
        int flen = Varint.read(buf, off);
        if (flen != field.length) {
            return false;
        }
        return Arrays.equals(buf, off + Varint.size(flen), off + Varint.size(flen) + flen, field, 0, flen);
    }

    /** Index of {@code field} in the packed form, or -1; {@link #foundOffset} holds its offset. */
    private int packedFind(byte[] field) {
        int off = 0;
        for (int i = 0; i < count; i++) {
            if (fieldEquals(off, field)) {
                foundOffset = off;
                return i;
            }
            off = skip(off);
        }
        return -1;
    }

    /** Scratch result of {@link #packedFind}: only valid right after it, under the owner's lock. */
    private int foundOffset;

    private int offsetOf(int index) {
        int off = 0;
        for (int i = 0; i < index; i++) {
            off = skip(off);
        }
        return off;
    }

    private void ensure(int extra) {
        if (used + extra > buf.length) {
            int cap = Math.max(used + extra, buf.length + (buf.length >> 1));
            buf = Arrays.copyOf(buf, Math.max(cap, 16));
        }
    }

    /**
     * Moves the bytes from {@code off} to the end by {@code n}: a positive n opens a gap at
     * {@code off}, a negative one removes the n bytes before it.
     */
    private void shift(int off, int n) {
        if (n > 0) {
            ensure(n);
        }
        System.arraycopy(buf, off, buf, off + n, used - off);
        used += n;
    }

    private void packedInsert(int index, int off, byte[] field, byte[] value, long ttl) {
        int size = entrySize(field.length, value.length);
        shift(off, size);
        int p = Varint.write(buf, off, field.length);
        System.arraycopy(field, 0, buf, p, field.length);
        p = Varint.write(buf, p + field.length, value.length);
        System.arraycopy(value, 0, buf, p, value.length);
        if (ttls != null || ttl != NO_TTL) {
            if (ttls == null) {
                ttls = new long[Math.max(4, count + 1)];
            } else if (ttls.length <= count) {
                ttls = Arrays.copyOf(ttls, Math.max(count + 1, ttls.length * 2));
            }
            System.arraycopy(ttls, index, ttls, index + 1, count - index);
            ttls[index] = ttl;
        }
        count++;
    }

    private void packedRemove(int index, int off) {
        int end = skip(off);
        shift(end, off - end);
        if (ttls != null) {
            System.arraycopy(ttls, index + 1, ttls, index, count - index - 1);
            ttls[count - 1] = NO_TTL;
        }
        count--;
        if (count == 0) {
            buf = EMPTY;
            used = 0;
            ttls = null;
        } else if (buf.length > 64 && used < buf.length / 4) {
            buf = Arrays.copyOf(buf, used * 2);
        }
    }

    private long packedTtl(int index) {
        return ttls == null ? NO_TTL : ttls[index];
    }

    /**
     * The index a field with expiry {@code ttl} goes to, listpackex-style: before the first
     * field expiring no earlier or having no expiry (so the latest set wins ties); at the end for
     * none.
     */
    private int ttlPosition(long ttl) {
        if (ttl == NO_TTL || ttls == null) {
            return ttl == NO_TTL ? count : 0;
        }
        int i = 0;
        while (i < count && ttls[i] != NO_TTL && ttls[i] < ttl) {
            i++;
        }
        return i;
    }

    // ------------------------------------------------------------------ queries

    /** The value of {@code field}, or null. */
    public byte[] get(byte[] field) {
        if (table != null) {
            int s = table.find(field);
            return s < 0 ? null : (byte[]) table.valueAt(s);
        }
        int i = packedFind(field);
        if (i < 0) {
            return null;
        }
        int off = foundOffset;
        int flen = Varint.read(buf, off);
        off += Varint.size(flen) + flen;
        int vlen = Varint.read(buf, off);
        off += Varint.size(vlen);
        return Arrays.copyOfRange(buf, off, off + vlen);
    }

    /** The length of {@code field}'s value, or -1 when absent (no copy). */
    public int valueLength(byte[] field) {
        if (table != null) {
            int s = table.find(field);
            return s < 0 ? -1 : ((byte[]) table.valueAt(s)).length;
        }
        int i = packedFind(field);
        if (i < 0) {
            return -1;
        }
        int off = foundOffset;
        int flen = Varint.read(buf, off);
        return Varint.read(buf, off + Varint.size(flen) + flen);
    }

    public boolean contains(byte[] field) {
        return table != null ? table.find(field) >= 0 : packedFind(field) >= 0;
    }

    /** The expiry time of {@code field}: {@link #NO_TTL} when it has none, -1 when absent. */
    public long ttl(byte[] field) {
        if (table != null) {
            int s = table.find(field);
            if (s < 0) {
                return -1;
            }
            return table.hasLongs() ? table.longAt(s) : NO_TTL;
        }
        int i = packedFind(field);
        return i < 0 ? -1 : packedTtl(i);
    }

    public boolean hasTtls() {
        return ttlCount > 0;
    }

    /** How many fields have an expiry time. */
    public int ttlCount() {
        return ttlCount;
    }

    // ------------------------------------------------------------------ updates

    /**
     * Sets {@code field} to {@code value}, removing any expiry time the field had. Returns true
     * when the field is new. The value array is kept, not copied.
     */
    public boolean put(byte[] field, byte[] value) {
        return put(field, value, false);
    }

    /**
     * Sets {@code field} to {@code value}; with {@code keepTtl} an existing field keeps its expiry
     * time and place (HINCRBY), otherwise loses it. Returns true when the field is new.
     */
    public boolean put(byte[] field, byte[] value, boolean keepTtl) {
        if (table != null) {
            int s = table.findOrAdd(field, value);
            if (s < 0) {
                valueBytes += MemorySize.array(value.length);
                return true;
            }
            byte[] old = (byte[]) table.valueAt(s);
            valueBytes += MemorySize.array(value.length) - MemorySize.array(old.length);
            table.setValueAt(s, value);
            if (!keepTtl && table.hasLongs() && table.longAt(s) != NO_TTL) {
                table.setLongAt(s, NO_TTL);
                ttlCount--;
            }
            return false;
        }
        int i = packedFind(field);
        if (i < 0) {
            packedInsert(count, used, field, value, NO_TTL);
            return true;
        }
        int off = foundOffset;
        if (!keepTtl && packedTtl(i) != NO_TTL) {
            // the field loses its expiry: it moves among the fields without one, as listpackex
            packedRemove(i, off);
            ttlCount--;
            packedInsert(count, used, field, value, NO_TTL);
            return false;
        }
        int flen = Varint.read(buf, off);
        int voff = off + Varint.size(flen) + flen;
        int oldLen = Varint.read(buf, voff);
        int oldSize = Varint.size(oldLen) + oldLen;
        int newSize = Varint.size(value.length) + value.length;
        if (newSize != oldSize) {
            shift(voff + oldSize, newSize - oldSize);
        }
        int p = Varint.write(buf, voff, value.length);
        System.arraycopy(value, 0, buf, p, value.length);
        return false;
    }

    /** Removes {@code field}; false when absent. */
    public boolean remove(byte[] field) {
        if (table != null) {
            int s = table.find(field);
            if (s < 0) {
                return false;
            }
            valueBytes -= MemorySize.array(((byte[]) table.valueAt(s)).length);
            if (table.hasLongs() && table.longAt(s) != NO_TTL) {
                ttlCount--;
            }
            table.removeAt(s);
            return true;
        }
        int i = packedFind(field);
        if (i < 0) {
            return false;
        }
        if (packedTtl(i) != NO_TTL) {
            ttlCount--;
        }
        packedRemove(i, foundOffset);
        return true;
    }

    /** Sets or clears ({@link #NO_TTL}) the expiry time of an existing field; false when absent. */
    public boolean setTtl(byte[] field, long at) {
        if (table != null) {
            int s = table.find(field);
            if (s < 0) {
                return false;
            }
            if (at != NO_TTL) {
                table.enableLongs();
            } else if (!table.hasLongs()) {
                return true;
            }
            long old = table.longAt(s);
            table.setLongAt(s, at);
            countTtlChange(old, at);
            return true;
        }
        int i = packedFind(field);
        if (i < 0) {
            return false;
        }
        long old = packedTtl(i);
        if (old == at) {
            return true;
        }
        byte[] value = valueAtOffset(foundOffset);
        packedRemove(i, foundOffset);
        int to = ttlPosition(at);
        packedInsert(to, offsetOf(to), field, value, at);
        countTtlChange(old, at);
        return true;
    }

    private void countTtlChange(long old, long at) {
        if (old == NO_TTL && at != NO_TTL) {
            ttlCount++;
        } else if (old != NO_TTL && at == NO_TTL) {
            ttlCount--;
        }
        if (at != NO_TTL && at < minTtl) {
            minTtl = at;
        }
        if (ttlCount == 0) {
            minTtl = Long.MAX_VALUE;
        }
    }

    private byte[] valueAtOffset(int off) {
        int flen = Varint.read(buf, off);
        int voff = off + Varint.size(flen) + flen;
        int vlen = Varint.read(buf, voff);
        int p = voff + Varint.size(vlen);
        return Arrays.copyOfRange(buf, p, p + vlen);
    }

    /** Whether some field may have expired at {@code now} (cheap; exact answer from {@link #removeExpired}). */
    public boolean mayHaveExpired(long now) {
        return ttlCount > 0 && minTtl <= now;
    }

    /** The earliest field expiry time (exact when packed, maybe early for a table), MAX_VALUE for none. */
    public long minTtl() {
        if (table == null) {
            return ttlCount > 0 ? ttls[0] : Long.MAX_VALUE; // expiring fields come first
        }
        if (ttlCount > 0 && minTtl == Long.MAX_VALUE) {
            recomputeMinTtl();
        }
        return minTtl;
    }

    /** Receives the fields {@link #removeExpired} deletes. */
    @FunctionalInterface
    public interface FieldSink {
        void accept(byte[] field);
    }

    /**
     * Removes the fields whose expiry time is at or before {@code now}; returns how many. Each
     * removed field goes to {@code sink} when it is not null.
     */
    public int removeExpired(long now, FieldSink sink) {
        if (ttlCount == 0) {
            return 0;
        }
        int removed = 0;
        if (table != null) {
            int s = 0;
            while ((s = table.nextSlot(s)) >= 0) {
                long t = table.longAt(s);
                if (t != NO_TTL && t <= now) {
                    byte[] f = table.keyAt(s);
                    valueBytes -= MemorySize.array(((byte[]) table.valueAt(s)).length);
                    int cap = table.capacity();
                    table.removeAt(s); // shifts a later entry into s: look at s again
                    ttlCount--;
                    removed++;
                    if (sink != null) {
                        sink.accept(f);
                    }
                    if (table.capacity() != cap) {
                        s = 0; // shrunk and rehashed: start over
                    }
                } else {
                    s++;
                }
            }
        } else {
            // expiring fields come first, earliest first
            while (count > 0 && ttls != null && ttls[0] != NO_TTL && ttls[0] <= now) {
                if (sink != null) {
                    int flen = Varint.read(buf, 0);
                    int p = Varint.size(flen);
                    sink.accept(Arrays.copyOfRange(buf, p, p + flen));
                }
                packedRemove(0, 0);
                ttlCount--;
                removed++;
            }
        }
        recomputeMinTtl();
        return removed;
    }

    private void recomputeMinTtl() {
        long m = Long.MAX_VALUE;
        if (ttlCount > 0) {
            if (table != null) {
                for (int s = table.nextSlot(0); s >= 0; s = table.nextSlot(s + 1)) {
                    long t = table.longAt(s);
                    if (t != NO_TTL && t < m) {
                        m = t;
                    }
                }
            } else if (ttls != null) {
                m = ttls[0] != NO_TTL ? ttls[0] : Long.MAX_VALUE;
            }
        }
        minTtl = m;
    }

    /** Converts the packed form into the table form (irreversible, as Redis). */
    public void toTable() {
        if (table != null) {
            return;
        }
        BytesMap t = new BytesMap(true, false, count);
        long vb = 0;
        int off = 0;
        for (int i = 0; i < count; i++) {
            int flen = Varint.read(buf, off);
            int p = off + Varint.size(flen);
            byte[] f = Arrays.copyOfRange(buf, p, p + flen);
            p += flen;
            int vlen = Varint.read(buf, p);
            p += Varint.size(vlen);
            byte[] v = Arrays.copyOfRange(buf, p, p + vlen);
            int s = t.add(f, v);
            vb += MemorySize.array(vlen);
            long ttl = packedTtl(i);
            if (ttl != NO_TTL) {
                t.enableLongs();
                t.setLongAt(s, ttl);
            }
            off = p + vlen;
        }
        table = t;
        valueBytes = vb;
        buf = null;
        ttls = null;
        used = 0;
        count = 0;
    }

    /** Whether the packed form holds a field or value longer than {@code maxLength}. */
    public boolean packedHasLongerThan(int maxLength) {
        if (table != null) {
            return false;
        }
        int off = 0;
        for (int i = 0; i < count; i++) {
            int flen = Varint.read(buf, off);
            int p = off + Varint.size(flen) + flen;
            int vlen = Varint.read(buf, p);
            if (flen > maxLength || vlen > maxLength) {
                return true;
            }
            off = p + Varint.size(vlen) + vlen;
        }
        return false;
    }

    // ------------------------------------------------------------------ iteration

    /** A cursor over the fields: {@code while (c.next()) { c.field... c.value... }}. */
    public Cursor cursor() {
        return new Cursor(this);
    }

    /** Iterates fields in storage order; the hash must not change meanwhile. */
    public static final class Cursor {
        private final HashValue h;
        private int index = -1;
        private int off;
        private int slot = -1;
        private byte[] fArr;
        private int fOff;
        private int fLen;
        private byte[] vArr;
        private int vOff;
        private int vLen;

        Cursor(HashValue h) {
            this.h = h;
        }

        public boolean next() {
            if (h.table != null) {
                slot = h.table.nextSlot(slot + 1);
                if (slot < 0) {
                    return false;
                }
                loadSlot(slot);
                return true;
            }
            if (index >= 0) {
                off = vOff + vLen;
            }
            if (++index >= h.count) {
                return false;
            }
            loadOffset(off);
            return true;
        }

        void loadSlot(int s) {
            fArr = h.table.keyAt(s);
            fOff = 0;
            fLen = fArr.length;
            vArr = (byte[]) h.table.valueAt(s);
            vOff = 0;
            vLen = vArr.length;
        }

        void loadOffset(int at) {
            byte[] b = h.buf;
            fArr = b;
            vArr = b;
            fLen = Varint.read(b, at);
            fOff = at + Varint.size(fLen);
            int p = fOff + fLen;
            vLen = Varint.read(b, p);
            vOff = p + Varint.size(vLen);
        }

        public byte[] fieldArray() {
            return fArr;
        }

        public int fieldOffset() {
            return fOff;
        }

        public int fieldLength() {
            return fLen;
        }

        public byte[] valueArray() {
            return vArr;
        }

        public int valueOffset() {
            return vOff;
        }

        public int valueLength() {
            return vLen;
        }

        public byte[] field() {
            return fOff == 0 && fLen == fArr.length ? fArr : Arrays.copyOfRange(fArr, fOff, fOff + fLen);
        }

        public byte[] value() {
            return vOff == 0 && vLen == vArr.length ? vArr : Arrays.copyOfRange(vArr, vOff, vOff + vLen);
        }

        /** The current field's expiry time, {@link #NO_TTL} when none. */
        public long ttl() {
            if (h.table != null) {
                return h.table.hasLongs() ? h.table.longAt(slot) : NO_TTL;
            }
            return h.packedTtl(index);
        }
    }

    /**
     * Positions of all fields for random picks: packed offsets, or table slots. {@link #load}
     * reads one into a cursor.
     */
    public int[] positions() {
        int n = size();
        int[] p = new int[n];
        if (table != null) {
            int s = -1;
            for (int i = 0; i < n; i++) {
                s = table.nextSlot(s + 1);
                p[i] = s;
            }
        } else {
            int off = 0;
            for (int i = 0; i < n; i++) {
                p[i] = off;
                off = skip(off);
            }
        }
        return p;
    }

    /** Points {@code c} at the field at {@code position} (from {@link #positions}). */
    public void load(Cursor c, int position) {
        if (table != null) {
            c.slot = position;
            c.loadSlot(position);
        } else {
            c.loadOffset(position);
        }
    }

    /** A random field's position (the hash must not be empty). */
    public int randomPosition(RandomGenerator rnd) {
        if (table != null) {
            return table.randomSlot(rnd);
        }
        return offsetOf(rnd.nextInt(count));
    }

    /**
     * HSCAN step over the table form: visits the fields of one home bucket and returns the next
     * cursor. Packed hashes are returned whole by the caller (cursor 0), as Redis does.
     */
    public long scan(long cursor, BytesMap.SlotVisitor visitor) {
        return table.scan(cursor, visitor);
    }

    /** Loads a table slot visited by {@link #scan} into {@code c}. */
    public void loadSlot(Cursor c, int slot) {
        c.slot = slot;
        c.loadSlot(slot);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        Cursor c = cursor();
        while (c.next()) {
            sb.append(Bytes.latin1(c.field())).append('=').append(Bytes.latin1(c.value())).append(',');
        }
        return sb.append('}').toString();
    }
}
