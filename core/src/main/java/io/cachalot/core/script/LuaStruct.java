package io.cachalot.core.script;

import io.cachalot.core.script.LuaLibraries.Buf;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The struct library (Roberto Ierusalimschy's, Redis' copy): struct.pack, struct.unpack and
 * struct.size over binary strings, with the C library's sizes on x86-64 (short 2, int 4, long and
 * size_t 8, float 4, double 8), native little-endian order by default, alignment off by default and
 * at most 8 with '!', integers of up to 32 bytes through a 64-bit integer, and its error messages.
 */
final class LuaStruct {
    private static final int BIG = 0;
    private static final int LITTLE = 1;
    private static final int MAXINTSIZE = 32;
    private static final int MAXALIGN = 8;

    private final LuaLibraries lib;
    private final Lua51Natives n;
    private final Buf out = new Buf(64);

    /** Parsing state: the format (up to its first NUL) and the position in it. */
    private byte[] fmt;
    private int fmtLen;
    private int at;
    private int endian;
    private int align;

    private LuaStruct(LuaLibraries lib) {
        this.lib = lib;
        this.n = lib.n;
    }

    static void open(LuaLibraries lib, long L) {
        LuaStruct s = new LuaStruct(lib);
        lib.n.lua_createtable(L, 0, 3);
        lib.function(L, "pack", s::pack);
        lib.function(L, "unpack", s::unpack);
        lib.function(L, "size", s::size);
    }

    private void format(long p) {
        fmt = lib.checkString(p, 1);
        int len = 0;
        while (len < fmt.length && fmt[len] != 0) {
            len++;
        }
        fmtLen = len;
        at = 0;
        endian = LITTLE;
        align = 1;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private int getnum(int df) {
        if (at >= fmtLen || !isDigit(fmt[at])) {
            return df;
        }
        int a = 0;
        do {
            int d = fmt[at] - '0';
            if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) {
                throw lib.error("integral size overflow");
            }
            a = a * 10 + d;
            at++;
        } while (at < fmtLen && isDigit(fmt[at]));
        return a;
    }

