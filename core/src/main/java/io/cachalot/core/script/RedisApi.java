package io.cachalot.core.script;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.io.ByteArrayOutputStream;

/**
 * The functions of the redis table (and math.random) that may raise errors, as Java functions:
 * Lua sees them as C functions, as Redis' are, so an error they raise is reported at the
 * script's line even when they are called in a tail call ({@code return redis.call(...)}).
 * Returning -1 raises the value on top of the stack.
 */
final class RedisApi {
    private static final int INT32_MAX = Integer.MAX_VALUE;

    private final LuaRuntime rt;
    private final Lua51Natives n;
    private final ScriptEngine engine;

    RedisApi(LuaRuntime rt, ScriptEngine engine) {
        this.rt = rt;
        this.n = rt.n;
        this.engine = engine;
    }

    /** In the order the prelude takes them. */
    JFunction[] functions() {
        return new JFunction[] {
            l -> call(l, true),
            l -> call(l, false),
            this::sha1hex,
            this::log,
            this::setResp,
            this::setRepl,
            this::aclCheckCmd,
            this::random,
            this::randomSeed,
            this::interrupt,
            this::registerFunction,
        };
    }

    /** Raises {"err" = "ERR " + message} (luaPushError + luaError). */
    private int raise(long p, String message) {
        n.lua_settop(p, 0);
        pushError(p, "ERR " + message);
        return -1;
    }

    void pushError(long p, String error) {
        n.lua_newtable(p);
        n.luaJ_pushstring(p, "err");
        byte[] b = error.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        rt.push(p, b, 0, b.length);
        n.lua_settable(p, -3);
    }

    /** Raises a message with the caller's position, as luaL_error from a C function does. */
    private int raisePlain(long p, String message) {
        n.lua_settop(p, 0);
        n.luaL_where(p, 1);
        n.luaJ_pushstring(p, message);
        n.lua_concat(p, 2);
        return -1;
    }

    private int call(Lua l, boolean raise) {
        long p = l.getPointer();
        ScriptRun r = rt.run;
        if (r == null) {
            return raise(p, "redis.call/pcall can only be called inside a script invocation");
        }
        int results = r.call(p);
        if (results == 1) {
            return 1;
        }
        // an error table and its flag on the stack
        boolean abort = n.lua_type(p, -1) == LuaRuntime.T_NUMBER;
        n.lua_settop(p, -2);
        if (abort) {
            rt.lineHook(p);
            return -1;
        }
        return raise ? -1 : 1;
    }

    private int sha1hex(Lua l) {
        long p = l.getPointer();
        if (n.lua_gettop(p) != 1) {
            return raise(p, "wrong number of arguments");
        }
        byte[] s = n.lua_isstring(p, 1) != 0 ? rt.bytes(p, 1) : new byte[0];
        n.lua_settop(p, 0);
        n.luaJ_pushstring(p, Sha1.hex(s, 0, s.length));
        return 1;
    }

    private int log(Lua l) {
        long p = l.getPointer();
        int argc = n.lua_gettop(p);
        if (argc < 2) {
            return raise(p, "redis.log() requires two arguments or more.");
        }
        if (n.lua_isnumber(p, 1) == 0) {
            return raise(p, "First argument must be a number (log level).");
        }
        int level = (int) n.lua_tonumber(p, 1);
        if (level < 0 || level > 3) {
            return raise(p, "Invalid debug level.");
        }
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        for (int j = 1; j < argc; j++) {
            if (n.lua_isstring(p, j + 1) != 0) {
                if (j != 1) {
                    msg.write(' ');
                }
                byte[] b = rt.bytes(p, j + 1);
                msg.write(b, 0, b.length);
            }
        }
        n.lua_settop(p, 0);
        engine.log(level, msg.toByteArray());
        return 0;
    }

    private int setResp(Lua l) {
        long p = l.getPointer();
        ScriptRun r = rt.run;
        if (r == null) {
            return raise(p, "redis.setresp can only be called inside a script invocation");
        }
        if (n.lua_gettop(p) != 1) {
            return raise(p, "redis.setresp() requires one argument.");
        }
        int resp = (int) n.lua_tonumber(p, 1);
        if (resp != 2 && resp != 3) {
            return raise(p, "RESP version must be 2 or 3.");
        }
        r.setResp(resp);
        n.lua_settop(p, 0);
        return 0;
    }

