package io.cachalot.core.persist.rdb;

import io.cachalot.core.types.listpack.Listpack;
import io.cachalot.core.util.Numbers;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis' packed encodings as they travel in RDB strings: listpack (written and read), and, for
 * files of older versions, ziplist, zipmap and intset (intset also written). Elements come out as
 * byte strings; packed integers as their decimal text, as Redis' readers return them.
 */
public final class Packed {
    private Packed() {
    }

    // ------------------------------------------------------------------ listpack

    /** Builds a listpack: strings that are canonical decimals are stored as integers, as lpAppend does. */
    public static final class ListpackWriter {
        private final Listpack lp = new Listpack(64);

        public void add(byte[] s, int off, int len) {
            lp.append(s, off, len);
        }

        public void add(byte[] s) {
            lp.append(s);
        }

        public byte[] toByteArray() {
            return lp.toByteArray();
        }
    }

    /** The elements of a listpack, checked against its header as Redis' lpValidateIntegrity does. */
    public static List<byte[]> readListpack(byte[] bytes) throws RdbFormatException {
        Listpack lp = Listpack.of(bytes);
        if (lp == null) {
            throw new RdbFormatException("listpack integrity check failed");
        }
        List<byte[]> out = new ArrayList<>(lp.count());
        for (int p = lp.first(); p >= 0; p = lp.next(p)) {
            out.add(lp.bytesAt(p));
        }
        return out;
    }

    // ------------------------------------------------------------------ ziplist (RDB 9 and before)

    public static List<byte[]> readZiplist(byte[] zl) throws RdbFormatException {
        if (zl.length < 11 || le(zl, 0, 4) != zl.length || zl[zl.length - 1] != (byte) 0xFF) {
            throw new RdbFormatException("ziplist header or terminator wrong");
        }
        int declared = (int) le(zl, 8, 2);
        List<byte[]> out = new ArrayList<>();
        int p = 10;
        int end = zl.length - 1;
        try {
            while (p < end) {
                p += (zl[p] & 0xff) == 0xFE ? 5 : 1; // previous entry length
                int b = zl[p] & 0xff;
                switch (b >>> 6) {
                    case 0: {
                        int len = b & 0x3f;
                        out.add(copy(zl, p + 1, len));
                        p += 1 + len;
                        continue;
                    }
                    case 1: {
                        int len = ((b & 0x3f) << 8) | (zl[p + 1] & 0xff);
                        out.add(copy(zl, p + 2, len));
                        p += 2 + len;
                        continue;
                    }
                    case 2: {
                        long len = ((long) (zl[p + 1] & 0xff) << 24) | ((zl[p + 2] & 0xff) << 16)
                                | ((zl[p + 3] & 0xff) << 8) | (zl[p + 4] & 0xff);
                        if (len > end - p) {
                            throw new RdbFormatException("ziplist string past the end");
                        }
                        out.add(copy(zl, p + 5, (int) len));
                        p += 5 + (int) len;
                        continue;
                    }
                    default:
                        break;
                }
                if (b == 0xC0) {
                    out.add(dec((short) le(zl, p + 1, 2)));
                    p += 3;
                } else if (b == 0xD0) {
                    out.add(dec((int) le(zl, p + 1, 4)));
                    p += 5;
                } else if (b == 0xE0) {
                    out.add(dec(le(zl, p + 1, 8)));
                    p += 9;
                } else if (b == 0xF0) {
                    long u = le(zl, p + 1, 3);
                    out.add(dec(u >= (1 << 23) ? u - (1 << 24) : u));
                    p += 4;
                } else if (b == 0xFE) {
                    out.add(dec(zl[p + 1]));
                    p += 2;
                } else if (b >= 0xF1 && b <= 0xFD) {
                    out.add(dec((b & 0x0f) - 1));
                    p += 1;
                } else {
                    throw new RdbFormatException("bad ziplist encoding " + b);
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RdbFormatException("ziplist entry past the end");
        }
        if (p != end || (declared != 65535 && declared != out.size())) {
            throw new RdbFormatException("ziplist entries do not match its header");
        }
        return out;
    }

    // ------------------------------------------------------------------ zipmap (very old hashes)

    /** Field, value, field, value ... of a zipmap. */
    public static List<byte[]> readZipmap(byte[] zm) throws RdbFormatException {
        List<byte[]> out = new ArrayList<>();
        int p = 1;
        try {
            while ((zm[p] & 0xff) != 0xFF) {
                int[] lenAndSize = zipmapLen(zm, p);
                p += lenAndSize[1];
                out.add(copy(zm, p, lenAndSize[0]));
                p += lenAndSize[0];
                lenAndSize = zipmapLen(zm, p);
                p += lenAndSize[1];
                int free = zm[p] & 0xff;
                p++;
                out.add(copy(zm, p, lenAndSize[0]));
                p += lenAndSize[0] + free;
            }
        } catch (IndexOutOfBoundsException e) {
            throw new RdbFormatException("zipmap entry past the end");
        }
        if (p != zm.length - 1) {
            throw new RdbFormatException("zipmap does not end where it should");
        }
        return out;
    }

    private static int[] zipmapLen(byte[] zm, int p) {
        int b = zm[p] & 0xff;
        if (b < 254) {
            return new int[] {b, 1};
        }
        return new int[] {(int) le(zm, p + 1, 4), 5};
    }

    // ------------------------------------------------------------------ intset

    /** The members of an intset blob (encoding 2, 4 or 8 bytes, then the count, then sorted values). */
    public static List<byte[]> readIntset(byte[] is) throws RdbFormatException {
        if (is.length < 8) {
            throw new RdbFormatException("intset too short");
        }
        int width = (int) le(is, 0, 4);
        long n = le(is, 4, 4);
        if ((width != 2 && width != 4 && width != 8) || 8 + n * width != is.length) {
            throw new RdbFormatException("intset size wrong");
        }
        List<byte[]> out = new ArrayList<>((int) n);
        long prev = 0;
        for (int i = 0; i < n; i++) {
            long raw = le(is, 8 + i * width, width);
            long v = width == 2 ? (short) raw : width == 4 ? (int) raw : raw;
            if (i > 0 && v <= prev) {
                throw new RdbFormatException("intset not sorted");
            }
            prev = v;
            out.add(dec(v));
        }
        return out;
    }

    /** An intset blob of sorted, distinct values (Redis' layout: the smallest width that holds them all). */
    public static byte[] writeIntset(long[] sorted) {
        int width = 2;
        for (long v : sorted) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
                break;
            }
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                width = 4;
            }
        }
        RdbOutput out = new RdbOutput(8 + sorted.length * width, false);
        out.writeLittleEndian(width, 4);
        out.writeLittleEndian(sorted.length, 4);
        for (long v : sorted) {
            out.writeLittleEndian(v, width);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ helpers

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (b[off + i] & 0xff) << (8 * i);
        }
        return v;
    }

    private static byte[] copy(byte[] b, int off, int len) {
        if (off + len > b.length) {
            throw new IndexOutOfBoundsException();
        }
        return java.util.Arrays.copyOfRange(b, off, off + len);
    }

    private static byte[] dec(long v) {
        return Numbers.toBytes(v);
    }
}
