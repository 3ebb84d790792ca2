package io.cachalot.core.types.hll;

import io.cachalot.core.types.string.MutableString;

/**
 * Redis' HyperLogLog, byte for byte: a string starting with the 16-byte header ("HYLL", the
 * encoding, three zero bytes, the cached cardinality little-endian with its top bit set when
 * stale), then 16384 six-bit registers, either dense (12,288 bytes, the registers packed
 * least-significant bit first) or sparse (run-length opcodes: ZERO 00xxxxxx for 1-64 zero
 * registers, XZERO 01xxxxxx yyyyyyyy for 1-16384, VAL 1vvvvvxx for 1-4 registers of value 1-32).
 * Elements are hashed with MurmurHash64A as Redis does (seed 0xadc83b19, little-endian words),
 * and the cardinality is Ertl's estimator as in Redis 7.0, so counts and bytes equal Redis'.
 */
public final class HyperLogLog {
    public static final int REGISTERS = 1 << 14;
    public static final int HEADER = 16;
    public static final int DENSE_SIZE = HEADER + (REGISTERS * 6 + 7) / 8;
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    private static final int Q = 50;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;
    private static final int XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;

    private HyperLogLog() {
    }

    // ------------------------------------------------------------------ the value

    /** A new, empty HLL: sparse, one XZERO covering every register, cached cardinality 0. */
    public static MutableString create() {
        byte[] s = new byte[HEADER + 2];
        s[0] = 'H';
        s[1] = 'Y';
        s[2] = 'L';
        s[3] = 'L';
        s[4] = SPARSE;
        s[HEADER] = (byte) (0x40 | ((XZERO_MAX_LEN - 1) >>> 8));
        s[HEADER + 1] = (byte) ((XZERO_MAX_LEN - 1) & 0xff);
        return MutableString.of(s, 0);
    }

    /** Whether the first {@code len} bytes of {@code s} pass Redis' check (magic, encoding, dense size). */
    public static boolean isValid(byte[] s, int len) {
        if (len < HEADER || s[0] != 'H' || s[1] != 'Y' || s[2] != 'L' || s[3] != 'L') {
            return false;
        }
        int encoding = s[4] & 0xff;
        return encoding == SPARSE || (encoding == DENSE && len == DENSE_SIZE);
    }

    public static int encoding(byte[] s) {
        return s[4];
    }

    public static boolean cacheValid(byte[] s) {
        return (s[15] & 0x80) == 0;
    }

    public static void invalidateCache(byte[] s) {
        s[15] |= (byte) 0x80;
    }

    public static long cachedCardinality(byte[] s) {
        long c = 0;
        for (int i = 7; i >= 0; i--) {
            c = (c << 8) | (s[8 + i] & 0xff);
        }
        return c;
    }

