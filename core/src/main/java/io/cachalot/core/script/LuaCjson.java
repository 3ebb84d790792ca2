package io.cachalot.core.script;

import io.cachalot.core.script.LuaLibraries.Buf;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The cjson library (lua-cjson 2.1.0 as Redis ships it): JSON encoding and decoding with its
 * configuration functions, each module table (the global one, and each cjson.new()) with its own
 * configuration. Numbers are written as C's "%.14g" (the precision is configurable) and read as
 * glibc's strtod reads them (hexadecimal, inf and nan included, unless refused by
 * decode_invalid_numbers); JSON null is cjson.null, a NULL light userdata. Nesting is followed with
 * explicit stacks (the Lua stack is used as the C code uses it, so its limit is reached where
 * Redis reaches it); errors read as the C library's.
 */
final class LuaCjson {
    // tokens
    private static final int T_OBJ_BEGIN = 0;
    private static final int T_OBJ_END = 1;
    private static final int T_ARR_BEGIN = 2;
    private static final int T_ARR_END = 3;
    private static final int T_STRING = 4;
    private static final int T_NUMBER = 5;
    private static final int T_BOOLEAN = 6;
    private static final int T_NULL = 7;
    private static final int T_COLON = 8;
    private static final int T_COMMA = 9;
    private static final int T_END = 10;
    private static final int T_WHITESPACE = 11;
    private static final int T_ERROR = 12;
    private static final int T_UNKNOWN = 13;
    private static final String[] TOKEN_NAMES = {
        "T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER", "T_BOOLEAN",
        "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN",
    };
    private static final int[] CH2TOKEN = new int[256];
    private static final byte[] ESCAPE2CHAR = new byte[256];
    private static final byte[][] CHAR2ESCAPE = new byte[256][];

    static {
        java.util.Arrays.fill(CH2TOKEN, T_ERROR);
        CH2TOKEN['{'] = T_OBJ_BEGIN;
        CH2TOKEN['}'] = T_OBJ_END;
        CH2TOKEN['['] = T_ARR_BEGIN;
        CH2TOKEN[']'] = T_ARR_END;
        CH2TOKEN[','] = T_COMMA;
        CH2TOKEN[':'] = T_COLON;
        CH2TOKEN[0] = T_END;
        CH2TOKEN[' '] = T_WHITESPACE;
        CH2TOKEN['\t'] = T_WHITESPACE;
        CH2TOKEN['\n'] = T_WHITESPACE;
        CH2TOKEN['\r'] = T_WHITESPACE;
        for (char c : "fiIntN\"+-0123456789".toCharArray()) {
            CH2TOKEN[c] = T_UNKNOWN;
        }
        ESCAPE2CHAR['"'] = '"';
        ESCAPE2CHAR['\\'] = '\\';
        ESCAPE2CHAR['/'] = '/';
        ESCAPE2CHAR['b'] = '\b';
        ESCAPE2CHAR['t'] = '\t';
        ESCAPE2CHAR['n'] = '\n';
        ESCAPE2CHAR['f'] = '\f';
        ESCAPE2CHAR['r'] = '\r';
        ESCAPE2CHAR['u'] = 'u';
        for (int c = 0; c < 32; c++) {
            CHAR2ESCAPE[c] = LuaLibraries.latin1(String.format("\\u%04x", c));
        }
        CHAR2ESCAPE['\b'] = LuaLibraries.latin1("\\b");
        CHAR2ESCAPE['\t'] = LuaLibraries.latin1("\\t");
        CHAR2ESCAPE['\n'] = LuaLibraries.latin1("\\n");
        CHAR2ESCAPE['\f'] = LuaLibraries.latin1("\\f");
        CHAR2ESCAPE['\r'] = LuaLibraries.latin1("\\r");
        CHAR2ESCAPE['"'] = LuaLibraries.latin1("\\\"");
        CHAR2ESCAPE['/'] = LuaLibraries.latin1("\\/");
        CHAR2ESCAPE['\\'] = LuaLibraries.latin1("\\\\");
        CHAR2ESCAPE[0x7f] = LuaLibraries.latin1("\\u007f");
    }

