package io.cachalot.core.persist.rdb;

/**
 * The LZF format Redis compresses RDB strings with (liblzf): a stream of literal runs
 * ({@code 000LLLLL} then L + 1 bytes) and back references ({@code LLLooooo oooooooo}, length L + 2,
 * or {@code 111ooooo LLLLLLLL oooooooo} for length L + 9, offset o + 1 back). Any valid stream
 * decompresses the same; the compressor here finds repeats of three bytes through a hash table,
 * as liblzf does, without producing byte-identical output.
 */
public final class Lzf {
    private static final int HASH_BITS = 14;
    private static final int MAX_LITERAL = 32;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private Lzf() {
    }

    /**
     * Compresses {@code in} into at most {@code maxOut} bytes; returns the compressed bytes, or
     * null when they would not fit (the data does not compress enough).
     */
    public static byte[] compress(byte[] in, int maxOut) {
        return compress(in, maxOut, newTable());
    }

    /** A hash table for {@link #compress(byte[], int, int[])}, reusable from one call to the next. */
    public static int[] newTable() {
        return new int[1 << HASH_BITS];
    }

    /**
     * {@link #compress(byte[], int)} with a reusable table: it is never cleared, since a stale
     * position is only a candidate, checked against the bytes before it is used.
     */
    public static byte[] compress(byte[] in, int maxOut, int[] table) {
        int inLen = in.length;
        if (inLen == 0 || maxOut <= 0) {
            return null;
        }
        byte[] out = new byte[maxOut];
        int op = 0;
        int ip = 0;
        int litStart = 0; // literals pending: in[litStart, ip)
        while (ip + 2 < inLen) {
            int v = ((in[ip] & 0xff) << 16) | ((in[ip + 1] & 0xff) << 8) | (in[ip + 2] & 0xff);
            int h = (int) (((v * 2654435761L) & 0xffffffffL) >>> (32 - HASH_BITS));
            int ref = table[h];
            table[h] = ip;
            if (ref >= 0 && ref < ip && ip - ref - 1 < MAX_OFFSET && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]
                    && in[ref + 2] == in[ip + 2]) {
                int len = 3;
                int maxLen = Math.min(MAX_REF, inLen - ip);
                while (len < maxLen && in[ref + len] == in[ip + len]) {
                    len++;
                }
                op = literals(in, litStart, ip, out, op);
                int off = ip - ref - 1;
                int l = len - 2;
                if (op < 0 || op + (l < 7 ? 2 : 3) > maxOut) {
                    return null;
                }
                if (l < 7) {
                    out[op++] = (byte) ((l << 5) | (off >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (off >>> 8));
                    out[op++] = (byte) (l - 7);
                }
                out[op++] = (byte) off;
                ip += len;
                litStart = ip;
            } else {
                ip++;
            }
        }
        op = literals(in, litStart, inLen, out, op);
        return op < 0 ? null : java.util.Arrays.copyOf(out, op);
    }

    /** Writes {@code in[from, to)} as literal runs at {@code op}; the new position, or -1 when out is full. */
    private static int literals(byte[] in, int from, int to, byte[] out, int op) {
        if (op < 0) {
            return -1;
        }
        while (from < to) {
            int run = Math.min(MAX_LITERAL, to - from);
            if (op + 1 + run > out.length) {
                return -1;
            }
            out[op++] = (byte) (run - 1);
            System.arraycopy(in, from, out, op, run);
            op += run;
            from += run;
        }
        return op;
    }

    /** Decompresses {@code in} into exactly {@code outLen} bytes. */
    public static byte[] decompress(byte[] in, int outLen) throws RdbFormatException {
        byte[] out = new byte[outLen];
        int ip = 0;
        int op = 0;
        try {
            while (ip < in.length) {
                int ctrl = in[ip++] & 0xff;
                if (ctrl < 32) {
                    int len = ctrl + 1;
                    System.arraycopy(in, ip, out, op, len);
                    ip += len;
                    op += len;
                } else {
                    int len = ctrl >>> 5;
                    if (len == 7) {
                        len += in[ip++] & 0xff;
                    }
                    len += 2;
                    int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                    if (ref < 0) {
                        throw new RdbFormatException("LZF back reference before the start");
                    }
                    for (int i = 0; i < len; i++) {
                        out[op++] = out[ref++]; // byte by byte: a reference may overlap its output
                    }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RdbFormatException("LZF data does not decompress to " + outLen + " bytes");
        }
        if (op != outLen) {
            throw new RdbFormatException("LZF data decompresses to " + op + " bytes, not " + outLen);
        }
        return out;
    }
}
