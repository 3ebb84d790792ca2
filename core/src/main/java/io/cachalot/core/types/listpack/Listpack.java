package io.cachalot.core.types.listpack;

import io.cachalot.core.util.Numbers;

import java.util.Arrays;

/**
 * Redis' listpack, byte for byte, in a growable array: a 6-byte header (total bytes, element
 * count), elements each made of an encoding byte (7-bit and 13-bit integers, 16/24/32/64-bit
 * integers, 6-bit, 12-bit and 32-bit string lengths), the payload and a back-length that lets a
 * reader walk backwards, then the 0xFF terminator. Streams keep their nodes in it (their node
 * boundaries, and so XTRIM ~ and XINFO, depend on these exact sizes), and RDB files carry it as is.
 *
 * <p>Elements are addressed by their byte offset: {@link #first}, {@link #next}, {@link #last},
 * {@link #prev}; read with {@link #isInteger}, {@link #integer}, {@link #stringOffset} and
 * {@link #stringLength} over {@link #array()}.
 */
public final class Listpack {
    private static final int HEADER = 6;
    private static final int EOF = 0xFF;
    /** The header's count saturates here: "count them". */
    private static final int UNKNOWN_COUNT = 65535;

    private byte[] buf;
    private int size;
    private int count;

    /** An empty listpack with room for {@code capacity} bytes before it grows. */
    public Listpack(int capacity) {
        buf = new byte[Math.max(HEADER + 1, capacity)];
        size = HEADER + 1;
        buf[HEADER] = (byte) EOF;
        writeHeader();
    }

    private Listpack(byte[] buf, int size, int count) {
        this.buf = buf;
        this.size = size;
        this.count = count;
    }

    /**
     * A listpack over a copy of Redis' bytes, checked as lpValidateIntegrity does (header, every
     * element inside the bounds, back-lengths, terminator, count); null when they are not valid.
     */
    public static Listpack of(byte[] b) {
        if (b.length < HEADER + 1 || (int) le(b, 0, 4) != b.length || (b[b.length - 1] & 0xff) != EOF) {
            return null;
        }
        int declared = (int) le(b, 4, 2);
        int end = b.length - 1;
        int n = 0;
        int p = HEADER;
        while (p < end) {
            int len = encodedLength(b, p, end);
            if (len < 0) {
                return null;
            }
            int back = backlenSize(len);
            if (p + len + back > end || readBacklen(b, p + len + back - 1) != len) {
                return null;
            }
            p += len + back;
            n++;
        }
        if (p != end || (declared != UNKNOWN_COUNT && declared != n)) {
            return null;
        }
        return new Listpack(b.clone(), b.length, n);
    }

    /** Total bytes, header and terminator included (lpBytes). */
    public int bytes() {
        return size;
    }

    /** Number of elements. */
    public int count() {
        return count;
    }

    /** The underlying array (elements are read from it at their offsets); valid until the next change. */
    public byte[] array() {
        return buf;
    }

    /** Redis' bytes, exactly {@link #bytes()} long. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Drops spare capacity (lpShrinkToFit). */
    public void shrink() {
        if (buf.length != size) {
            buf = Arrays.copyOf(buf, size);
        }
    }

    /** Bytes held, spare capacity included (for memory accounting). */
    public int capacity() {
        return buf.length;
    }

    public Listpack copy() {
        return new Listpack(Arrays.copyOf(buf, size), size, count);
    }

    // ------------------------------------------------------------------ appending

    /** Appends a string, stored as an integer when it is a canonical decimal (lpAppend). */
    public void append(byte[] s, int off, int len) {
        if (len <= 20 && Numbers.isLong(s, off, len)) {
            appendInteger(Numbers.parseLong(s, off, len));
            return;
        }
        int head = len < 64 ? 1 : len < 4096 ? 2 : 5;
        int p = reserve(head + len + backlenSize(head + len));
        if (len < 64) {
            buf[p++] = (byte) (0x80 | len);
        } else if (len < 4096) {
            buf[p++] = (byte) (0xE0 | (len >>> 8));
            buf[p++] = (byte) len;
        } else {
            buf[p++] = (byte) 0xF0;
            putLe(buf, p, len, 4);
            p += 4;
        }
        System.arraycopy(s, off, buf, p, len);
        p += len;
        writeBacklen(p, head + len);
        appended();
    }

    public void append(byte[] s) {
        append(s, 0, s.length);
    }

