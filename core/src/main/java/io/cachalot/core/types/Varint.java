package io.cachalot.core.types;

/**
 * Lengths in packed byte arrays: base-128 varints, readable forwards (low 7 bits first) and
 * backwards (written mirrored before the entry's end), so packed entries can be walked both ways
 * as Redis' listpack entries can.
 */
public final class Varint {
    private Varint() {
    }

    /** Bytes needed for {@code v} (non-negative). */
    public static int size(int v) {
        if (v < 1 << 7) {
            return 1;
        }
        if (v < 1 << 14) {
            return 2;
        }
        if (v < 1 << 21) {
            return 3;
        }
        if (v < 1 << 28) {
            return 4;
        }
        return 5;
    }

    /** Writes {@code v} forwards at {@code pos}; returns the position after it. */
    public static int write(byte[] b, int pos, int v) {
        while (v >= 0x80) {
            b[pos++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    /** Reads a forward varint at {@code pos}. */
    public static int read(byte[] b, int pos) {
        int v = 0;
        int shift = 0;
        while (true) {
            int x = b[pos++];
            v |= (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    /** Writes {@code v} mirrored so that it ends just before {@code end}; returns {@code end}. */
    public static int writeBack(byte[] b, int pos, int v) {
        int n = size(v);
        int p = pos + n - 1;
        while (v >= 0x80) {
            b[p--] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[p] = (byte) v;
        return pos + n;
    }

    /** Reads a mirrored varint that ends just before {@code end}. */
    public static int readBack(byte[] b, int end) {
        int v = 0;
        int shift = 0;
        int p = end - 1;
        while (true) {
            int x = b[p--];
            v |= (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
            shift += 7;
        }
    }
}
