package io.cachalot.core.script;

import io.cachalot.core.script.LuaLibraries.Buf;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The cmsgpack library (lua-cmsgpack 0.4.0, Redis' copy): MessagePack encoding of Lua values.
 * Tables whose keys are exactly 1..n become arrays, others maps; numbers equal to a 64-bit integer
 * use the smallest integer encoding, others a float when that is exact, else a double; tables are
 * encoded to a depth of 16 (deeper ones, and functions or userdata, become nil). Decoding knows
 * the formats the encoder produces (and the fixed ones), as the C library does. The Lua stack is
 * used as the C code uses it, so its limits are reached where Redis reaches them.
 */
final class LuaCmsgpack {
    private static final int MAX_NESTING = 16;
    private static final String TOO_MANY = "too many return values at once; use unpack_one or unpack_limit instead.";

    private final LuaLibraries lib;
    private final Lua51Natives n;
    private final Buf out = new Buf(256);

    private LuaCmsgpack(LuaLibraries lib) {
        this.lib = lib;
        this.n = lib.n;
    }

    static void open(LuaLibraries lib, long L) {
        LuaCmsgpack m = new LuaCmsgpack(lib);
        lib.n.lua_newtable(L);
        lib.function(L, "pack", m::pack);
        lib.function(L, "unpack", p -> m.unpackFull(p, 0, 0));
        lib.function(L, "unpack_one", m::unpackOne);
        lib.function(L, "unpack_limit", m::unpackLimit);
        lib.string(L, "_NAME", "cmsgpack");
        lib.string(L, "_VERSION", "lua-cmsgpack 0.4.0");
        lib.string(L, "_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
        lib.string(L, "_DESCRIPTION", "MessagePack C implementation for Lua");
    }

    private void checkStack(long p, int space, String what) {
        if (n.lua_checkstack(p, space) == 0) {
            throw lib.error("stack overflow (" + what + ")");
        }
    }

    // ------------------------------------------------------------------ encoding

    private int pack(long p) {
        int nargs = n.lua_gettop(p);
        if (nargs == 0) {
            throw lib.argError(p, 0, "MessagePack pack needs input.");
        }
        if (n.lua_checkstack(p, nargs) == 0) {
            throw lib.argError(p, 0, "Too many arguments for MessagePack pack.");
        }
        Buf b = out;
        b.reset();
        try {
            for (int i = 1; i <= nargs; i++) {
                checkStack(p, 1, "in function mp_check");
                n.lua_pushvalue(p, i);
                encode(p, b, 0);
                // the C code leaves each argument's encoding on the stack until it concatenates them
                n.lua_pushboolean(p, 0);
            }
            n.lua_settop(p, nargs);
            lib.push(p, b.b, 0, b.len);
        } finally {
            b.trim();
        }
        return 1;
    }

    /** Encodes and pops the value on top. */
    private void encode(long p, Buf b, int level) {
        int t = n.lua_type(p, -1);
        if (t == LuaLibraries.T_TABLE && level == MAX_NESTING) {
            t = LuaLibraries.T_NIL;
        }
        switch (t) {
            case LuaLibraries.T_STRING:
                encodeBytes(b, lib.view(p, -1));
                break;
            case LuaLibraries.T_BOOLEAN:
                b.put(n.lua_toboolean(p, -1) != 0 ? 0xc3 : 0xc2);
                break;
            case LuaLibraries.T_NUMBER:
                encodeNumber(b, n.lua_tonumber(p, -1));
                break;
            case LuaLibraries.T_TABLE:
                encodeTable(p, b, level);
                break;
            default:
                b.put(0xc0);
        }
        n.lua_settop(p, -2);
    }

    private static void encodeBytes(Buf b, java.nio.ByteBuffer s) {
        int len = s == null ? 0 : s.remaining();
        if (len < 32) {
            b.put(0xa0 | len);
        } else if (len <= 0xff) {
            b.put(0xd9);
            b.put(len);
        } else if (len <= 0xffff) {
            b.put(0xda);
            b.put(len >> 8);
            b.put(len);
        } else {
            b.put(0xdb);
            be(b, len, 4);
        }
        b.ensure(len);
        if (len > 0) {
            s.get(b.b, b.len, len);
        }
        b.len += len;
    }

    private static void be(Buf b, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            b.put((int) (v >>> (8 * i)));
        }
    }

    private static void encodeNumber(Buf b, double d) {
        long i = LuaLibraries.toInt64(d);
        if (!Double.isInfinite(d) && (double) i == d) {
            encodeInt(b, i);
            return;
        }
        float f = (float) d;
        if (d == (double) f) {
            b.put(0xca);
            be(b, Float.floatToRawIntBits(f), 4);
        } else {
            b.put(0xcb);
            be(b, Double.doubleToRawLongBits(d), 8);
        }
    }

    private static void encodeInt(Buf b, long v) {
        if (v >= 0) {
            if (v <= 127) {
                b.put((int) v);
            } else if (v <= 0xff) {
                b.put(0xcc);
                b.put((int) v);
            } else if (v <= 0xffff) {
                b.put(0xcd);
                be(b, v, 2);
            } else if (v <= 0xffffffffL) {
                b.put(0xce);
                be(b, v, 4);
            } else {
                b.put(0xcf);
                be(b, v, 8);
            }
        } else {
            if (v >= -32) {
                b.put((int) v);
            } else if (v >= -128) {
                b.put(0xd0);
                b.put((int) v);
            } else if (v >= -32768) {
                b.put(0xd1);
                be(b, v, 2);
            } else if (v >= -2147483648L) {
                b.put(0xd2);
                be(b, v, 4);
            } else {
                b.put(0xd3);
                be(b, v, 8);
            }
        }
    }

    private static void header(Buf b, long count, int fix, int x16, int x32) {
        if (count <= 15) {
            b.put(fix | (int) count);
        } else if (count <= 65535) {
            b.put(x16);
            be(b, count, 2);
        } else {
            b.put(x32);
            be(b, count, 4);
        }
    }

    private void encodeTable(long p, Buf b, int level) {
        lib.unwrap(p, -1);
        if (isArray(p)) {
            long len = n.lua_objlen(p, -1);
            header(b, len, 0x90, 0xdc, 0xdd);
            checkStack(p, 1, "in function mp_encode_lua_table_as_array");
            for (long j = 1; j <= len; j++) {
                n.lua_rawgeti(p, -1, (int) j);
                encode(p, b, level + 1);
            }
        } else {
            checkStack(p, 3, "in function mp_encode_lua_table_as_map");
            long len = 0;
            n.lua_pushnil(p);
            while (n.lua_next(p, -2) != 0) {
                n.lua_settop(p, -2);
                len++;
            }
            header(b, len, 0x80, 0xde, 0xdf);
            n.lua_pushnil(p);
            while (n.lua_next(p, -2) != 0) {
                n.lua_pushvalue(p, -2);
                encode(p, b, level + 1); // the key
                encode(p, b, level + 1); // the value
            }
        }
    }

    /** Whether the keys of the table on top are exactly the integers 1..count. */
    private boolean isArray(long p) {
        int top = n.lua_gettop(p);
        checkStack(p, 2, "in function table_is_an_array");
        int count = 0;
        int max = 0;
        n.lua_pushnil(p);
        while (n.lua_next(p, -2) != 0) {
            n.lua_settop(p, -2);
            double k;
            if (n.lua_type(p, -1) != LuaLibraries.T_NUMBER || (k = n.lua_tonumber(p, -1)) <= 0
                    || Double.isInfinite(k) || (double) LuaLibraries.toInt32(k) != k) {
                n.lua_settop(p, top);
                return false;
            }
            if (k > max) {
                max = (int) k;
            }
            count++;
        }
        n.lua_settop(p, top);
        return max == count;
    }

    // ------------------------------------------------------------------ decoding

    private int unpackOne(long p) {
        long offset = lib.optInteger(p, 2, 0);
        n.lua_settop(p, 1);
        return unpackFull(p, 1, offset);
    }

    private int unpackLimit(long p) {
        long limit = lib.checkInteger(p, 2);
        long offset = lib.optInteger(p, 3, 0);
        n.lua_settop(p, 1);
        return unpackFull(p, limit, offset);
    }

    private byte[] data;
    private int pos;
    private int end;

    private int unpackFull(long p, long limit, long offset) {
        byte[] s = lib.checkString(p, 1);
        boolean all = limit == 0 && offset == 0;
        int len = s.length;
        if (offset < 0 || limit < 0) {
            throw lib.error("Invalid request to unpack with offset of " + (int) offset + " and limit of " + len + ".");
        } else if (offset > len) {
            throw lib.error("Start offset " + (int) offset + " greater than input length " + len + ".");
        }
        if (all) {
            limit = Integer.MAX_VALUE;
        }
        data = s;
        pos = (int) offset;
        end = len;
        int count;
        try {
            for (count = 0; pos < end && count < limit; count++) {
                int err = decode(p);
                if (err == EOF) {
                    throw lib.error("Missing bytes in input.");
                } else if (err == BADFMT) {
                    throw lib.error("Bad data format in input.");
                }
            }
        } finally {
            data = null;
        }
        if (!all) {
            checkStack(p, 1, "in function mp_unpack_full");
            n.lua_pushnumber(p, pos == end ? -1 : pos);
            n.lua_insert(p, 2);
            count++;
        }
        return count;
    }

    private static final int OK = 0;
    private static final int EOF = 1;
    private static final int BADFMT = 2;

    /** Containers being filled: kind (array or map), elements left, next array index or key/value phase. */
    private static final int ARRAY = 0;
    private static final int MAP_KEY = 1;
    private static final int MAP_VALUE = 2;
    private int[] kind = new int[16];
    private long[] left = new long[16];
    private int[] index = new int[16];
    private int depth;

    /** Decodes one value onto the stack, the C library's recursion done with an explicit stack. */
    private int decode(long p) {
        depth = 0;
        while (true) {
            // a value starts at pos
            if (end - pos < 1) {
                return EOF;
            }
            checkStack(p, 1, TOO_MANY);
            int c = data[pos] & 0xff;
            long count = -1;
            boolean map = false;
            switch (c) {
                case 0xcc:
                    if (end - pos < 2) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, u8(pos + 1));
                    pos += 2;
                    break;
                case 0xd0:
                    if (end - pos < 2) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, data[pos + 1]);
                    pos += 2;
                    break;
                case 0xcd:
                    if (end - pos < 3) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, (u8(pos + 1) << 8) | u8(pos + 2));
                    pos += 3;
                    break;
                case 0xd1:
                    if (end - pos < 3) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, (short) ((u8(pos + 1) << 8) | u8(pos + 2)));
                    pos += 3;
                    break;
                case 0xce:
                    if (end - pos < 5) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, be(pos + 1, 4));
                    pos += 5;
                    break;
                case 0xd2:
                    if (end - pos < 5) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, (int) be(pos + 1, 4));
                    pos += 5;
                    break;
                case 0xcf: // pushed as a signed 64-bit integer, as lua_pushinteger does
                case 0xd3:
                    if (end - pos < 9) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, (double) be(pos + 1, 8));
                    pos += 9;
                    break;
                case 0xc0:
                    n.lua_pushnil(p);
                    pos++;
                    break;
                case 0xc3:
                    n.lua_pushboolean(p, 1);
                    pos++;
                    break;
                case 0xc2:
                    n.lua_pushboolean(p, 0);
                    pos++;
                    break;
                case 0xca:
                    if (end - pos < 5) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, Float.intBitsToFloat((int) be(pos + 1, 4)));
                    pos += 5;
                    break;
                case 0xcb:
                    if (end - pos < 9) {
                        return EOF;
                    }
                    n.lua_pushnumber(p, Double.longBitsToDouble(be(pos + 1, 8)));
                    pos += 9;
                    break;
                case 0xd9: {
                    if (end - pos < 2) {
                        return EOF;
                    }
                    int l = u8(pos + 1);
                    if (end - pos < 2 + l) {
                        return EOF;
                    }
                    lib.push(p, data, pos + 2, l);
                    pos += 2 + l;
                    break;
                }
                case 0xda: {
                    if (end - pos < 3) {
                        return EOF;
                    }
                    int l = (int) be(pos + 1, 2);
                    if (end - pos < 3 + l) {
                        return EOF;
                    }
                    lib.push(p, data, pos + 3, l);
                    pos += 3 + l;
                    break;
                }
                case 0xdb: {
                    if (end - pos < 5) {
                        return EOF;
                    }
                    long l = be(pos + 1, 4);
                    pos += 5;
                    if (end - pos < l) {
                        return EOF;
                    }
                    lib.push(p, data, pos, (int) l);
                    pos += (int) l;
                    break;
                }
                case 0xdc:
                case 0xde:
                    if (end - pos < 3) {
                        return EOF;
                    }
                    count = be(pos + 1, 2);
                    map = c == 0xde;
                    pos += 3;
                    break;
                case 0xdd:
                case 0xdf:
                    if (end - pos < 5) {
                        return EOF;
                    }
                    count = be(pos + 1, 4);
                    map = c == 0xdf;
                    pos += 5;
                    break;
                default:
                    if ((c & 0x80) == 0) {
                        n.lua_pushnumber(p, c);
                        pos++;
                    } else if ((c & 0xe0) == 0xe0) {
                        n.lua_pushnumber(p, (byte) c);
                        pos++;
                    } else if ((c & 0xe0) == 0xa0) {
                        int l = c & 0x1f;
                        if (end - pos < 1 + l) {
                            return EOF;
                        }
                        lib.push(p, data, pos + 1, l);
                        pos += 1 + l;
                    } else if ((c & 0xf0) == 0x90) {
                        count = c & 0xf;
                        pos++;
                    } else if ((c & 0xf0) == 0x80) {
                        count = c & 0xf;
                        map = true;
                        pos++;
                    } else {
                        return BADFMT;
                    }
            }
            if (count >= 0) {
                n.lua_newtable(p);
                if (!map) {
                    checkStack(p, 1, "in function mp_decode_to_lua_array");
                }
                if (count > 0) {
                    push(map ? MAP_KEY : ARRAY, count);
                    if (!map) {
                        n.lua_pushnumber(p, 1);
                    }
                    continue; // decode the first element
                }
            }
            // a value is complete: store it in its container, and complete the containers it fills
            while (true) {
                if (depth == 0) {
                    return OK;
                }
                int f = depth - 1;
                if (kind[f] == MAP_KEY) {
                    kind[f] = MAP_VALUE;
                    break;
                }
                if (kind[f] == MAP_VALUE) {
                    int kt = n.lua_type(p, -2);
                    if (kt == LuaLibraries.T_NIL) {
                        throw lib.plainError("table index is nil");
                    }
                    if (kt == LuaLibraries.T_NUMBER) {
                        double k = n.lua_tonumber(p, -2);
                        if (k != k) {
                            throw lib.plainError("table index is NaN");
                        }
                    }
                    n.lua_rawset(p, -3);
                    kind[f] = MAP_KEY;
                } else {
                    n.lua_rawset(p, -3);
                }
                if (--left[f] > 0) {
                    if (kind[f] == ARRAY) {
                        n.lua_pushnumber(p, ++index[f]);
                    }
                    break;
                }
                depth--;
            }
        }
    }

    private void push(int k, long count) {
        if (depth == kind.length) {
            kind = java.util.Arrays.copyOf(kind, depth * 2);
            left = java.util.Arrays.copyOf(left, depth * 2);
            index = java.util.Arrays.copyOf(index, depth * 2);
        }
        kind[depth] = k;
        left[depth] = count;
        index[depth] = 1;
        depth++;
    }

    private int u8(int i) {
        return data[i] & 0xff;
    }

    private long be(int i, int bytes) {
        long v = 0;
        for (int j = 0; j < bytes; j++) {
            v = (v << 8) | (data[i + j] & 0xff);
        }
        return v;
    }
}
