package io.cachalot.core.types.set;

import io.cachalot.core.types.MemorySize;

import java.util.Arrays;

/**
 * Redis' intset: a sorted array of distinct integers stored 2, 4 or 8 bytes wide, the width
 * growing (never shrinking) to fit the largest magnitude added. Look-ups are binary searches;
 * inserts and removals shift the tail.
 */
public final class IntSet {
    private byte[] data = new byte[0];
    private int width = 2;
    private int count;

    public IntSet() {
    }

    private IntSet(IntSet o) {
        data = Arrays.copyOf(o.data, o.count * o.width);
        width = o.width;
        count = o.count;
    }

    public IntSet copy() {
        return new IntSet(this);
    }

    public int size() {
        return count;
    }

    public long memoryUsage() {
        return 24 + MemorySize.array(data.length);
    }

    private static int widthFor(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 2;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 4;
        }
        return 8;
    }

    /** The i-th smallest member. */
    public long get(int i) {
        return read(data, i, width);
    }

    private static long read(byte[] d, int i, int w) {
        int p = i * w;
        switch (w) {
            case 2:
                return (short) ((d[p] & 0xFF) | (d[p + 1] << 8));
            case 4:
                return (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8 | (d[p + 2] & 0xFF) << 16 | d[p + 3] << 24;
            default:
                long v = 0;
                for (int k = 7; k >= 0; k--) {
                    v = v << 8 | (d[p + k] & 0xFF);
                }
                return v;
        }
    }

    private static void write(byte[] d, int i, int w, long v) {
        int p = i * w;
        for (int k = 0; k < w; k++) {
            d[p + k] = (byte) (v >>> (8 * k));
        }
    }

    /** Index of {@code v}, or {@code -(insertion point) - 1}. */
    private int search(long v) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = get(mid);
            if (m < v) {
                lo = mid + 1;
            } else if (m > v) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    public boolean contains(long v) {
        return widthFor(v) <= width && search(v) >= 0;
    }

    /** Adds {@code v}; false when present. */
    public boolean add(long v) {
        int w = widthFor(v);
        if (w > width) {
            upgrade(w);
        }
        int i = search(v);
        if (i >= 0) {
            return false;
        }
        int at = -i - 1;
        int need = (count + 1) * width;
        if (need > data.length) {
            data = Arrays.copyOf(data, Math.max(need, Math.min(data.length * 2, need + 1024)));
        }
        System.arraycopy(data, at * width, data, (at + 1) * width, (count - at) * width);
        write(data, at, width, v);
        count++;
        return true;
    }

    private void upgrade(int w) {
        byte[] d = new byte[Math.max(count + 1, 4) * w];
        for (int i = 0; i < count; i++) {
            write(d, i, w, get(i));
        }
        data = d;
        width = w;
    }

    /** Removes {@code v}; false when absent. */
    public boolean remove(long v) {
        if (widthFor(v) > width) {
            return false;
        }
        int i = search(v);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    public void removeAt(int i) {
        System.arraycopy(data, (i + 1) * width, data, i * width, (count - i - 1) * width);
        count--;
        if (data.length > 64 && count * width < data.length / 4) {
            data = Arrays.copyOf(data, count * width * 2);
        }
    }
}