    private long optsize(int opt) {
        switch (opt) {
            case 'B':
            case 'b':
            case 'x':
                return 1;
            case 'H':
            case 'h':
                return 2;
            case 'L':
            case 'l':
            case 'T':
            case 'd':
                return 8;
            case 'f':
                return 4;
            case 'c':
                return getnum(1);
            case 'i':
            case 'I': {
                int sz = getnum(4);
                if (sz > MAXINTSIZE) {
                    throw lib.error("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
                }
                return sz;
            }
            default:
                return 0;
        }
    }

    private long gettoalign(long len, int opt, long size) {
        if (size == 0 || opt == 'c') {
            return 0;
        }
        if (Long.compareUnsigned(size, align) > 0) {
            size = align;
        }
        return (size - (len & (size - 1))) & (size - 1);
    }

    private void controloptions(long p, int opt) {
        switch (opt) {
            case ' ':
                return;
            case '>':
                endian = BIG;
                return;
            case '<':
                endian = LITTLE;
                return;
            case '!': {
                int a = getnum(MAXALIGN);
                if (!(a > 0 && (a & (a - 1)) == 0)) {
                    throw lib.error("alignment " + a + " is not a power of 2");
                }
                align = a;
                return;
            }
            default:
                throw lib.argError(p, 1, new byte[] {'i', 'n', 'v', 'a', 'l', 'i', 'd', ' ', 'f', 'o', 'r', 'm', 'a', 't', ' ',
                    'o', 'p', 't', 'i', 'o', 'n', ' ', '\'', (byte) opt, '\''});
        }
    }

    private static boolean isAlnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    // ------------------------------------------------------------------ pack

    private int pack(long p) {
        format(p);
        // the C code pushes a nil after the arguments (and its buffer's pieces above it): a missing
        // argument is read as that nil
        int mark = n.lua_gettop(p) + 1;
        n.lua_pushnil(p);
        Buf b = out;
        b.reset();
        try {
            int arg = 2;
            long total = 0;
            while (at < fmtLen) {
                int opt = fmt[at++] & 0xff;
                long size = optsize(opt);
                long toalign = gettoalign(total, opt, size);
                total += toalign;
                while (toalign-- > 0) {
                    add(0);
                }
                switch (opt) {
                    case 'b':
                    case 'B':
                    case 'h':
                    case 'H':
                    case 'l':
                    case 'L':
                    case 'T':
                    case 'i':
                    case 'I':
                        putInteger(lib.checkNumber(p, arg++), (int) size);
                        break;
                    case 'x':
                        add(0);
                        break;
                    case 'f': {
                        int bits = Float.floatToRawIntBits((float) lib.checkNumber(p, arg++));
                        putBits(bits & 0xffffffffL, 4);
                        break;
                    }
                    case 'd': {
                        long bits = Double.doubleToRawLongBits(lib.checkNumber(p, arg++));
                        putBits(bits, 8);
                        break;
                    }
                    case 'c':
                    case 's': {
                        byte[] s = lib.checkString(p, arg++);
                        if (size == 0) {
                            size = s.length;
                        }
                        if (Long.compareUnsigned(s.length, size) < 0) {
                            throw lib.argError(p, arg, "string too short");
                        }
                        add(s, 0, (int) size);
                        if (opt == 's') {
                            add(0);
                            size++;
                        }
                        break;
                    }
                    default:
                        controloptions(p, opt);
                }
                total += size;
            }
            n.lua_settop(p, mark);
            lib.push(p, b.b, 0, b.len);
        } finally {
            b.trim();
        }
        return 1;
    }

    private void add(int v) {
        out.put(v);
    }

    private void add(byte[] s, int off, int len) {
        out.put(s, off, len);
    }

    private final byte[] scratch = new byte[MAXINTSIZE];

    private void putInteger(double d, int size) {
        long value = d < 0 ? LuaLibraries.toInt64(d) : LuaLibraries.toUint64(d);
        byte[] t = scratch;
        if (endian == LITTLE) {
            for (int i = 0; i < size; i++) {
                t[i] = (byte) value;
                value >>>= 8;
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                t[i] = (byte) value;
                value >>>= 8;
            }
        }
        add(t, 0, size);
    }

    /** A float's or double's bytes in the chosen order. */
    private void putBits(long bits, int size) {
        byte[] t = scratch;
        for (int i = 0; i < size; i++) {
            int shift = 8 * (endian == LITTLE ? i : size - 1 - i);
            t[i] = (byte) (bits >>> shift);
        }
        add(t, 0, size);
    }

    // ------------------------------------------------------------------ unpack

    private int unpack(long p) {
        format(p);
        byte[] data = lib.checkString(p, 2);
        long ld = data.length;
        long pos = lib.optInteger(p, 3, 1);
        if (pos == 0) {
            throw lib.argError(p, 3, "offset must be 1 or greater");
        }
        pos--;
        int results = 0;
        while (at < fmtLen) {
            int opt = fmt[at++] & 0xff;
            long size = optsize(opt);
            pos += gettoalign(pos, opt, size);
            checkRoom(p, size, pos, ld);
            if (n.lua_checkstack(p, 2) == 0) {
                throw lib.error("stack overflow (too many results)");
            }
            switch (opt) {
                case 'b':
                case 'B':
                case 'h':
                case 'H':
                case 'l':
                case 'L':
                case 'T':
                case 'i':
                case 'I':
                    n.lua_pushnumber(p, getInteger(data, (int) pos, opt >= 'a', (int) size));
                    results++;
                    break;
                case 'x':
                    break;
                case 'f':
                    n.lua_pushnumber(p, Float.intBitsToFloat((int) getBits(data, (int) pos, 4)));
                    results++;
                    break;
                case 'd':
                    n.lua_pushnumber(p, Double.longBitsToDouble(getBits(data, (int) pos, 8)));
                    results++;
                    break;
                case 'c':
                    if (size == 0) {
                        if (results == 0 || n.lua_isnumber(p, -1) == 0) {
                            throw lib.error("format 'c0' needs a previous size");
                        }
                        size = LuaLibraries.toUint64(n.lua_tonumber(p, -1));
                        n.lua_settop(p, -2);
                        results--;
                        checkRoom(p, size, pos, ld);
                    }
                    lib.push(p, data, (int) pos, (int) size);
                    results++;
                    break;
                case 's': {
                    int e = (int) pos;
                    while (e < data.length && data[e] != 0) {
                        e++;
                    }
                    if (e == data.length) {
                        throw lib.error("unfinished string in data");
                    }
                    size = e - pos + 1;
                    lib.push(p, data, (int) pos, (int) size - 1);
                    results++;
                    break;
                }
                default:
                    controloptions(p, opt);
            }
            pos += size;
        }
        n.lua_pushnumber(p, pos + 1);
        return results + 1;
    }

    /** luaL_argcheck(size <= ld && pos <= ld - size, 2, "data string too short"), unsigned. */
    private void checkRoom(long p, long size, long pos, long ld) {
        if (Long.compareUnsigned(size, ld) > 0 || Long.compareUnsigned(pos, ld - size) > 0) {
            throw lib.argError(p, 2, "data string too short");
        }
    }

    /**
     * An integer of {@code size} bytes, accumulated in 64 bits as the C code does (bytes beyond
     * eight shift out); the sign mask is built with a shift x86 takes modulo 64, as Java does.
     */
    private double getInteger(byte[] data, int pos, boolean signed, int size) {
        long l = 0;
        if (endian == BIG) {
            for (int i = 0; i < size; i++) {
                l = (l << 8) | (data[pos + i] & 0xff);
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                l = (l << 8) | (data[pos + i] & 0xff);
            }
        }
        if (!signed) {
            return LuaLibraries.unsignedToDouble(l);
        }
        long mask = -1L << (size * 8 - 1);
        if ((l & mask) != 0) {
            l |= mask;
        }
        return (double) l;
    }

    private long getBits(byte[] data, int pos, int size) {
        long bits = 0;
        for (int i = 0; i < size; i++) {
            int shift = 8 * (endian == LITTLE ? i : size - 1 - i);
            bits |= (long) (data[pos + i] & 0xff) << shift;
        }
        return bits;
    }

    // ------------------------------------------------------------------ size

    private int size(long p) {
        format(p);
        long pos = 0;
        while (at < fmtLen) {
            int opt = fmt[at++] & 0xff;
            long size = optsize(opt);
            pos += gettoalign(pos, opt, size);
            if (opt == 's') {
                throw lib.argError(p, 1, "option 's' has no fixed size");
            } else if (opt == 'c' && size == 0) {
                throw lib.argError(p, 1, "option 'c0' has no fixed size");
            }
            if (!isAlnum(opt)) {
                controloptions(p, opt);
            }
            pos += size;
        }
        n.lua_pushnumber(p, pos);
        return 1;
    }
}
