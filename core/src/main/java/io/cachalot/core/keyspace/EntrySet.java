package io.cachalot.core.keyspace;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A set of entries by identity (open addressing on the key hash, backward-shift deletion), used
 * by a segment to know which of its entries have a TTL and which belong to a {@link KeyGroup}.
 * It stays between 1/8 and 3/4 full, so a walk over its slots meets an entry every few steps.
 */
final class EntrySet {
    private Entry[] slots = new Entry[8];
    private int size;
    /** Estimated memory of the entries in the set (kept by the segment). */
    long memory;

    int size() {
        return size;
    }

    void add(Entry e) {
        if ((size + 1) * 4 > slots.length * 3) {
            resize(slots.length << 1);
        }
        int mask = slots.length - 1;
        int i = e.hashLow() & mask;
        while (slots[i] != null) {
            if (slots[i] == e) {
                return;
            }
            i = (i + 1) & mask;
        }
        slots[i] = e;
        size++;
    }

    void remove(Entry e) {
        int mask = slots.length - 1;
        int i = e.hashLow() & mask;
        while (slots[i] != e) {
            if (slots[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Entry n = slots[j];
            if (n == null) {
                break;
            }
            int h = n.hashLow() & mask;
            boolean movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (movable) {
                slots[i] = n;
                i = j;
            }
        }
        slots[i] = null;
        size--;
        if (slots.length > 8 && size * 8 < slots.length) {
            resize(slots.length >> 1);
        }
    }

    private void resize(int cap) {
        Entry[] old = slots;
        slots = new Entry[cap];
        int mask = cap - 1;
        for (Entry e : old) {
            if (e != null) {
                int i = e.hashLow() & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = e;
            }
        }
    }

    /** The number of slots: {@link #at} takes 0 to capacity - 1. */
    int capacity() {
        return slots.length;
    }

    /**
     * The entry in slot {@code i}, or null. Removing an entry may move a later one into its slot
     * (or, when the set shrinks, reorder every slot).
     */
    Entry at(int i) {
        return slots[i];
    }

    /**
     * Up to {@code n} entries from a random slot on, in slot order; returns how many were written
     * to the start of {@code out}.
     */
    int sample(RandomGenerator rnd, Entry[] out, int n) {
        int mask = slots.length - 1;
        int b = rnd.nextInt() & mask;
        int got = 0;
        for (int visited = 0; visited <= mask && got < n; visited++, b = (b + 1) & mask) {
            if (slots[b] != null) {
                out[got++] = slots[b];
            }
        }
        return got;
    }

    /** The entries, as a new array. */
    Entry[] toArray() {
        Entry[] out = new Entry[size];
        int n = 0;
        for (Entry e : slots) {
            if (e != null) {
                out[n++] = e;
            }
        }
        return out;
    }

    /** A random member (the set must not be empty). */
    Entry random(RandomGenerator rnd) {
        int mask = slots.length - 1;
        while (true) {
            Entry e = slots[rnd.nextInt() & mask];
            if (e != null) {
                return e;
            }
        }
    }

    void clear() {
        Arrays.fill(slots, null);
        size = 0;
        memory = 0;
    }
}