    public static void setCachedCardinality(byte[] s, long card) {
        for (int i = 0; i < 8; i++) {
            s[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ------------------------------------------------------------------ hashing

    /** MurmurHash2, 64-bit, as Redis computes it on every architecture. */
    public static long murmurHash64A(byte[] key, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = seed ^ (len * m);
        int i = 0;
        int end = len - (len & 7);
        for (; i < end; i += 8) {
            long k = 0;
            for (int b = 7; b >= 0; b--) {
                k = (k << 8) | (key[i + b] & 0xff);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = len & 7;
        if (rest > 0) {
            for (int b = rest - 1; b >= 0; b--) {
                h ^= (long) (key[i + b] & 0xff) << (8 * b);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** The register an element goes to ({@code >>> 8}) and its run of zeros plus one ({@code & 0xff}). */
    public static int patLen(byte[] element) {
        long hash = murmurHash64A(element, 0xadc83b19L);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= 14;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return index << 8 | count;
    }

    // ------------------------------------------------------------------ registers

    static int denseGet(byte[] s, int reg) {
        int bit = reg * 6;
        int b = HEADER + (bit >>> 3);
        int fb = bit & 7;
        int b0 = s[b] & 0xff;
        int b1 = b + 1 < s.length ? s[b + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & 63;
    }

    static void denseSet(byte[] s, int reg, int val) {
        int bit = reg * 6;
        int b = HEADER + (bit >>> 3);
        int fb = bit & 7;
        s[b] = (byte) ((s[b] & ~(63 << fb)) | (val << fb));
        if (b + 1 < s.length) {
            s[b + 1] = (byte) ((s[b + 1] & ~(63 >>> (8 - fb))) | (val >>> (8 - fb)));
        }
    }

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static int xzeroLen(byte[] s, int p) {
        int low = p + 1 < s.length ? s[p + 1] & 0xff : 0;
        return (((s[p] & 0x3f) << 8) | low) + 1;
    }

    /** The value of register {@code reg} (of a valid HLL), or -1 when a sparse one ends before it. */
    public static int get(byte[] s, int len, int reg) {
        if (encoding(s) == DENSE) {
            return denseGet(s, reg);
        }
        long first = 0;
        int p = HEADER;
        while (p < len) {
            int op = s[p] & 0xff;
            long span;
            int value = 0;
            int oplen = 1;
            if (isZero(op)) {
                span = (op & 0x3f) + 1;
            } else if ((op & 0x80) != 0) {
                span = (op & 3) + 1;
                value = ((op >>> 2) & 0x1f) + 1;
            } else {
                span = xzeroLen(s, p);
                oplen = 2;
            }
            if (reg <= first + span - 1) {
                return value;
            }
            p += oplen;
            first += span;
        }
        return -1;
    }

    /**
     * Raises register {@code reg} to {@code count} if lower (hllDenseSet / hllSparseSet): 1 when
     * it changed, 0 when not, -1 for a corrupt sparse representation. A sparse HLL turns dense
     * when the value does not fit its opcodes or it would grow past {@code sparseMaxBytes}.
     */
    public static int set(MutableString o, int reg, int count, long sparseMaxBytes) {
        byte[] s = o.array();
        if (encoding(s) == DENSE) {
            if (count > denseGet(s, reg)) {
                denseSet(s, reg, count);
                return 1;
            }
            return 0;
        }
        return sparseSet(o, reg, count, sparseMaxBytes);
    }

    private static int sparseSet(MutableString o, int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promote(o, index, count);
        }
        byte[] s = o.array();
        int end = (int) o.length();
        int p = HEADER;
        long first = 0;
        int prev = -1;
        long span = 0;
        while (p < end) {
            int op = s[p] & 0xff;
            int oplen = 1;
            if (isZero(op)) {
                span = (op & 0x3f) + 1;
            } else if ((op & 0x80) != 0) {
                span = (op & 3) + 1;
            } else {
                span = xzeroLen(s, p);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int op = s[p] & 0xff;
        int next = isXzero(op) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean zero = isZero(op);
        boolean xzero = isXzero(op);
        boolean val = !zero && !xzero;
        long runlen = zero ? (op & 0x3f) + 1 : xzero ? xzeroLen(s, p) : (op & 3) + 1;
        updated:
        {
            if (val) {
                int old = ((op >>> 2) & 0x1f) + 1;
                if (old >= count) {
                    return 0;
                }
                if (runlen == 1) {
                    s[p] = valOp(count, 1);
                    break updated;
                }
            }
            if (zero && runlen == 1) {
                s[p] = valOp(count, 1);
                break updated;
            }
            // split the opcode into up to three: what comes before the register, it, what follows
            byte[] seq = new byte[5];
            int n = 0;
            long last = first + span - 1;
            if (zero || xzero) {
                if (index != first) {
                    n = zeros(seq, n, index - first);
                }
                seq[n++] = valOp(count, 1);
                if (index != last) {
                    n = zeros(seq, n, last - index);
                }
            } else {
                int cur = ((op >>> 2) & 0x1f) + 1;
                if (index != first) {
                    seq[n++] = valOp(cur, (int) (index - first));
                }
                seq[n++] = valOp(count, 1);
                if (index != last) {
                    seq[n++] = valOp(cur, (int) (last - index));
                }
            }
            int oldLen = xzero ? 2 : 1;
            int delta = n - oldLen;
            if (delta > 0 && end + delta > sparseMaxBytes) {
                return promote(o, index, count);
            }
            if (delta > 0) {
                o.setLength(end + delta);
                s = o.array();
                if (next != -1) {
                    System.arraycopy(s, next, s, next + delta, end - next);
                }
            } else if (delta < 0) {
                if (next != -1) {
                    System.arraycopy(s, next, s, next + delta, end - next);
                }
                o.setLength(end + delta);
            }
            System.arraycopy(seq, 0, s, p, n);
            end += delta;
        }
        // merge adjacent VAL opcodes of equal value, from the previous opcode on (up to 5 looks)
        p = prev >= 0 ? prev : HEADER;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int at = s[p] & 0xff;
            if (isXzero(at)) {
                p += 2;
                continue;
            }
            if (isZero(at)) {
                p++;
                continue;
            }
            if (p + 1 < end && (s[p + 1] & 0x80) != 0) {
                int v1 = ((at >>> 2) & 0x1f) + 1;
                int v2 = ((s[p + 1] >>> 2) & 0x1f) + 1;
                if (v1 == v2) {
                    int len = (at & 3) + 1 + (s[p + 1] & 3) + 1;
                    if (len <= VAL_MAX_LEN) {
                        s[p + 1] = valOp(v1, len);
                        System.arraycopy(s, p + 1, s, p, end - p - 1);
                        o.setLength(end - 1);
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache(s);
        return 1;
    }

    private static byte valOp(int value, int len) {
        return (byte) (0x80 | ((value - 1) << 2) | (len - 1));
    }

    /** Writes a ZERO (up to 64) or XZERO run of {@code len} registers at {@code n}; returns the next index. */
    private static int zeros(byte[] seq, int n, long len) {
        if (len > ZERO_MAX_LEN) {
            int l = (int) len - 1;
            seq[n] = (byte) (0x40 | (l >>> 8));
            seq[n + 1] = (byte) (l & 0xff);
            return n + 2;
        }
        seq[n] = (byte) (len - 1);
        return n + 1;
    }

    private static int promote(MutableString o, int index, int count) {
        if (!toDense(o)) {
            return -1;
        }
        byte[] s = o.array();
        if (count > denseGet(s, index)) {
            denseSet(s, index, count);
        }
        return 1;
    }

    /** Turns a sparse HLL dense (header kept); false when its opcodes do not cover exactly every register. */
    public static boolean toDense(MutableString o) {
        byte[] s = o.array();
        if (encoding(s) == DENSE) {
            return true;
        }
        int end = (int) o.length();
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(s, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        int idx = 0;
        int p = HEADER;
        while (p < end) {
            int op = s[p] & 0xff;
            if (isZero(op)) {
                idx += (op & 0x3f) + 1;
                p++;
            } else if (isXzero(op)) {
                idx += xzeroLen(s, p);
                p += 2;
            } else {
                int run = (op & 3) + 1;
                int value = ((op >>> 2) & 0x1f) + 1;
                if (run + idx > REGISTERS) {
                    // registers past the last: corrupt (the reference server refuses it, even
                    // when the opcodes before covered every register)
                    return false;
                }
                while (run-- > 0) {
                    denseSet(dense, idx++, value);
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            return false;
        }
        o.replaceWith(dense);
        return true;
    }

    /**
     * Raises {@code max[i]} to every register of the HLL in the first {@code len} bytes of
     * {@code s}; false for a corrupt sparse representation.
     */
    public static boolean merge(byte[] max, byte[] s, int len) {
        if (encoding(s) == DENSE) {
            // four 6-bit registers per three bytes
            for (int g = 0, b = HEADER; g < REGISTERS; g += 4, b += 3) {
                int b0 = s[b] & 0xff;
                int b1 = s[b + 1] & 0xff;
                int b2 = s[b + 2] & 0xff;
                raise(max, g, b0 & 63);
                raise(max, g + 1, (b0 >>> 6 | b1 << 2) & 63);
                raise(max, g + 2, (b1 >>> 4 | b2 << 4) & 63);
                raise(max, g + 3, b2 >>> 2);
            }
            return true;
        }
        int i = 0;
        int p = HEADER;
        while (p < len) {
            int op = s[p] & 0xff;
            if (isZero(op)) {
                i += (op & 0x3f) + 1;
                p++;
            } else if (isXzero(op)) {
                i += xzeroLen(s, p);
                p += 2;
            } else {
                int run = (op & 3) + 1;
                int value = ((op >>> 2) & 0x1f) + 1;
                if (run + i > REGISTERS) {
                    return false;
                }
                while (run-- > 0) {
                    if (value > max[i]) {
                        max[i] = (byte) value;
                    }
                    i++;
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    // ------------------------------------------------------------------ the estimate

    /** The cardinality of the HLL in the first {@code len} bytes of {@code s}, or -1 when its sparse form is corrupt. */
    public static long count(byte[] s, int len) {
        int[] histo = new int[64];
        if (encoding(s) == DENSE) {
            for (int b = HEADER; b < DENSE_SIZE; b += 3) {
                int b0 = s[b] & 0xff;
                int b1 = s[b + 1] & 0xff;
                int b2 = s[b + 2] & 0xff;
                histo[b0 & 63]++;
                histo[(b0 >>> 6 | b1 << 2) & 63]++;
                histo[(b1 >>> 4 | b2 << 4) & 63]++;
                histo[b2 >>> 2]++;
            }
        } else {
            int idx = 0;
            int p = HEADER;
            while (p < len) {
                int op = s[p] & 0xff;
                if (isZero(op)) {
                    int run = (op & 0x3f) + 1;
                    idx += run;
                    histo[0] += run;
                    p++;
                } else if (isXzero(op)) {
                    int run = xzeroLen(s, p);
                    idx += run;
                    histo[0] += run;
                    p += 2;
                } else {
                    int run = (op & 3) + 1;
                    idx += run;
                    histo[((op >>> 2) & 0x1f) + 1] += run;
                    p++;
                }
            }
            if (idx != REGISTERS) {
                return -1;
            }
        }
        return estimate(histo);
    }

    private static void raise(byte[] max, int i, int v) {
        if (v > max[i]) {
            max[i] = (byte) v;
        }
    }

    /** The cardinality of 16384 registers held one per byte (PFCOUNT of several keys). */
    public static long countRaw(byte[] registers) {
        int[] histo = new int[64];
        for (int i = 0; i < REGISTERS; i++) {
            histo[registers[i] & 63]++;
        }
        return estimate(histo);
    }

    /** Ertl's improved estimator (arXiv:1702.01284), as hllCount computes it. */
    private static long estimate(int[] histo) {
        double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        double e = ALPHA_INF * m * m / z;
        long r = (long) e;
        return e - r >= 0.5 ? r + 1 : r;
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (zPrime != z);
        return z / 3;
    }

    // ------------------------------------------------------------------ PFDEBUG DECODE

    /** The sparse opcodes as PFDEBUG DECODE prints them ("z:len", "Z:len", "v:value,len"). */
    public static String decode(byte[] s, int len) {
        StringBuilder b = new StringBuilder();
        int p = HEADER;
        while (p < len) {
            int op = s[p] & 0xff;
            if (b.length() > 0) {
                b.append(' ');
            }
            if (isZero(op)) {
                b.append("z:").append((op & 0x3f) + 1);
                p++;
            } else if (isXzero(op)) {
                b.append("Z:").append(xzeroLen(s, p));
                p += 2;
            } else {
                b.append("v:").append(((op >>> 2) & 0x1f) + 1).append(',').append((op & 3) + 1);
                p++;
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ PFSELFTEST

    /** Redis' self test of the register code and the estimator's error; null when it passes, else why not. */
    public static String selfTest(java.util.Random rnd, long sparseMaxBytes) {
        byte[] dense = new byte[DENSE_SIZE];
        dense[4] = DENSE;
        byte[] expected = new byte[REGISTERS];
        for (int cycle = 0; cycle < 1000; cycle++) {
            for (int i = 0; i < REGISTERS; i++) {
                int r = rnd.nextInt(64);
                expected[i] = (byte) r;
                denseSet(dense, i, r);
            }
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(dense, i);
                if (v != expected[i]) {
                    return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + v;
                }
            }
        }
        java.util.Arrays.fill(dense, HEADER, DENSE_SIZE, (byte) 0);
        MutableString sparse = create();
        double relErr = 1.04 / Math.sqrt(REGISTERS);
        long checkpoint = 1;
        long seed = rnd.nextLong();
        byte[] ele = new byte[8];
        for (long j = 1; j <= 10_000_000; j++) {
            long v = j ^ seed;
            for (int b = 0; b < 8; b++) {
                ele[b] = (byte) (v >>> (8 * b));
            }
            int pl = patLen(ele);
            int reg = pl >>> 8;
            int count = pl & 0xff;
            if (count > denseGet(dense, reg)) {
                denseSet(dense, reg, count);
            }
            set(sparse, reg, count, sparseMaxBytes);
            if (j == checkpoint) {
                byte[] s = sparse.array();
                if (j < sparseMaxBytes / 2 && encoding(s) != SPARSE) {
                    return "TESTFAILED sparse encoding not used";
                }
                long c = count(dense, DENSE_SIZE);
                if (c != count(s, (int) sparse.length())) {
                    return "TESTFAILED dense/sparse disagree";
                }
                long absErr = Math.abs(checkpoint - c);
                long maxErr = j == 10 ? 1 : (long) Math.ceil(relErr * 6 * checkpoint);
                if (absErr > maxErr) {
                    return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + absErr;
                }
                checkpoint *= 10;
            }
        }
        return null;
    }
}
