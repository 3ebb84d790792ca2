package io.cachalot.core.script;

import io.cachalot.core.command.Reply;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Doubles;

/**
 * The reply sink of a command a script calls: builds the Lua value straight on the Lua stack, as
 * Redis' redisProtocolToLuaType does from the reply bytes — integers as numbers, bulk strings
 * as strings, nulls as false (RESP2) or nil (RESP3), status and error replies as tables with an
 * "ok" or "err" field, arrays as tables; under RESP3 (redis.setresp(3)) maps, sets, doubles,
 * big numbers and verbatim strings as tables with a "map", "set", "double", "big_number" or
 * "verbatim_string" field, booleans as booleans.
 */
final class LuaReply extends Reply {
    private static final int ARRAY = 0;
    private static final int MAP_KEY = 1;
    private static final int MAP_VALUE = 2;
    private static final int SET = 3;
    /** An attribute's pairs: Redis' Lua skips them. */
    private static final int SKIP = 4;

    private final LuaRuntime rt;
    private long p;
    private int resp = 2;
    private int depth;
    private int[] kind = new int[8];
    private int[] remaining = new int[8];
    private int[] index = new int[8];
    private boolean failed;

    LuaReply(LuaRuntime rt) {
        this.rt = rt;
    }

    /** Starts a reply pushed onto the stack of Lua state (or coroutine) {@code p}. */
    void begin(long p, int resp) {
        this.p = p;
        this.resp = resp;
        this.depth = 0;
        this.failed = false;
    }

    /** Whether the command answered an error (redis.call raises it). */
    boolean failed() {
        return failed;
    }

    @Override
    public int protocol() {
        return resp;
    }

    @Override
    public void switchProtocol(int protocol) {
    }

    /** A value is complete on top of the stack: it goes into the container being built, if any. */
    private void value() {
        var n = rt.n;
        while (depth > 0) {
            int f = depth - 1;
            switch (kind[f]) {
                case ARRAY:
                    n.lua_rawseti(p, -2, ++index[f]);
                    break;
                case MAP_KEY:
                    kind[f] = MAP_VALUE;
                    return;
                case MAP_VALUE:
                    n.lua_settable(p, -3);
                    kind[f] = MAP_KEY;
                    break;
                case SKIP:
                    n.lua_settop(p, -2);
                    if (--remaining[f] == 0) {
                        depth--;
                    }
                    return;
                default:
                    n.lua_pushboolean(p, 1);
                    n.lua_settable(p, -3);
                    break;
            }
            if (--remaining[f] > 0) {
                return;
            }
            close(f);
        }
    }

    /** A container got all its elements; a RESP3 map or set goes into its wrapping table. */
    private void close(int f) {
        depth--;
        if (resp == 3 && kind[f] != ARRAY) {
            rt.n.lua_settable(p, -3);
        }
    }

    private void growFrames() {
        if (depth == kind.length) {
            kind = java.util.Arrays.copyOf(kind, depth * 2);
            remaining = java.util.Arrays.copyOf(remaining, depth * 2);
            index = java.util.Arrays.copyOf(index, depth * 2);
        }
    }

    private void open(int k, int count) {
        growFrames();
        if (rt.n.lua_checkstack(p, 4) == 0) {
            throw new IllegalStateException("lua stack limit reached when converting a reply");
        }
        if (k != ARRAY && resp == 3) {
            rt.n.lua_newtable(p);
            rt.n.luaJ_pushstring(p, k == SET ? "set" : "map");
        }
        rt.n.lua_createtable(p, k == ARRAY ? count : 0, k == ARRAY ? 0 : count);
        if (count == 0) {
            if (k != ARRAY && resp == 3) {
                rt.n.lua_settable(p, -3);
            }
            value();
            return;
        }
        kind[depth] = k;
        remaining[depth] = count;
        index[depth] = 0;
        depth++;
    }

