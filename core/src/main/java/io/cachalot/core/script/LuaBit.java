package io.cachalot.core.script;

import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The bit library (LuaBit 1.0.2) as Redis ships it: 32-bit operations on Lua numbers. A number is
 * reduced to 32 bits as LuaBitOp does it, by adding 2^52+2^51 and taking the low word of the
 * double; results are signed 32-bit numbers.
 */
final class LuaBit {
    private static final double MAGIC = 6755399441055744.0; // 2^52 + 2^51
    private static final byte[] LOWER = LuaLibraries.latin1("0123456789abcdef");
    private static final byte[] UPPER = LuaLibraries.latin1("0123456789ABCDEF");

    private final LuaLibraries lib;
    private final Lua51Natives n;

    private LuaBit(LuaLibraries lib) {
        this.lib = lib;
        this.n = lib.n;
    }

    /** Pushes the bit table (luaL_register's: sized for its twelve functions, in their order). */
    static void open(LuaLibraries lib, long L) {
        LuaBit b = new LuaBit(lib);
        lib.n.lua_createtable(L, 0, 12);
        lib.function(L, "tobit", p -> b.ret(p, b.arg(p, 1)));
        lib.function(L, "bnot", p -> b.ret(p, ~b.arg(p, 1)));
        lib.function(L, "band", p -> b.fold(p, 0));
        lib.function(L, "bor", p -> b.fold(p, 1));
        lib.function(L, "bxor", p -> b.fold(p, 2));
        lib.function(L, "lshift", p -> b.shift(p, 0));
        lib.function(L, "rshift", p -> b.shift(p, 1));
        lib.function(L, "arshift", p -> b.shift(p, 2));
        lib.function(L, "rol", p -> b.shift(p, 3));
        lib.function(L, "ror", p -> b.shift(p, 4));
        lib.function(L, "bswap", p -> b.ret(p, Integer.reverseBytes(b.arg(p, 1))));
        lib.function(L, "tohex", b::tohex);
    }

    /** barg: the argument as 32 bits; anything but a number (or numeric string) is an error. */
    private int arg(long p, int idx) {
        double d = n.lua_tonumber(p, idx);
        int b = (int) Double.doubleToRawLongBits(d + MAGIC);
        if (b == 0 && n.lua_isnumber(p, idx) == 0) {
            throw lib.typeError(p, idx, "number");
        }
        return b;
    }

    private int ret(long p, int b) {
        n.lua_pushnumber(p, b);
        return 1;
    }

    private int fold(long p, int op) {
        int b = arg(p, 1);
        for (int i = n.lua_gettop(p); i > 1; i--) {
            int v = arg(p, i);
            b = op == 0 ? b & v : op == 1 ? b | v : b ^ v;
        }
        return ret(p, b);
    }

    private int shift(long p, int op) {
        int b = arg(p, 1);
        int s = arg(p, 2) & 31;
        switch (op) {
            case 0:
                return ret(p, b << s);
            case 1:
                return ret(p, b >>> s);
            case 2:
                return ret(p, b >> s);
            case 3:
                return ret(p, Integer.rotateLeft(b, s));
            default:
                return ret(p, Integer.rotateRight(b, s));
        }
    }

    private int tohex(long p) {
        int b = arg(p, 1);
        int digits = n.lua_isnone(p, 2) != 0 ? 8 : arg(p, 2);
        byte[] hex = LOWER;
        if (digits < 0) {
            digits = -digits;
            hex = UPPER;
        }
        if (digits > 8 || digits < 0) { // -(-2^31) overflows: the C code ends up with 8 digits
            digits = 8;
        }
        byte[] buf = new byte[digits];
        for (int i = digits; --i >= 0; ) {
            buf[i] = hex[b & 15];
            b >>>= 4;
        }
        lib.push(p, buf, 0, digits);
        return 1;
    }
}