    private int setRepl(Lua l) {
        long p = l.getPointer();
        ScriptRun r = rt.run;
        if (r == null) {
            return raise(p, "redis.set_repl can only be called inside a script invocation");
        }
        if (n.lua_gettop(p) != 1) {
            return raise(p, "redis.set_repl() requires two arguments.");
        }
        int flags = (int) n.lua_tonumber(p, 1);
        if ((flags & ~3) != 0) {
            return raise(p, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        }
        r.setRepl(flags);
        n.lua_settop(p, 0);
        return 0;
    }

    private int aclCheckCmd(Lua l) {
        long p = l.getPointer();
        ScriptRun r = rt.run;
        if (r == null) {
            return raise(p, "redis.acl_check_cmd can only be called inside a script invocation");
        }
        int argc = n.lua_gettop(p);
        if (argc == 0) {
            return raise(p, "Please specify at least one argument for this redis lib call");
        }
        byte[][] argv = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            if (n.lua_isstring(p, i + 1) == 0) {
                return raise(p, "Lua redis lib command arguments must be strings or integers");
            }
            argv[i] = rt.bytes(p, i + 1);
        }
        n.lua_settop(p, 0);
        if (r.lookup(argv) == null) {
            return raise(p, "Invalid command passed to redis.acl_check_cmd()");
        }
        n.lua_pushboolean(p, 1); // no ACLs: the default user may run everything
        return 1;
    }

    /** math.random, with Redis' rand48 in place of the C library's rand(). */
    private int random(Lua l) {
        long p = l.getPointer();
        if (rt.run == null) {
            return raisePlain(p, "math.random can only be called inside a script invocation");
        }
        double r = (double) (engine.random().next() % INT32_MAX) / INT32_MAX;
        switch (n.lua_gettop(p)) {
            case 0:
                n.lua_pushnumber(p, r);
                return 1;
            case 1: {
                if (n.lua_isnumber(p, 1) == 0) {
                    return typeError(p, 1, "random");
                }
                int u = (int) n.lua_tonumber(p, 1);
                if (!(1 <= u)) {
                    return raisePlain(p, "bad argument #1 to 'random' (interval is empty)");
                }
                n.lua_settop(p, 0);
                n.lua_pushnumber(p, Math.floor(r * u) + 1);
                return 1;
            }
            case 2: {
                if (n.lua_isnumber(p, 1) == 0) {
                    return typeError(p, 1, "random");
                }
                if (n.lua_isnumber(p, 2) == 0) {
                    return typeError(p, 2, "random");
                }
                int lo = (int) n.lua_tonumber(p, 1);
                int up = (int) n.lua_tonumber(p, 2);
                if (!(lo <= up)) {
                    return raisePlain(p, "bad argument #2 to 'random' (interval is empty)");
                }
                n.lua_settop(p, 0);
                n.lua_pushnumber(p, Math.floor(r * (up - lo + 1)) + lo);
                return 1;
            }
            default:
                return raisePlain(p, "wrong number of arguments");
        }
    }

    private int randomSeed(Lua l) {
        long p = l.getPointer();
        if (rt.run == null) {
            return raisePlain(p, "math.randomseed can only be called inside a script invocation");
        }
        if (n.lua_isnumber(p, 1) == 0) {
            return typeError(p, 1, "randomseed");
        }
        engine.random().seed((int) n.lua_tonumber(p, 1));
        n.lua_settop(p, 0);
        return 0;
    }

    /** luaL_checkint's error. */
    private int typeError(long p, int arg, String function) {
        String got = n.lua_gettop(p) < arg ? "no value" : n.lua_typename(p, n.lua_type(p, arg));
        return raisePlain(p, "bad argument #" + arg + " to '" + function + "' (number expected, got " + got + ")");
    }

    /** FUNCTION LOAD gives a library's code this long to register its functions. */
    private static final long LOAD_TIMEOUT_NANOS = 500_000_000L;

    /** The count hook's question: the error to stop with, or false. */
    private int interrupt(Lua l) {
        long p = l.getPointer();
        String error = null;
        ScriptRun r = rt.run;
        LuaRuntime.LibraryLoad load = rt.loading;
        if (r != null && r.interrupted()) {
            error = "ERR Script killed by user with SCRIPT KILL...";
        } else if (load != null && System.nanoTime() - load.start > LOAD_TIMEOUT_NANOS) {
            error = "ERR FUNCTION LOAD timeout";
        }
        if (error == null) {
            n.lua_pushboolean(p, 0);
        } else {
            n.luaJ_pushstring(p, error);
        }
        return 1;
    }

