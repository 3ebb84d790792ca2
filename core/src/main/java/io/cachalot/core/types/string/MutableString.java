package io.cachalot.core.types.string;

import io.cachalot.core.types.MemorySize;
import io.cachalot.core.types.InPlaceString;

/**
 * A string value that bit commands (SETBIT, BITFIELD) change in place, as Redis changes its sds:
 * a buffer with room to grow (doubling up to 1 MB, then 1 MB at a time) and the string's length.
 * Other string values are immutable arrays shared freely (snapshots, COPY, propagated
 * commands); this one is owned by its entry alone, so readers outside the command get a copy
 * ({@code Entry.bytes()}). The bytes past the length are always zero.
 */
public final class MutableString implements InPlaceString {
    private static final int GROW_DOUBLING_LIMIT = 1 << 20;

    private byte[] buf;
    private int len;

    private MutableString(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    /** A mutable string holding {@code bytes} (copied), with room for {@code minLength} bytes. */
    public static MutableString of(byte[] bytes, long minLength) {
        int len = (int) Math.max(bytes == null ? 0 : bytes.length, minLength);
        MutableString s = new MutableString(new byte[len], len);
        if (bytes != null) {
            System.arraycopy(bytes, 0, s.buf, 0, bytes.length);
        }
        return s;
    }

    /** The buffer: the string is its first {@link #length()} bytes, zeros follow. */
    public byte[] array() {
        return buf;
    }

    /** Grows the string with zero bytes to at least {@code minLength} bytes; returns whether it grew. */
    public boolean grow(long minLength) {
        if (minLength <= len) {
            return false;
        }
        if (minLength > buf.length) {
            long cap = minLength < GROW_DOUBLING_LIMIT ? minLength * 2 : minLength + GROW_DOUBLING_LIMIT;
            buf = java.util.Arrays.copyOf(buf, (int) Math.min(cap, Integer.MAX_VALUE - 8));
        }
        len = (int) minLength;
        return true;
    }

    /**
     * Sets the length to {@code n}: growing adds zero bytes, shrinking clears the bytes cut off
     * (the buffer stays zero past the length). Callers then move bytes within {@link #array()}.
     */
    public void setLength(int n) {
        if (n > len) {
            grow(n);
        } else {
            java.util.Arrays.fill(buf, n, len, (byte) 0);
            len = n;
        }
    }

    /** Makes the string exactly {@code content} (taken, not copied). */
    public void replaceWith(byte[] content) {
        buf = content;
        len = content.length;
    }

    @Override
    public byte[] toBytes() {
        return java.util.Arrays.copyOf(buf, len);
    }

    @Override
    public long length() {
        return len;
    }

    @Override
    public MutableString copy() {
        return new MutableString(toBytes(), len);
    }

    @Override
    public long memoryUsage() {
        return 24 + MemorySize.array(buf.length);
    }
}