    @Override
    protected void writeError(String message) {
        failed = true;
        var n = rt.n;
        n.lua_newtable(p);
        n.luaJ_pushstring(p, "err");
        n.luaJ_pushstring(p, errorText(message));
        n.lua_settable(p, -3);
        n.luaJ_pushstring(p, "ignore_error_stats_update");
        n.lua_pushboolean(p, 1);
        n.lua_settable(p, -3);
        value();
    }

    /** "CODE msg" as luaPushErrorBuff keeps it: a code, one space, the message without CR/LF at its ends. */
    static String errorText(String message) {
        int sp = message.indexOf(' ');
        String code = sp < 0 ? "ERR" : message.substring(0, sp);
        String msg = sp < 0 ? message : message.substring(sp + 1);
        int nul = msg.indexOf('\0');
        if (nul >= 0) {
            msg = msg.substring(0, nul);
        }
        return code + " " + msg.strip();
    }

    @Override
    public void status(String s) {
        var n = rt.n;
        n.lua_newtable(p);
        n.luaJ_pushstring(p, "ok");
        byte[] b = Bytes.utf8(s);
        rt.push(p, b, 0, b.length);
        n.lua_settable(p, -3);
        value();
    }

    @Override
    public void integer(long v) {
        rt.n.lua_pushnumber(p, (double) v);
        value();
    }

    @Override
    public void bulk(byte[] b, int off, int len) {
        rt.push(p, b, off, len);
        value();
    }

    @Override
    public void nullBulk() {
        if (resp == 2) {
            rt.n.lua_pushboolean(p, 0);
        } else {
            rt.n.lua_pushnil(p);
        }
        value();
    }

    @Override
    public void nullArray() {
        nullBulk();
    }

    @Override
    public void array(int count) {
        open(ARRAY, count);
    }

    @Override
    public void map(int count) {
        if (resp == 2) {
            open(ARRAY, count * 2);
        } else {
            open(MAP_KEY, count);
        }
    }

    @Override
    public void set(int count) {
        open(resp == 2 ? ARRAY : SET, count);
    }

    @Override
    public void attribute(int count) {
        if (count == 0) {
            return;
        }
        growFrames();
        kind[depth] = SKIP;
        remaining[depth] = 2 * count;
        depth++;
    }

    @Override
    public void push(int count) {
        open(ARRAY, count);
    }

    @Override
    public void doubleValue(double d) {
        if (resp == 2) {
            byte[] b = Doubles.format17gBytes(d);
            rt.push(p, b, 0, b.length);
        } else {
            var n = rt.n;
            n.lua_newtable(p);
            n.luaJ_pushstring(p, "double");
            n.lua_pushnumber(p, d);
            n.lua_settable(p, -3);
        }
        value();
    }

    @Override
    public void bool(boolean b) {
        if (resp == 2) {
            rt.n.lua_pushnumber(p, b ? 1 : 0);
        } else {
            rt.n.lua_pushboolean(p, b ? 1 : 0);
        }
        value();
    }

    @Override
    public void verbatim(String format, byte[] text) {
        if (resp == 2) {
            rt.push(p, text, 0, text.length);
        } else {
            var n = rt.n;
            n.lua_newtable(p);
            n.luaJ_pushstring(p, "verbatim_string");
            n.lua_newtable(p);
            n.luaJ_pushstring(p, "string");
            rt.push(p, text, 0, text.length);
            n.lua_settable(p, -3);
            n.luaJ_pushstring(p, "format");
            n.luaJ_pushstring(p, format);
            n.lua_settable(p, -3);
            n.lua_settable(p, -3);
        }
        value();
    }

    @Override
    public void bigNumber(String digits) {
        if (resp == 2) {
            rt.n.luaJ_pushstring(p, digits);
        } else {
            var n = rt.n;
            n.lua_newtable(p);
            n.luaJ_pushstring(p, "big_number");
            n.luaJ_pushstring(p, digits);
            n.lua_settable(p, -3);
        }
        value();
    }
}