    private static final String[] BOOL_OPTIONS = {"off", "on"};
    private static final String[] INVALID_NUMBER_OPTIONS = {"off", "on", "null"};
    private static final MathContext[] PRECISION = new MathContext[15];
    private static final double[] POW10 = new double[15];

    static {
        for (int i = 1; i < PRECISION.length; i++) {
            PRECISION[i] = new MathContext(i, RoundingMode.HALF_EVEN);
        }
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = Math.pow(10, i);
        }
    }

    private final LuaLibraries lib;
    private final Lua51Natives n;

    // this module table's configuration (json_config_t)
    private int encodeSparseConvert = 0;
    private int encodeSparseRatio = 2;
    private int encodeSparseSafe = 10;
    private int encodeMaxDepth = 1000;
    private int decodeMaxDepth = 1000;
    private int encodeInvalidNumbers = 0;
    private int decodeInvalidNumbers = 1;
    private int encodeKeepBuffer = 1;
    private int encodeNumberPrecision = 14;

    private final Buf out = new Buf(256);

    private LuaCjson(LuaLibraries lib) {
        this.lib = lib;
        this.n = lib.n;
    }

    /** Pushes the cjson table (lua_cjson_new). */
    static void open(LuaLibraries lib, long L) {
        new LuaCjson(lib).pushModule(L);
    }

    private void pushModule(long L) {
        n.lua_newtable(L);
        lib.function(L, "encode", this::encode);
        lib.function(L, "decode", this::decode);
        lib.function(L, "encode_sparse_array", this::encodeSparseArray);
        lib.function(L, "encode_max_depth", p -> {
            argInit(p, 1);
            encodeMaxDepth = integerOption(p, 1, encodeMaxDepth, 1, Integer.MAX_VALUE);
            return 1;
        });
        lib.function(L, "decode_max_depth", p -> {
            argInit(p, 1);
            decodeMaxDepth = integerOption(p, 1, decodeMaxDepth, 1, Integer.MAX_VALUE);
            return 1;
        });
        lib.function(L, "encode_number_precision", p -> {
            argInit(p, 1);
            encodeNumberPrecision = integerOption(p, 1, encodeNumberPrecision, 1, 14);
            return 1;
        });
        lib.function(L, "encode_keep_buffer", p -> {
            argInit(p, 1);
            encodeKeepBuffer = enumOption(p, 1, encodeKeepBuffer, BOOL_OPTIONS);
            return 1;
        });
        lib.function(L, "encode_invalid_numbers", p -> {
            argInit(p, 1);
            encodeInvalidNumbers = enumOption(p, 1, encodeInvalidNumbers, INVALID_NUMBER_OPTIONS);
            return 1;
        });
        lib.function(L, "decode_invalid_numbers", p -> {
            argInit(p, 1);
            decodeInvalidNumbers = enumOption(p, 1, decodeInvalidNumbers, BOOL_OPTIONS);
            return 1;
        });
        lib.function(L, "new", p -> {
            new LuaCjson(lib).pushModule(p);
            return 1;
        });
        n.lua_pushlightuserdata(L, 0);
        n.lua_setfield(L, -2, "null");
        lib.string(L, "_NAME", "cjson");
        lib.string(L, "_VERSION", "2.1.0");
    }

    // ------------------------------------------------------------------ configuration

    private void argInit(long p, int args) {
        if (n.lua_gettop(p) > args) {
            throw lib.argError(p, args + 1, "found too many arguments");
        }
        while (n.lua_gettop(p) < args) {
            n.lua_pushnil(p);
        }
    }

    /** json_integer_option: sets from argument {@code idx} unless nil, pushes the setting, returns it. */
    private int integerOption(long p, int idx, int setting, int min, int max) {
        if (n.lua_isnil(p, idx) == 0) {
            int value = (int) lib.checkInteger(p, idx);
            if (!(min <= value && value <= max)) {
                throw lib.argError(p, 1, "expected integer between " + min + " and " + max);
            }
            setting = value;
        }
        n.lua_pushnumber(p, setting);
        return setting;
    }

    /** json_enum_option: a boolean or one of the option names (luaL_checkoption). */
    private int enumOption(long p, int idx, int setting, String[] options) {
        if (n.lua_isnil(p, idx) == 0) {
            if (n.lua_isboolean(p, idx) != 0) {
                setting = n.lua_toboolean(p, idx) != 0 ? 1 : 0;
            } else {
                String name = LuaLibraries.cstr(new String(lib.checkString(p, idx), java.nio.charset.StandardCharsets.ISO_8859_1));
                int found = -1;
                for (int i = 0; i < options.length; i++) {
                    if (options[i].equals(name)) {
                        found = i;
                        break;
                    }
                }
                if (found < 0) {
                    throw lib.argError(p, idx, LuaLibraries.latin1("invalid option '" + name + "'"));
                }
                setting = found;
            }
        }
        if (setting == 0 || setting == 1) {
            n.lua_pushboolean(p, setting);
        } else {
            n.luaJ_pushstring(p, options[setting]);
        }
        return setting;
    }

    private int encodeSparseArray(long p) {
        argInit(p, 3);
        encodeSparseConvert = enumOption(p, 1, encodeSparseConvert, BOOL_OPTIONS);
        encodeSparseRatio = integerOption(p, 2, encodeSparseRatio, 0, Integer.MAX_VALUE);
        encodeSparseSafe = integerOption(p, 3, encodeSparseSafe, 0, Integer.MAX_VALUE);
        return 3;
    }

    // ------------------------------------------------------------------ encoding

    private static final int F_ARRAY = 0;
    private static final int F_OBJECT = 1;
    private int[] frameKind = new int[16];
    private int[] frameIndex = new int[16];
    private int[] frameLen = new int[16];

    private int encode(long p) {
        if (n.lua_gettop(p) != 1) {
            throw lib.argError(p, 1, "expected 1 argument");
        }
        Buf b = out;
        b.reset();
        try {
            encodeTop(p, b);
            lib.push(p, b.b, 0, b.len);
        } finally {
            b.trim();
        }
        return 1;
    }

    /** json_append_data on the value on top, following nested tables with an explicit stack. */
    private void encodeTop(long p, Buf b) {
        int frames = 0;
        boolean pending = true;
        while (true) {
            if (pending) {
                pending = false;
                if (n.lua_type(p, -1) != LuaLibraries.T_TABLE) {
                    appendScalar(p, b);
                    if (frames > 0) {
                        n.lua_settop(p, -2);
                    }
                } else {
                    int depth = frames + 1;
                    if (!(depth <= encodeMaxDepth && n.lua_checkstack(p, 3) != 0)) {
                        throw lib.error("Cannot serialise, excessive nesting (" + depth + ")");
                    }
                    lib.unwrap(p, -1);
                    int len = arrayLength(p);
                    if (frames == frameKind.length) {
                        frameKind = java.util.Arrays.copyOf(frameKind, frames * 2);
                        frameIndex = java.util.Arrays.copyOf(frameIndex, frames * 2);
                        frameLen = java.util.Arrays.copyOf(frameLen, frames * 2);
                    }
                    if (len > 0) {
                        b.put('[');
                        frameKind[frames] = F_ARRAY;
                        frameLen[frames] = len;
                    } else {
                        b.put('{');
                        frameKind[frames] = F_OBJECT;
                        n.lua_pushnil(p);
                    }
                    frameIndex[frames] = 0;
                    frames++;
                }
            }
            if (frames == 0) {
                return;
            }
            int f = frames - 1;
            if (frameKind[f] == F_ARRAY) {
                if (frameIndex[f] < frameLen[f]) {
                    if (frameIndex[f] > 0) {
                        b.put(',');
                    }
                    n.lua_rawgeti(p, -1, ++frameIndex[f]);
                    pending = true;
                    continue;
                }
                b.put(']');
            } else {
                if (n.lua_next(p, -2) != 0) {
                    if (frameIndex[f]++ > 0) {
                        b.put(',');
                    }
                    int keyType = n.lua_type(p, -2);
                    if (keyType == LuaLibraries.T_NUMBER) {
                        b.put('"');
                        appendNumber(p, b, -2);
                        b.put('"');
                        b.put(':');
                    } else if (keyType == LuaLibraries.T_STRING) {
                        appendString(b, lib.view(p, -2));
                        b.put(':');
                    } else {
                        throw serialiseError(p, -2, "table key must be a number or string");
                    }
                    pending = true;
                    continue;
                }
                b.put('}');
            }
            frames--;
            if (frames > 0) {
                n.lua_settop(p, -2); // the table, a value of its container
            }
        }
    }

    private LuaLibraries.LuaError serialiseError(long p, int idx, String reason) {
        return lib.error("Cannot serialise " + n.luaL_typename(p, idx) + ": " + reason);
    }

    private void appendScalar(long p, Buf b) {
        switch (n.lua_type(p, -1)) {
            case LuaLibraries.T_STRING:
                appendString(b, lib.view(p, -1));
                break;
            case LuaLibraries.T_NUMBER:
                appendNumber(p, b, -1);
                break;
            case LuaLibraries.T_BOOLEAN:
                b.ascii(n.lua_toboolean(p, -1) != 0 ? "true" : "false");
                break;
            case LuaLibraries.T_NIL:
                b.ascii("null");
                break;
            case LuaLibraries.T_LIGHTUSERDATA:
                if (n.lua_touserdata(p, -1) == 0) {
                    b.ascii("null");
                    break;
                }
                throw serialiseError(p, -1, "type not supported");
            default:
                throw serialiseError(p, -1, "type not supported");
        }
    }

    /** lua_array_length: the array's length, or -1 for an object; errors on excessively sparse arrays. */
    private int arrayLength(long p) {
        int max = 0;
        int items = 0;
        n.lua_pushnil(p);
        while (n.lua_next(p, -2) != 0) {
            double k;
            if (n.lua_type(p, -2) == LuaLibraries.T_NUMBER && (k = n.lua_tonumber(p, -2)) != 0) {
                if (Math.floor(k) == k && k >= 1) {
                    if (k > max) {
                        max = LuaLibraries.toInt32(k);
                    }
                    items++;
                    n.lua_settop(p, -2);
                    continue;
                }
            }
            n.lua_settop(p, -3);
            return -1;
        }
        if (encodeSparseRatio > 0 && max > items * encodeSparseRatio && max > encodeSparseSafe) {
            if (encodeSparseConvert == 0) {
                throw serialiseError(p, -1, "excessively sparse array");
            }
            return -1;
        }
        return max;
    }

    private static void appendString(Buf b, java.nio.ByteBuffer s) {
        int len = s == null ? 0 : s.remaining();
        b.ensure(len + 2);
        b.put('"');
        for (int i = 0; i < len; i++) {
            byte c = s.get(i);
            byte[] esc = CHAR2ESCAPE[c & 0xff];
            if (esc == null) {
                b.put(c);
            } else {
                b.put(esc);
            }
        }
        b.put('"');
    }

    private void appendNumber(long p, Buf b, int idx) {
        double d = n.lua_tonumber(p, idx);
        if (encodeInvalidNumbers == 0) {
            if (Double.isInfinite(d) || Double.isNaN(d)) {
                throw serialiseError(p, idx, "must not be NaN or Inf");
            }
        } else if (encodeInvalidNumbers == 1) {
            if (Double.isNaN(d)) {
                b.ascii("nan");
                return;
            }
        } else if (Double.isInfinite(d) || Double.isNaN(d)) {
            b.ascii("null");
            return;
        }
        formatG(b, d, encodeNumberPrecision);
    }

    /** C's printf("%.{prec}g", d) as glibc prints it (correctly rounded, ties to even). */
    private final char[] digits = new char[32];

    void formatG(Buf b, double d, int prec) {
        if (d != d) {
            b.ascii(Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan");
            return;
        }
        if (Double.isInfinite(d)) {
            b.ascii(d > 0 ? "inf" : "-inf");
            return;
        }
        if (d == 0) {
            b.ascii(Double.doubleToRawLongBits(d) < 0 ? "-0" : "0");
            return;
        }
        if (d == Math.rint(d) && Math.abs(d) < POW10[prec]) {
            b.ascii(Long.toString((long) d));
            return;
        }
        // the significant digits rounded to prec, and the decimal exponent of the first: from Java's
        // shortest representation of a normal number when it has no more digits than that (it lies
        // within half an ulp of d, far closer than half a unit of the prec-th digit, so it is the
        // rounded value), else from the exact value
        char[] digits = this.digits;
        int dl = 0;
        int x = 0;
        String repr = Double.toString(Math.abs(d));
        int e = repr.indexOf('E');
        int mantissaEnd = e < 0 ? repr.length() : e;
        int point = -1;
        boolean leading = true;
        boolean fits = Math.abs(d) >= Double.MIN_NORMAL;
        for (int i = 0; fits && i < mantissaEnd; i++) {
            char c = repr.charAt(i);
            if (c == '.') {
                point = i;
            } else if (leading && c == '0') {
                x--;
            } else {
                leading = false;
                if (dl == prec) {
                    fits = false;
                    break;
                }
                digits[dl++] = c;
            }
        }
        if (fits) {
            // x counted the leading zeros; place the point: digits before it, and the exponent
            int intDigits = (point < 0 ? mantissaEnd : point);
            x += intDigits - 1;
            if (e >= 0) {
                x += Integer.parseInt(repr, e + 1, repr.length(), 10);
            }
            while (dl > 1 && digits[dl - 1] == '0') {
                dl--;
            }
        } else {
            BigDecimal v = new BigDecimal(d).round(PRECISION[prec]);
            String all = v.unscaledValue().abs().toString();
            x = all.length() - 1 - v.scale();
            dl = all.length();
            while (dl > 1 && all.charAt(dl - 1) == '0') {
                dl--;
            }
            all.getChars(0, dl, digits, 0);
        }
        if (d < 0) {
            b.put('-');
        }
        if (x < -4 || x >= prec) {
            b.put(digits[0]);
            if (dl > 1) {
                b.put('.');
                for (int i = 1; i < dl; i++) {
                    b.put(digits[i]);
                }
            }
            b.put('e');
            b.put(x < 0 ? '-' : '+');
            int ax = Math.abs(x);
            if (ax < 10) {
                b.put('0');
            }
            b.ascii(Integer.toString(ax));
        } else if (x >= 0) {
            for (int i = 0; i <= x; i++) {
                b.put(i < dl ? digits[i] : '0');
            }
            if (dl > x + 1) {
                b.put('.');
                for (int i = x + 1; i < dl; i++) {
                    b.put(digits[i]);
                }
            }
        } else {
            b.put('0');
            b.put('.');
            for (int i = -1; i > x; i--) {
                b.put('0');
            }
            for (int i = 0; i < dl; i++) {
                b.put(digits[i]);
            }
        }
    }

    // ------------------------------------------------------------------ decoding

    private byte[] json;
    private int ptr;
    private int depth;
    // the current token
    private int tokenType;
    private int tokenIndex;
    private double tokenNumber;
    private boolean tokenBoolean;
    private String tokenError;
    private final Buf tmp = new Buf(64);

    private int[] containerKind = new int[16];
    private int[] containerIndex = new int[16];

    private int ch(int i) {
        return i < json.length ? json[i] & 0xff : 0;
    }

    private int decode(long p) {
        if (n.lua_gettop(p) != 1) {
            throw lib.argError(p, 1, "expected 1 argument");
        }
        byte[] data = lib.checkString(p, 1);
        if (data.length >= 2 && (data[0] == 0 || data[1] == 0)) {
            throw lib.error("JSON parser does not support UTF-16 or UTF-32");
        }
        json = data;
        ptr = 0;
        depth = 0;
        try {
            nextToken();
            parseValue(p);
            nextToken();
            if (tokenType != T_END) {
                throw parseError("the end");
            }
        } finally {
            json = null;
            tmp.trim();
        }
        return 1;
    }

    private LuaLibraries.LuaError parseError(String expected) {
        String found = tokenType == T_ERROR ? tokenError : TOKEN_NAMES[tokenType];
        return lib.error("Expected " + expected + " but found " + found + " at character " + (tokenIndex + 1));
    }

    private void descend(long p, int slots) {
        depth++;
        if (depth <= decodeMaxDepth && n.lua_checkstack(p, slots) != 0) {
            return;
        }
        throw lib.error("Found too many nested data structures (" + depth + ") at character " + ptr);
    }

    /** Pushes the value starting with the current token (json_process_value, without recursion). */
    private void parseValue(long p) {
        int frames = 0;
        while (true) {
            boolean complete = true;
            switch (tokenType) {
                case T_STRING:
                    lib.push(p, tmp.b, 0, tmp.len);
                    break;
                case T_NUMBER:
                    n.lua_pushnumber(p, tokenNumber);
                    break;
                case T_BOOLEAN:
                    n.lua_pushboolean(p, tokenBoolean ? 1 : 0);
                    break;
                case T_NULL:
                    n.lua_pushlightuserdata(p, 0);
                    break;
                case T_OBJ_BEGIN:
                case T_ARR_BEGIN: {
                    boolean object = tokenType == T_OBJ_BEGIN;
                    descend(p, object ? 3 : 2);
                    n.lua_newtable(p);
                    nextToken();
                    if (tokenType == (object ? T_OBJ_END : T_ARR_END)) {
                        depth--;
                        break;
                    }
                    if (frames == containerKind.length) {
                        containerKind = java.util.Arrays.copyOf(containerKind, frames * 2);
                        containerIndex = java.util.Arrays.copyOf(containerIndex, frames * 2);
                    }
                    containerKind[frames] = object ? T_OBJ_BEGIN : T_ARR_BEGIN;
                    containerIndex[frames] = 1;
                    frames++;
                    if (object) {
                        objectKey(p);
                    }
                    complete = false;
                    break;
                }
                default:
                    throw parseError("value");
            }
            if (!complete) {
                continue;
            }
            // the value on top is complete: store it, and close the containers it completes
            while (true) {
                if (frames == 0) {
                    return;
                }
                int f = frames - 1;
                if (containerKind[f] == T_OBJ_BEGIN) {
                    n.lua_rawset(p, -3);
                    nextToken();
                    if (tokenType == T_OBJ_END) {
                        depth--;
                        frames--;
                        continue;
                    }
                    if (tokenType != T_COMMA) {
                        throw parseError("comma or object end");
                    }
                    nextToken();
                    objectKey(p);
                } else {
                    n.lua_rawseti(p, -2, containerIndex[f]++);
                    nextToken();
                    if (tokenType == T_ARR_END) {
                        depth--;
                        frames--;
                        continue;
                    }
                    if (tokenType != T_COMMA) {
                        throw parseError("comma or array end");
                    }
                    nextToken();
                }
                break;
            }
        }
    }

    /** An object's key and colon; leaves the token after the colon current. */
    private void objectKey(long p) {
        if (tokenType != T_STRING) {
            throw parseError("object key string");
        }
        lib.push(p, tmp.b, 0, tmp.len);
        nextToken();
        if (tokenType != T_COLON) {
            throw parseError("colon");
        }
        nextToken();
    }

    private void tokenError(String what) {
        tokenType = T_ERROR;
        tokenIndex = ptr;
        tokenError = what;
    }

    private boolean startsWith(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (ch(ptr + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void nextToken() {
        int c;
        while (true) {
            c = ch(ptr);
            tokenType = CH2TOKEN[c];
            if (tokenType != T_WHITESPACE) {
                break;
            }
            ptr++;
        }
        tokenIndex = ptr;
        if (tokenType == T_ERROR) {
            tokenError("invalid token");
            return;
        }
        if (tokenType == T_END) {
            return;
        }
        if (tokenType != T_UNKNOWN) {
            ptr++;
            return;
        }
        if (c == '"') {
            stringToken();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            if (decodeInvalidNumbers == 0 && isInvalidNumber()) {
                tokenError("invalid number");
                return;
            }
            numberToken();
        } else if (startsWith("true")) {
            tokenType = T_BOOLEAN;
            tokenBoolean = true;
            ptr += 4;
        } else if (startsWith("false")) {
            tokenType = T_BOOLEAN;
            tokenBoolean = false;
            ptr += 5;
        } else if (startsWith("null")) {
            tokenType = T_NULL;
            ptr += 4;
        } else if (decodeInvalidNumbers != 0 && isInvalidNumber()) {
            numberToken();
        } else {
            tokenError("invalid token");
        }
    }

    private static int hexDigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        c |= 0x20;
        if (c >= 'a' && c <= 'f') {
            return 10 + c - 'a';
        }
        return -1;
    }

    private int hex4(int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = hexDigit(ch(at + i));
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** json_append_unicode_escape at ptr ("\\u"): appends UTF-8, advances; false when invalid. */
    private boolean unicodeEscape() {
        int escapeLen = 6;
        int cp = hex4(ptr + 2);
        if (cp < 0) {
            return false;
        }
        if ((cp & 0xF800) == 0xD800) {
            if ((cp & 0x400) != 0) {
                return false;
            }
            if (ch(ptr + escapeLen) != '\\' || ch(ptr + escapeLen + 1) != 'u') {
                return false;
            }
            int low = hex4(ptr + 2 + escapeLen);
            if (low < 0 || (low & 0xFC00) != 0xDC00) {
                return false;
            }
            cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            escapeLen = 12;
        }
        Buf t = tmp;
        if (cp <= 0x7F) {
            t.put(cp);
        } else if (cp <= 0x7FF) {
            t.put((cp >> 6) | 0xC0);
            t.put((cp & 0x3F) | 0x80);
        } else if (cp <= 0xFFFF) {
            t.put((cp >> 12) | 0xE0);
            t.put(((cp >> 6) & 0x3F) | 0x80);
            t.put((cp & 0x3F) | 0x80);
        } else {
            t.put((cp >> 18) | 0xF0);
            t.put(((cp >> 12) & 0x3F) | 0x80);
            t.put(((cp >> 6) & 0x3F) | 0x80);
            t.put((cp & 0x3F) | 0x80);
        }
        ptr += escapeLen;
        return true;
    }

    private void stringToken() {
        ptr++;
        Buf t = tmp;
        t.reset();
        int c;
        while ((c = ch(ptr)) != '"') {
            if (c == 0) {
                tokenError("unexpected end of string");
                return;
            }
            if (c == '\\') {
                int e = ESCAPE2CHAR[ch(ptr + 1)];
                if (e == 'u') {
                    if (unicodeEscape()) {
                        continue;
                    }
                    tokenError("invalid unicode escape code");
                    return;
                }
                if (e == 0) {
                    tokenError("invalid escape code");
                    return;
                }
                ptr++;
                c = e;
            }
            t.put(c);
            ptr++;
        }
        ptr++;
        tokenType = T_STRING;
    }

    /** json_is_invalid_number: what strtod accepts but strict JSON does not. */
    private boolean isInvalidNumber() {
        int i = ptr;
        if (ch(i) == '+') {
            return true;
        }
        if (ch(i) == '-') {
            i++;
        }
        if (ch(i) == '0') {
            int c2 = ch(i + 1);
            return (c2 | 0x20) == 'x' || (c2 >= '0' && c2 <= '9');
        } else if (ch(i) <= '9') {
            return false;
        }
        return matchesIgnoreCase(i, "inf") || matchesIgnoreCase(i, "nan");
    }

    private boolean matchesIgnoreCase(int at, String word) {
        for (int i = 0; i < word.length(); i++) {
            int c = ch(at + i);
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            if (c != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void numberToken() {
        tokenType = T_NUMBER;
        int start = ptr;
        int end = strtod(start);
        if (end == start) {
            tokenError("invalid number");
        } else {
            ptr = end;
        }
    }

    /**
     * strtoull(base 0) of the bytes [from, to) when it reads all of them (ULLONG_MAX on overflow),
     * else 0: a NaN's payload.
     */
    private long nanPayload(int from, int to) {
        int base = 10;
        int i = from;
        if (ch(i) == '0') {
            if ((ch(i + 1) | 0x20) == 'x' && hexDigit(ch(i + 2)) >= 0) {
                base = 16;
                i += 2;
            } else {
                base = 8;
            }
        }
        if (i == to) {
            return 0;
        }
        long v = 0;
        boolean overflow = false;
        for (; i < to; i++) {
            int d = hexDigit(ch(i));
            if (d < 0 || d >= base) {
                return 0;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            v = v * base + d;
        }
        return overflow ? -1L : v;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /**
     * glibc's strtod from {@code start}: sets tokenNumber and returns where the number ends
     * ({@code start} when there is none). Decimal and hexadecimal numbers are converted correctly
     * rounded, as glibc does.
     */
    private int strtod(int start) {
        int i = start;
        boolean negative = false;
        if (ch(i) == '+' || ch(i) == '-') {
            negative = ch(i) == '-';
            i++;
        }
        if (matchesIgnoreCase(i, "inf")) {
            tokenNumber = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return matchesIgnoreCase(i + 3, "inity") ? i + 8 : i + 3;
        }
        if (matchesIgnoreCase(i, "nan")) {
            int e = i + 3;
            long bits = 0x7ff8000000000000L;
            if (ch(e) == '(') {
                int j = e + 1;
                while (isDigit(ch(j)) || (ch(j) | 0x20) >= 'a' && (ch(j) | 0x20) <= 'z' || ch(j) == '_') {
                    j++;
                }
                if (ch(j) == ')') {
                    // glibc: nan(n-char-sequence) whose whole sequence reads as strtoull(s, 0, 0)
                    // puts that number in the mantissa, below the quiet bit
                    bits |= nanPayload(e + 1, j) & 0x7ffffffffffffL;
                    e = j + 1;
                }
            }
            tokenNumber = Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
            return e;
        }
        if (ch(i) == '0' && (ch(i + 1) | 0x20) == 'x') {
            int j = i + 2;
            StringBuilder mant = new StringBuilder("0x");
            int digits = 0;
            while (hexDigit(ch(j)) >= 0) {
                mant.append((char) ch(j++));
                digits++;
            }
            if (ch(j) == '.') {
                int k = j + 1;
                StringBuilder frac = new StringBuilder(".");
                while (hexDigit(ch(k)) >= 0) {
                    frac.append((char) ch(k++));
                    digits++;
                }
                if (digits > 0) {
                    mant.append(frac);
                    j = k;
                }
            }
            if (digits == 0) {
                tokenNumber = negative ? -0.0 : 0.0; // "0" converted, the 'x' left
                return i + 1;
            }
            long exp = 0;
            if ((ch(j) | 0x20) == 'p') {
                int k = j + 1;
                boolean expNegative = false;
                if (ch(k) == '+' || ch(k) == '-') {
                    expNegative = ch(k) == '-';
                    k++;
                }
                if (isDigit(ch(k))) {
                    while (isDigit(ch(k))) {
                        if (exp < 100_000_000L) {
                            exp = exp * 10 + (ch(k) - '0');
                        }
                        k++;
                    }
                    if (expNegative) {
                        exp = -exp;
                    }
                    j = k;
                }
            }
            if (mant.charAt(mant.length() - 1) == '.') {
                mant.append('0');
            }
            if (mant.charAt(2) == '.') {
                mant.insert(2, '0');
            }
            double v = Double.parseDouble(mant + "p" + exp);
            tokenNumber = negative ? -v : v;
            return j;
        }
        int j = i;
        int digits = 0;
        while (isDigit(ch(j))) {
            j++;
            digits++;
        }
        if (ch(j) == '.') {
            j++;
            while (isDigit(ch(j))) {
                j++;
                digits++;
            }
        }
        if (digits == 0) {
            return start;
        }
        if ((ch(j) | 0x20) == 'e') {
            int k = j + 1;
            if (ch(k) == '+' || ch(k) == '-') {
                k++;
            }
            if (isDigit(ch(k))) {
                while (isDigit(ch(k))) {
                    k++;
                }
                j = k;
            }
        }
        tokenNumber = Double.parseDouble(new String(json, start, j - start, java.nio.charset.StandardCharsets.ISO_8859_1));
        return j;
    }
}