    /** redis.register_function, with positional or named arguments (function_lua.c). */
    private int registerFunction(Lua l) {
        long p = l.getPointer();
        LuaRuntime.LibraryLoad load = rt.loading;
        if (load == null) {
            return raise(p, "redis.register_function can only be called on FUNCTION LOAD command");
        }
        int argc = n.lua_gettop(p);
        if (argc < 1 || argc > 2) {
            return raise(p, "wrong number of arguments to redis.register_function");
        }
        String name = null;
        byte[] description = null;
        int ref = -1;
        int flags = 0;
        String error = null;
        if (argc == 1) {
            if (n.lua_type(p, 1) != LuaRuntime.T_TABLE) {
                return raise(p, "calling redis.register_function with a single argument is only applicable to Lua "
                        + "table (representing named arguments).");
            }
            n.lua_pushnil(p);
            while (error == null && n.lua_next(p, 1) != 0) {
                if (n.lua_type(p, -2) != LuaRuntime.T_STRING && n.lua_type(p, -2) != LuaRuntime.T_NUMBER) {
                    error = "named argument key given to redis.register_function is not a string";
                    break;
                }
                n.lua_pushvalue(p, -2);
                String key = rt.text(p, -1).toLowerCase(java.util.Locale.ROOT);
                n.lua_settop(p, -2);
                switch (key) {
                    case "function_name":
                        if (n.lua_isstring(p, -1) == 0) {
                            error = "function_name argument given to redis.register_function must be a string";
                        } else {
                            name = rt.text(p, -1);
                        }
                        break;
                    case "description":
                        if (n.lua_isstring(p, -1) == 0) {
                            error = "description argument given to redis.register_function must be a string";
                        } else {
                            description = rt.bytes(p, -1);
                        }
                        break;
                    case "callback":
                        if (n.lua_isfunction(p, -1) == 0) {
                            error = "callback argument given to redis.register_function must be a function";
                        } else {
                            if (ref >= 0) {
                                n.luaL_unref(p, rt.registry, ref);
                            }
                            ref = n.luaL_ref(p, rt.registry);
                            continue; // the value was taken off the stack
                        }
                        break;
                    case "flags":
                        if (n.lua_type(p, -1) != LuaRuntime.T_TABLE) {
                            error = "flags argument to redis.register_function must be a table representing function "
                                    + "flags";
                        } else {
                            flags = readFlags(p);
                            if (flags < 0) {
                                error = "unknown flag given";
                            }
                        }
                        break;
                    default:
                        error = "unknown argument given to redis.register_function";
                }
                n.lua_settop(p, -2);
            }
            if (error == null && name == null) {
                error = "redis.register_function must get a function name argument";
            }
            if (error == null && ref < 0) {
                error = "redis.register_function must get a callback argument";
            }
        } else {
            if (n.lua_isstring(p, 1) == 0) {
                error = "first argument to redis.register_function must be a string";
            } else if (n.lua_isfunction(p, 2) == 0) {
                error = "second argument to redis.register_function must be a function";
            } else {
                name = rt.text(p, 1);
                n.lua_settop(p, 2);
                ref = n.luaL_ref(p, rt.registry);
            }
        }
        if (error == null && !ScriptEngine.validName(name)) {
            error = "Library names can only contain letters, numbers, or underscores(_) and must be at least one "
                    + "character long";
        }
        if (error == null && load.library.functions.containsKey(name)) {
            error = "Function already exists in the library";
        }
        if (error != null) {
            if (ref >= 0) {
                n.luaL_unref(p, rt.registry, ref);
            }
            return raise(p, error);
        }
        load.library.functions.put(name, new FunctionLibrary.Function(name, description, flags, load.library));
        load.refs.put(name, ref);
        n.lua_settop(p, 0);
        return 0;
    }

    /** The flags table on top: its flags, or -1 for an unknown one. */
    private int readFlags(long p) {
        int flags = 0;
        for (int j = 1; ; j++) {
            n.lua_pushnumber(p, j);
            n.lua_gettable(p, -2);
            int t = n.lua_type(p, -1);
            if (t == LuaRuntime.T_NIL) {
                n.lua_settop(p, -2);
                return flags;
            }
            if (n.lua_isstring(p, -1) == 0) {
                n.lua_settop(p, -2);
                return -1;
            }
            int bit = ScriptFlags.byName(rt.text(p, -1).toLowerCase(java.util.Locale.ROOT));
            n.lua_settop(p, -2);
            if (bit == 0) {
                return -1;
            }
            flags |= bit;
        }
    }
}