    public void appendInteger(long v) {
        int len = integerLength(v);
        int p = reserve(len + 1);
        writeInteger(p, v, len);
        buf[p + len] = (byte) len;
        appended();
    }

    /** Makes room for {@code n} bytes before the terminator; returns where they start. */
    private int reserve(int n) {
        int p = size - 1;
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + n, buf.length + (buf.length >>> 1)));
        }
        size += n;
        buf[size - 1] = (byte) EOF;
        return p;
    }

    private void appended() {
        count++;
        writeHeader();
    }

    /**
     * Replaces the integer element at {@code p} (lpReplaceInteger); the elements after it move
     * when the new encoding is longer or shorter. Returns the element's offset (unchanged).
     */
    public int replaceInteger(int p, long v) {
        int oldLen = entryLength(p);
        int len = integerLength(v);
        int newLen = len + 1;
        int delta = newLen - oldLen;
        if (delta != 0) {
            if (size + delta > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size + delta, buf.length + (buf.length >>> 1)));
            }
            System.arraycopy(buf, p + oldLen, buf, p + newLen, size - (p + oldLen));
            size += delta;
        }
        writeInteger(p, v, len);
        buf[p + len] = (byte) len;
        writeHeader();
        return p;
    }

    /** Removes every element from offset {@code p} on (lpDeleteRange to the end). */
    public void truncate(int p, int removed) {
        buf[p] = (byte) EOF;
        size = p + 1;
        count -= removed;
        writeHeader();
    }

    // ------------------------------------------------------------------ walking

    /** Offset of the first element, -1 when empty. */
    public int first() {
        return size > HEADER + 1 ? HEADER : -1;
    }

    /** Offset of the element after the one at {@code p}, -1 past the last. */
    public int next(int p) {
        int q = p + entryLength(p);
        return q < size - 1 ? q : -1;
    }

    /** Offset of the last element, -1 when empty. */
    public int last() {
        return size > HEADER + 1 ? prevOf(size - 1) : -1;
    }

    /** Offset of the element before the one at {@code p}, -1 before the first. */
    public int prev(int p) {
        return p <= HEADER ? -1 : prevOf(p);
    }

    private int prevOf(int end) {
        int len = (int) readBacklen(buf, end - 1);
        return end - backlenSize(len) - len;
    }

    /** Whether the element at {@code p} is stored as an integer. */
    public boolean isInteger(int p) {
        int b = buf[p] & 0xff;
        return (b & 0x80) == 0 || (b & 0xE0) == 0xC0 || (b >= 0xF1 && b <= 0xF4);
    }

    /** The integer element at {@code p}. */
    public long integer(int p) {
        int b = buf[p] & 0xff;
        if ((b & 0x80) == 0) {
            return b;
        }
        if ((b & 0xE0) == 0xC0) {
            long u = ((b & 0x1f) << 8) | (buf[p + 1] & 0xff);
            return u >= (1 << 12) ? u - (1 << 13) : u;
        }
        switch (b) {
            case 0xF1: return (short) le(buf, p + 1, 2);
            case 0xF2: {
                long u = le(buf, p + 1, 3);
                return u >= (1 << 23) ? u - (1 << 24) : u;
            }
            case 0xF3: return (int) le(buf, p + 1, 4);
            default: return le(buf, p + 1, 8);
        }
    }

    /** Where the string element at {@code p} starts in {@link #array()}. */
    public int stringOffset(int p) {
        int b = buf[p] & 0xff;
        return (b & 0xC0) == 0x80 ? p + 1 : (b & 0xF0) == 0xE0 ? p + 2 : p + 5;
    }

    /** The length of the string element at {@code p}. */
    public int stringLength(int p) {
        int b = buf[p] & 0xff;
        if ((b & 0xC0) == 0x80) {
            return b & 0x3f;
        }
        if ((b & 0xF0) == 0xE0) {
            return ((b & 0x0f) << 8) | (buf[p + 1] & 0xff);
        }
        return (int) le(buf, p + 1, 4);
    }

    /** The element at {@code p} as bytes (an integer as its decimal text). */
    public byte[] bytesAt(int p) {
        if (isInteger(p)) {
            return Numbers.toBytes(integer(p));
        }
        int off = stringOffset(p);
        return Arrays.copyOfRange(buf, off, off + stringLength(p));
    }

    /** Whether the element at {@code p} equals {@code s[off, off + len)} as lpCompare sees it. */
    public boolean equalsAt(int p, byte[] s, int off, int len) {
        if (isInteger(p)) {
            return len <= 20 && Numbers.isLong(s, off, len) && Numbers.parseLong(s, off, len) == integer(p);
        }
        int o = stringOffset(p);
        return stringLength(p) == len && Arrays.equals(buf, o, o + len, s, off, off + len);
    }

    // ------------------------------------------------------------------ encoding details

    /** Encoding plus payload of the element at {@code p} (without its back-length). */
    private int payloadLength(int p) {
        int len = encodedLength(buf, p, size - 1);
        if (len < 0) {
            throw new IllegalStateException("corrupt listpack element at " + p);
        }
        return len;
    }

    /** The whole element at {@code p}: encoding, payload and back-length. */
    private int entryLength(int p) {
        int len = payloadLength(p);
        return len + backlenSize(len);
    }

    /** Encoding plus payload of the element at {@code p} of {@code b}, -1 when it runs past {@code end}. */
    private static int encodedLength(byte[] b, int p, int end) {
        int e = b[p] & 0xff;
        long len;
        if ((e & 0x80) == 0) {
            len = 1;
        } else if ((e & 0xC0) == 0x80) {
            len = 1 + (e & 0x3f);
        } else if ((e & 0xE0) == 0xC0) {
            len = 2;
        } else if ((e & 0xF0) == 0xE0) {
            if (p + 1 >= end) {
                return -1;
            }
            len = 2 + (((e & 0x0f) << 8) | (b[p + 1] & 0xff));
        } else if (e == 0xF0) {
            if (p + 4 >= end) {
                return -1;
            }
            len = 5 + le(b, p + 1, 4);
        } else if (e == 0xF1) {
            len = 3;
        } else if (e == 0xF2) {
            len = 4;
        } else if (e == 0xF3) {
            len = 5;
        } else if (e == 0xF4) {
            len = 9;
        } else {
            return -1;
        }
        return p + len > end ? -1 : (int) len;
    }

    /** Bytes of the encoding and payload of {@code v} minus one (the encoding byte). */
    private static int integerLength(long v) {
        if (v >= 0 && v <= 127) {
            return 1;
        } else if (v >= -4096 && v <= 4095) {
            return 2;
        } else if (v >= -32768 && v <= 32767) {
            return 3;
        } else if (v >= -8388608 && v <= 8388607) {
            return 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 5;
        }
        return 9;
    }

    private void writeInteger(int p, long v, int len) {
        switch (len) {
            case 1:
                buf[p] = (byte) v;
                break;
            case 2: {
                long u = v < 0 ? (1L << 13) + v : v;
                buf[p] = (byte) ((u >>> 8) | 0xC0);
                buf[p + 1] = (byte) u;
                break;
            }
            case 3:
                buf[p] = (byte) 0xF1;
                putLe(buf, p + 1, v, 2);
                break;
            case 4:
                buf[p] = (byte) 0xF2;
                putLe(buf, p + 1, v, 3);
                break;
            case 5:
                buf[p] = (byte) 0xF3;
                putLe(buf, p + 1, v, 4);
                break;
            default:
                buf[p] = (byte) 0xF4;
                putLe(buf, p + 1, v, 8);
                break;
        }
    }

    static int backlenSize(long l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }

    /** Writes the back-length of an element {@code l} bytes long at {@code p}: big-endian 7-bit groups. */
    private void writeBacklen(int p, long l) {
        int n = backlenSize(l);
        for (int i = n - 1; i >= 0; i--) {
            int group = (int) ((l >>> (7 * (n - 1 - i))) & 127);
            buf[p + i] = (byte) (i == 0 ? group : group | 128);
        }
    }

    /** Reads a back-length whose last byte is at {@code p}, walking left. */
    private static long readBacklen(byte[] b, int p) {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = b[p] & 0xff;
            v |= (long) (x & 127) << shift;
            if ((x & 128) == 0) {
                return v;
            }
            shift += 7;
            p--;
            if (shift > 28) {
                return -1;
            }
        }
    }

    private void writeHeader() {
        putLe(buf, 0, size, 4);
        putLe(buf, 4, Math.min(count, UNKNOWN_COUNT), 2);
    }

    private static void putLe(byte[] b, int p, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[p + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long le(byte[] b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (b[p + i] & 0xff) << (8 * i);
        }
        return v;
    }
}
