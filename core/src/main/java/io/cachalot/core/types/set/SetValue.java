package io.cachalot.core.types.set;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.types.BytesMap;
import io.cachalot.core.util.Numbers;

import java.util.random.RandomGenerator;

/**
 * A set, as Redis 7.0 encodes it: an {@link IntSet} while every member is an integer in canonical
 * form and there are at most {@code set-max-intset-entries} of them, a {@link BytesMap}
 * "hashtable" otherwise (and from then on).
 */
public final class SetValue implements MutableValue {
    private IntSet ints;
    private BytesMap table;

    private SetValue(IntSet ints, BytesMap table) {
        this.ints = ints;
        this.table = table;
    }

    /** An empty set in the encoding Redis picks for a first member (setTypeCreate). */
    public static SetValue forFirstMember(byte[] member) {
        return Numbers.isLong(member) ? intset() : hashtable(0);
    }

    public static SetValue intset() {
        return new SetValue(new IntSet(), null);
    }

    public static SetValue hashtable(int expected) {
        return new SetValue(null, new BytesMap(false, false, expected));
    }

    @Override
    public SetValue copy() {
        return new SetValue(ints == null ? null : ints.copy(), table == null ? null : table.copy());
    }

    @Override
    public long length() {
        return size();
    }

    public int size() {
        return ints != null ? ints.size() : table.size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean isIntset() {
        return ints != null;
    }

    public Encoding encoding() {
        return ints != null ? Encoding.INTSET : Encoding.HASHTABLE;
    }

    @Override
    public long memoryUsage() {
        return 24 + (ints != null ? ints.memoryUsage() : table.memoryUsage());
    }

    public boolean contains(byte[] m) {
        if (ints != null) {
            return Numbers.isLong(m) && ints.contains(Numbers.parseLong(m));
        }
        return table.find(m) >= 0;
    }

    /**
     * Adds a member (the array is kept, not copied); converts to a table for a non-integer member
     * or past {@code maxIntsetEntries}. Returns false when already present.
     */
    public boolean add(byte[] m, long maxIntsetEntries) {
        if (ints != null) {
            if (Numbers.isLong(m)) {
                if (!ints.add(Numbers.parseLong(m))) {
                    return false;
                }
                if (ints.size() > maxIntsetEntries) {
                    toTable();
                }
                return true;
            }
            toTable();
        }
        return table.findOrAdd(m, null) < 0;
    }

    public boolean remove(byte[] m) {
        if (ints != null) {
            return Numbers.isLong(m) && ints.remove(Numbers.parseLong(m));
        }
        return table.remove(m);
    }

    private void toTable() {
        BytesMap t = new BytesMap(false, false, ints.size() + 1);
        for (int i = 0; i < ints.size(); i++) {
            t.add(Numbers.toBytes(ints.get(i)), null);
        }
        table = t;
        ints = null;
    }

    // ------------------------------------------------------------------ positions and iteration

    /**
     * Positions of all members (intset indexes or table slots) for random picks and iteration;
     * {@link Cursor#load} reads one.
     */
    public int[] positions() {
        int n = size();
        int[] p = new int[n];
        if (ints != null) {
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
        } else {
            int s = -1;
            for (int i = 0; i < n; i++) {
                s = table.nextSlot(s + 1);
                p[i] = s;
            }
        }
        return p;
    }

    /** A random member's position (the set must not be empty). */
    public int randomPosition(RandomGenerator rnd) {
        return ints != null ? rnd.nextInt(ints.size()) : table.randomSlot(rnd);
    }

    /** The member at a position as a new array. */
    public byte[] memberAt(int position) {
        return ints != null ? Numbers.toBytes(ints.get(position)) : table.keyAt(position);
    }

    /** Removes the member at a position (positions of other members may change). */
    public void removeAt(int position) {
        if (ints != null) {
            ints.removeAt(position);
        } else {
            table.removeAt(position);
        }
    }

    public Cursor cursor() {
        return new Cursor(this);
    }

    /** SSCAN over the table form; intsets are returned whole (cursor 0) by the caller. */
    public long scan(long cursor, BytesMap.SlotVisitor visitor) {
        return table.scan(cursor, visitor);
    }

    /**
     * Iterates members in storage order (intsets ascending). The current member is exposed as
     * (array, offset, length) without copying: integers are formatted into a scratch buffer.
     */
    public static final class Cursor {
        private final SetValue s;
        private int index = -1;
        private final byte[] digits = new byte[20];
        private byte[] arr;
        private int len;

        Cursor(SetValue s) {
            this.s = s;
        }

        public boolean next() {
            if (s.ints != null) {
                if (++index >= s.ints.size()) {
                    return false;
                }
                load(index);
                return true;
            }
            index = s.table.nextSlot(index + 1);
            if (index < 0) {
                index = Integer.MAX_VALUE - 1;
                return false;
            }
            load(index);
            return true;
        }

        /** Points at the member at a position (from {@link SetValue#positions} or a scan). */
        public void load(int position) {
            if (s.ints != null) {
                long v = s.ints.get(position);
                len = Numbers.length(v);
                Numbers.write(v, digits, 0, len);
                arr = digits;
            } else {
                arr = s.table.keyAt(position);
                len = arr.length;
            }
        }

        public byte[] array() {
            return arr;
        }

        public int length() {
            return len;
        }

        /** The current member as its own array. */
        public byte[] member() {
            return arr == digits ? java.util.Arrays.copyOf(digits, len) : arr;
        }
    }
}
