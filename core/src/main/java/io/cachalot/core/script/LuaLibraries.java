package io.cachalot.core.script;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The C libraries Redis 7.0 loads into its Lua state — cjson, struct, cmsgpack and bit — as Java
 * functions (Lua sees them as C functions, as Redis' are), and what they share: raising errors the
 * way lauxlib does (luaL_error's position, luaL_argerror's "bad argument #n to 'name'" with the
 * name the caller used), argument checks with lauxlib's semantics, and the C conversions whose
 * out-of-range results the libraries depend on. Opened once per Lua state, before the prelude,
 * which makes the four global tables read-only.
 */
final class LuaLibraries {
    static final int T_NIL = 0;
    static final int T_BOOLEAN = 1;
    static final int T_LIGHTUSERDATA = 2;
    static final int T_NUMBER = 3;
    static final int T_STRING = 4;
    static final int T_TABLE = 5;

    private static final int GLOBALSINDEX = -10002;
    private static final double TWO_63 = 9.223372036854775808E18;

    final LuaRuntime rt;
    final Lua51Natives n;
    /** A Lua function returning the name and namewhat of the C function that calls it. */
    private final int nameRef;
    /** Registry references of the one-byte strings of NUL and of bytes 128..255. */
    private final int[] charRefs = new int[256];
    /** The __newindex of the prelude's read-only proxies (a registry reference; 0 before the prelude ran). */
    private int readonlyRef;

    private LuaLibraries(LuaRuntime rt) {
        this.rt = rt;
        this.n = rt.n;
        long L = rt.L;
        byte[] code = ("local getinfo = debug.getinfo\n"
                + "return function() local ar = getinfo(2, 'n') if ar then return ar.name, ar.namewhat end end")
                .getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocateDirect(code.length);
        b.put(code).flip();
        if (n.luaJ_loadbuffer(L, b, code.length, "=[C]") != 0 || n.lua_pcall(L, 0, 1, 0) != 0) {
            throw new IllegalStateException("the libraries' helper does not load: " + n.lua_tostring(L, -1));
        }
        nameRef = n.luaL_ref(L, rt.registry);
        // the one-byte strings push() assembles binary strings from
        byte[] chars = LuaLibraries.latin1("local t = {} for i = 0, 255 do t[i] = string.char(i) end return t");
        ByteBuffer c = ByteBuffer.allocateDirect(chars.length);
        c.put(chars).flip();
        if (n.luaJ_loadbuffer(L, c, chars.length, "=[C]") != 0 || n.lua_pcall(L, 0, 1, 0) != 0) {
            throw new IllegalStateException("the libraries' helper does not load: " + n.lua_tostring(L, -1));
        }
        for (int i = 0; i < 256; i++) {
            if ((byte) i <= 0) {
                n.lua_rawgeti(L, -1, i);
                charRefs[i] = n.luaL_ref(L, rt.registry);
            }
        }
        n.lua_settop(L, -2);
    }

    /** Creates the global tables cjson, struct, cmsgpack and bit, in the order Redis loads them. */
    static LuaLibraries open(LuaRuntime rt) {
        LuaLibraries lib = new LuaLibraries(rt);
        long L = rt.L;
        LuaCjson.open(lib, L);
        lib.n.lua_setglobal(L, "cjson");
        LuaStruct.open(lib, L);
        lib.n.lua_setglobal(L, "struct");
        LuaCmsgpack.open(lib, L);
        lib.n.lua_setglobal(L, "cmsgpack");
        LuaBit.open(lib, L);
        lib.n.lua_setglobal(L, "bit");
        return lib;
    }

    /** The prelude's read-only proxies' __newindex (a registry reference): how a proxy is recognised. */
    void setReadonly(int ref) {
        readonlyRef = ref;
    }

    // ------------------------------------------------------------------ functions and errors

    /** A library function's body: returns its number of results, or throws {@link LuaError}. */
    interface Body {
        int call(long p);
    }

    /** Sets field {@code name} of the table on top of {@code L} to a Java function running {@code body}. */
    void function(long L, String name, Body body) {
        n.luaJ_pushfunction(L, (JFunction) l -> invoke(l.getPointer(), body));
        n.lua_setfield(L, -2, name);
    }

    void string(long L, String name, String value) {
        n.luaJ_pushstring(L, value);
        n.lua_setfield(L, -2, name);
    }

    private int invoke(long p, Body body) {
        try {
            return body.call(p);
        } catch (LuaError e) {
            n.lua_settop(p, 0);
            if (e.where) {
                n.luaL_where(p, 1);
                push(p, e.message, 0, e.message.length);
                n.lua_concat(p, 2);
            } else {
                push(p, e.message, 0, e.message.length);
            }
            return -1;
        }
    }

    /** An error raised by a library function; carries no Java stack trace. */
    static final class LuaError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient byte[] message;
        final boolean where;

        LuaError(byte[] message, boolean where) {
            super(null, null, false, false);
            this.message = message;
            this.where = where;
        }
    }

    /** luaL_error: the message after the calling Lua code's position. */
    LuaError error(String message) {
        return new LuaError(latin1(message), true);
    }

    /** An error the Lua core raises inside a C function (lua_settable's): no position. */
    LuaError plainError(String message) {
        return new LuaError(latin1(message), false);
    }

    /** luaL_argerror, with the function's name as its caller wrote it. */
    LuaError argError(long p, int narg, String extramsg) {
        return argError(p, narg, latin1(extramsg));
    }

    LuaError argError(long p, int narg, byte[] extramsg) {
        int top = n.lua_gettop(p);
        String name = null;
        String namewhat = "";
        if (n.lua_checkstack(p, 3) != 0) {
            n.lua_rawgeti(p, rt.registry, nameRef);
            if (n.lua_pcall(p, 0, 2, 0) == 0) {
                if (n.lua_type(p, -2) == T_STRING) {
                    name = new String(bytes(p, -2), StandardCharsets.ISO_8859_1);
                }
                if (n.lua_type(p, -1) == T_STRING) {
                    namewhat = new String(bytes(p, -1), StandardCharsets.ISO_8859_1);
                }
            }
            n.lua_settop(p, top);
        }
        StringBuilder sb = new StringBuilder();
        if (namewhat.equals("method")) {
            narg--;
            if (narg == 0) {
                sb.append("calling '").append(cstr(name)).append("' on bad self (");
                return new LuaError(concat(latin1(sb.toString()), extramsg, latin1(")")), true);
            }
        }
        sb.append("bad argument #").append(narg).append(" to '").append(name == null ? "?" : cstr(name)).append("' (");
        return new LuaError(concat(latin1(sb.toString()), extramsg, latin1(")")), true);
    }

    /** luaL_typerror. */
    LuaError typeError(long p, int narg, String tname) {
        return argError(p, narg, tname + " expected, got " + n.luaL_typename(p, narg));
    }

    // ------------------------------------------------------------------ argument checks (lauxlib)

    double checkNumber(long p, int narg) {
        double d = n.lua_tonumber(p, narg);
        if (d == 0 && n.lua_isnumber(p, narg) == 0) {
            throw typeError(p, narg, "number");
        }
        return d;
    }

    long checkInteger(long p, int narg) {
        long d = n.lua_tointeger(p, narg);
        if (d == 0 && n.lua_isnumber(p, narg) == 0) {
            throw typeError(p, narg, "number");
        }
        return d;
    }

    long optInteger(long p, int narg, long def) {
        return n.lua_isnoneornil(p, narg) != 0 ? def : checkInteger(p, narg);
    }

    /** luaL_checklstring: the string's bytes (a number is converted in place, as lua_tolstring does). */
    byte[] checkString(long p, int narg) {
        if (n.lua_isstring(p, narg) == 0) {
            throw typeError(p, narg, "string");
        }
        return bytes(p, narg);
    }

    // ------------------------------------------------------------------ strings

    private static final byte[] EMPTY = new byte[0];
    /** Binary strings with at most this many NUL or high bytes are assembled from pieces. */
    private static final int MAX_PIECES_BYTES = 32;

    /**
     * The bytes of the string at {@code idx} as a view of Lua's own (a number is converted in
     * place, as lua_tolstring does); null when the value is neither. Valid while the value stays
     * on the stack.
     */
    ByteBuffer view(long p, int idx) {
        return (ByteBuffer) n.luaJ_todirectbuffer(p, idx);
    }

    /** A copy of the bytes of the string (or number) at {@code idx}; empty for other values. */
    byte[] bytes(long p, int idx) {
        ByteBuffer b = view(p, idx);
        if (b == null) {
            return EMPTY;
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * Pushes a byte string. ASCII without NUL goes as a Java string; a string with a few NUL or
     * high bytes is concatenated from ASCII runs and cached one-byte strings; others go through
     * {@link LuaRuntime#push} (a binary chunk: exact for any bytes, slower for short strings).
     */
    void push(long p, byte[] b, int off, int len) {
        int end = off + len;
        int special = 0;
        for (int i = off; i < end; i++) {
            if (b[i] <= 0) {
                special++;
            }
        }
        if (special == 0) {
            n.luaJ_pushstring(p, new String(b, off, len, StandardCharsets.ISO_8859_1));
            return;
        }
        if (special > MAX_PIECES_BYTES || n.lua_checkstack(p, 2 * special + 1) == 0) {
            rt.push(p, b, off, len);
            return;
        }
        int pieces = 0;
        int run = off;
        for (int i = off; i < end; i++) {
            if (b[i] <= 0) {
                if (i > run) {
                    n.luaJ_pushstring(p, new String(b, run, i - run, StandardCharsets.ISO_8859_1));
                    pieces++;
                }
                n.lua_rawgeti(p, rt.registry, charRefs[b[i] & 0xff]);
                pieces++;
                run = i + 1;
            }
        }
        if (end > run) {
            n.luaJ_pushstring(p, new String(b, run, end - run, StandardCharsets.ISO_8859_1));
            pieces++;
        }
        if (pieces > 1) {
            n.lua_concat(p, pieces);
        }
    }

    // ------------------------------------------------------------------ read-only proxies

    /**
     * Replaces the table at {@code idx} by the table it is a read-only view of, if it is one of
     * the prelude's proxies (Redis' tables are read-only in place: C code iterating them sees
     * their content). Uses up to 3 stack slots.
     */
    void unwrap(long p, int idx) {
        if (n.lua_checkstack(p, 3) == 0 || n.lua_getmetatable(p, idx) == 0) {
            return;
        }
        int abs = idx < 0 ? n.lua_gettop(p) + idx : idx; // the metatable was pushed above idx
        n.luaJ_pushstring(p, "__newindex");
        n.lua_rawget(p, -2);
        boolean proxy = false;
        if (readonlyRef > 0 && n.lua_type(p, -1) != T_NIL) {
            n.lua_rawgeti(p, rt.registry, readonlyRef);
            proxy = n.lua_rawequal(p, -1, -2) != 0;
            n.lua_settop(p, -2);
        }
        n.lua_settop(p, -2);
        if (proxy) {
            n.luaJ_pushstring(p, "__index");
            n.lua_rawget(p, -2);
            if (n.lua_type(p, -1) == T_TABLE) {
                n.lua_replace(p, abs);
            } else {
                n.lua_settop(p, -2);
            }
        }
        n.lua_settop(p, -2);
    }

    // ------------------------------------------------------------------ C conversions (x86-64)

    /** cvttsd2si to 64 bits: NaN and out-of-range values give the "integer indefinite" value. */
    static long toInt64(double d) {
        if (d != d || d >= TWO_63 || d < -TWO_63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** cvttsd2si to 32 bits. */
    static int toInt32(double d) {
        if (d != d || d >= 2147483648.0 || d <= -2147483649.0) {
            return Integer.MIN_VALUE;
        }
        return (int) d;
    }

    /** A double converted to an unsigned 64-bit integer as gcc compiles it for x86-64. */
    static long toUint64(double d) {
        if (!(d >= TWO_63)) {
            return toInt64(d);
        }
        return toInt64(d - TWO_63) ^ Long.MIN_VALUE;
    }

    /** An unsigned 64-bit integer converted to a double (correctly rounded). */
    static double unsignedToDouble(long v) {
        if (v >= 0) {
            return (double) v;
        }
        return (double) ((v >>> 1) | (v & 1)) * 2.0;
    }

    // ------------------------------------------------------------------ bytes

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A C string's view of a name: up to its first NUL. */
    static String cstr(String s) {
        int z = s.indexOf('\0');
        return z < 0 ? s : s.substring(0, z);
    }

    static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] r = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        System.arraycopy(c, 0, r, a.length + b.length, c.length);
        return r;
    }

    /** A growable byte buffer for the encoders. */
    static final class Buf {
        byte[] b;
        int len;

        Buf(int capacity) {
            b = new byte[capacity];
        }

        void reset() {
            len = 0;
        }

        void ensure(int more) {
            if (len + more > b.length) {
                int cap = Math.max(len + more, b.length * 2);
                if (cap < 0) {
                    throw new OutOfMemoryError("buffer too large");
                }
                b = java.util.Arrays.copyOf(b, cap);
            }
        }

        void put(int v) {
            if (len == b.length) {
                ensure(1);
            }
            b[len++] = (byte) v;
        }

        void put(byte[] s, int off, int n) {
            ensure(n);
            System.arraycopy(s, off, b, len, n);
            len += n;
        }

        void put(byte[] s) {
            put(s, 0, s.length);
        }

        void ascii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                b[len++] = (byte) s.charAt(i);
            }
        }

        /** Drops a large backing array after use, keeping a small one. */
        void trim() {
            if (b.length > 1 << 20) {
                b = new byte[4096];
            }
            len = 0;
        }
    }
}
