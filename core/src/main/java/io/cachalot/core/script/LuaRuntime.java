package io.cachalot.core.script;

import io.cachalot.core.command.Reply;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One Lua 5.1 state with Redis' environment (the prelude resource: the redis table, the sandbox,
 * read-only globals), the scripts compiled in it, and the conversions between Lua values and
 * replies. A state is used by one thread at a time; {@link ScriptEngine} lends them out.
 */
final class LuaRuntime implements AutoCloseable {
    static final int T_NIL = 0;
    static final int T_BOOLEAN = 1;
    static final int T_NUMBER = 3;
    static final int T_STRING = 4;
    static final int T_TABLE = 5;
    private static final int GC_COLLECT = 2;
    private static final int GC_PERIOD = 1000;

    private static final byte[] PRELUDE = readPrelude();

    final Lua51 lua;
    final long L;
    final Lua51Natives n;
    final int registry;
    /** The SCRIPT FLUSH / FUNCTION generation this state was built for. */
    final long generation;
    private final int errhRef;
    private final int globalsRef;
    /** Restores the count hook after a killed script left the line hook on. */
    private final int rehookRef;
    private final int lineHookRef;
    /** The strings "KEYS" and "ARGV", set without converting a Java string each run. */
    private final int keysNameRef;
    private final int argvNameRef;
    private final int libraryEnvRef;
    /** The read-only globals every script runs with. */
    private final int envRef;
    /** The version of the engine's libraries this state has loaded, and their functions' callbacks. */
    long functionsVersion = -1;
    private final Map<String, Integer> functionRefs = new HashMap<>();
    /** While a library's code runs: what it registers. */
    LibraryLoad loading;
    final RedisApi api;
    /** sha -> registry reference of the compiled script. */
    private final Map<String, Integer> compiled = new HashMap<>();
    private ByteBuffer direct = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
    private int calls;
    /** The invocation in progress (the Java functions reach it). */
    ScriptRun run;
    /** The run state this Lua state's invocations reuse. */
    ScriptRun scriptRun;
    final LuaReply luaReply;

    LuaRuntime(ScriptEngine engine, long generation) {
        this.generation = generation;
        this.lua = new Lua51();
        this.L = lua.getPointer();
        this.n = (Lua51Natives) lua.getLuaNatives();
        this.registry = n.getRegistryIndex();
        this.luaReply = new LuaReply(this);
        luaReply.setErrorObserver(engine.errorObserver());
        lua.openLibraries();
        LuaLibraries libraries = LuaLibraries.open(this);
        ByteBuffer code = buffer(PRELUDE.length);
        code.put(PRELUDE).flip();
        if (n.luaJ_loadbuffer(L, code, PRELUDE.length, "@cachalot") != 0) {
            throw new IllegalStateException("the Lua prelude does not compile: " + n.lua_tostring(L, -1));
        }
        this.api = new RedisApi(this, engine);
        JFunction[] api = this.api.functions();
        for (JFunction f : api) {
            lua.push(f);
        }
        if (n.lua_pcall(L, api.length, 7, 0) != 0) {
            throw new IllegalStateException("the Lua prelude failed: " + n.lua_tostring(L, -1));
        }
        libraries.setReadonly(n.luaL_ref(L, registry));
        envRef = n.luaL_ref(L, registry);
        libraryEnvRef = n.luaL_ref(L, registry);
        lineHookRef = n.luaL_ref(L, registry);
        rehookRef = n.luaL_ref(L, registry);
        globalsRef = n.luaL_ref(L, registry);
        errhRef = n.luaL_ref(L, registry);
        n.lua_settop(L, 0);
        n.luaJ_pushstring(L, "KEYS");
        keysNameRef = n.luaL_ref(L, registry);
        n.luaJ_pushstring(L, "ARGV");
        argvNameRef = n.luaL_ref(L, registry);
        n.lua_gc(L, GC_COLLECT, 0); // what building the environment left behind
        memory = measure();
    }

    /** Makes every line of the running code raise (a killed run, or one that starts again). */
    void lineHook(long p) {
        n.lua_rawgeti(p, registry, lineHookRef);
        n.lua_pcall(p, 0, 0, 0);
    }

    /** Whether this state holds the compiled script {@code sha}. */
    boolean has(String sha) {
        return compiled.containsKey(sha);
    }

    /**
     * Compiles a script body (from {@code offset}, past its shebang line but keeping its line
     * feed) as chunk "@user_script"; returns null, or the compiler's message.
     */
    String compile(String sha, byte[] body, int offset) {
        int len = body.length - offset;
        ByteBuffer b = buffer(len);
        b.put(body, offset, len).flip();
        if (n.luaJ_loadbuffer(L, b, len, "@user_script") != 0) {
            String msg = text(L, -1);
            n.lua_settop(L, 0);
            return msg;
        }
        n.lua_rawgeti(L, registry, envRef);
        n.lua_setfenv(L, -2);
        compiled.put(sha, n.luaL_ref(L, registry));
        return null;
    }

    /**
     * Runs compiled script {@code sha} with KEYS and ARGV set, writing its result (or its error,
     * Redis' way) to {@code out}. Returns false, without a reply, when the run must start again
     * with the whole keyspace locked.
     */
    boolean runScript(ScriptRun r, String sha, byte[][] argv, int argc, int firstKey, int numKeys, Reply out) {
        long p = L;
        n.lua_settop(p, 0);
        n.lua_rawgeti(p, registry, errhRef);
        n.lua_rawgeti(p, registry, compiled.get(sha));
        n.lua_rawgeti(p, registry, globalsRef);
        n.lua_rawgeti(p, registry, keysNameRef);
        pushArray(argv, firstKey, numKeys);
        n.lua_rawset(p, 3);
        n.lua_rawgeti(p, registry, argvNameRef);
        pushArray(argv, firstKey + numKeys, argc - firstKey - numKeys);
        n.lua_rawset(p, 3);
        n.lua_settop(p, 2);
        return call(r, sha, 0, out);
    }

    /** Calls the function below its {@code nargs} arguments, the error handler at index 1. */
    private boolean call(ScriptRun r, String name, int nargs, Reply out) {
        long p = L;
        run = r;
        int rc;
        try {
            rc = n.lua_pcall(p, nargs, 1, 1);
        } finally {
            run = null;
        }
        if (r.abort != ScriptRun.RUNNING) {
            n.lua_rawgeti(p, registry, rehookRef);
            n.lua_pcall(p, 0, 0, 0);
        }
        if (++calls == GC_PERIOD) {
            // Lua's incremental collector runs as scripts allocate (Redis' extra collection step
            // every 50 runs tripled the collection work on this heap); a full collection every
            // 1000 runs (about 0.1 ms on a ~100 KB heap) keeps its garbage, and used_memory_lua,
            // near what the state holds
            calls = 0;
            n.lua_gc(p, GC_COLLECT, 0);
            memory = measure();
        }
        if (r.abort == ScriptRun.RESTART) {
            n.lua_settop(p, 0);
            return false;
        }
        if (rc != 0) {
            replyError(r, name, out);
        } else {
            replyTop(p, r.resp, out);
        }
        n.lua_settop(p, 0);
        return true;
    }

    /** A library being loaded: the functions its code registered (callbacks as registry references). */
    static final class LibraryLoad {
        final FunctionLibrary library;
        final Map<String, Integer> refs = new HashMap<>();
        final long start = System.nanoTime();

        LibraryLoad(FunctionLibrary library) {
            this.library = library;
        }
    }

    /**
     * Runs a library's code with its load-time globals; returns null with the functions it
     * registered in {@code library} and their callbacks kept in this state, or the error.
     */
    String loadLibrary(FunctionLibrary library) {
        long p = L;
        n.lua_settop(p, 0);
        int len = library.code.length - library.codeOffset;
        ByteBuffer b = buffer(len);
        b.put(library.code, library.codeOffset, len).flip();
        if (n.luaJ_loadbuffer(p, b, len, "@user_function") != 0) {
            String msg = text(p, -1);
            n.lua_settop(p, 0);
            return "ERR Error compiling function: " + msg;
        }
        n.lua_rawgeti(p, registry, libraryEnvRef);
        n.lua_pcall(p, 0, 2, 0);             // [chunk, env, loaded]
        n.lua_pushvalue(p, 2);
        n.lua_setfenv(p, 1);
        LibraryLoad load = new LibraryLoad(library);
        loading = load;
        n.lua_pushvalue(p, 1);
        int rc;
        try {
            rc = n.lua_pcall(p, 0, 0, 0);
        } finally {
            loading = null;
        }
        if (rc != 0) {
            String msg;
            if (n.lua_type(p, -1) == T_TABLE) {
                msg = field(p, "err");
            } else {
                msg = n.lua_isstring(p, -1) != 0 ? "ERR " + text(p, -1) : null;
            }
            for (int ref : load.refs.values()) {
                n.luaL_unref(p, registry, ref);
            }
            n.lua_settop(p, 0);
            library.functions.clear();
            return "ERR Error registering functions: " + msg;
        }
        n.lua_pushvalue(p, 3);
        n.lua_pcall(p, 0, 0, 0);             // its functions now see the full globals
        n.lua_settop(p, 0);
        for (Map.Entry<String, Integer> e : load.refs.entrySet()) {
            Integer previous = functionRefs.put(e.getKey(), e.getValue());
            if (previous != null) {
                n.luaL_unref(p, registry, previous);
            }
        }
        return null;
    }

    /**
     * A full collection, and the memory figure after it: after libraries are loaded (rare, and
     * each load leaves the previous code behind), so that INFO shows what the state holds.
     */
    void collect() {
        n.lua_gc(L, GC_COLLECT, 0);
        memory = measure();
    }

    /** Forgets the functions of every library (before loading the engine's current ones). */
    void dropFunctions() {
        for (int ref : functionRefs.values()) {
            n.luaL_unref(L, registry, ref);
        }
        functionRefs.clear();
    }

    boolean hasFunction(String name) {
        return functionRefs.containsKey(name);
    }

    /** Runs function {@code name} with its keys and arguments (FCALL), like {@link #runScript}. */
    boolean runFunction(ScriptRun r, String name, byte[][] argv, int argc, int firstKey, int numKeys, Reply out) {
        long p = L;
        n.lua_settop(p, 0);
        n.lua_rawgeti(p, registry, errhRef);
        n.lua_rawgeti(p, registry, functionRefs.get(name));
        pushArray(argv, firstKey, numKeys);
        pushArray(argv, firstKey + numKeys, argc - firstKey - numKeys);
        return call(r, name, 2, out);
    }

    /** The error a script raised, as Redis' luaCallFunction reports it. */
    private void replyError(ScriptRun r, String funcname, Reply out) {
        long p = L;
        if (n.lua_type(p, -1) != T_TABLE) {
            String msg = n.lua_isstring(p, -1) != 0 ? text(p, -1) : "execution failure";
            if (msg.length() > 100) {
                msg = msg.substring(0, 100);
            }
            out.error("ERR Error running script " + funcname + ", " + msg);
            return;
        }
        String msg = field(p, "err");
        String source = field(p, "source");
        String line = field(p, "line");
        StringBuilder sb = new StringBuilder(msg == null ? "" : msg);
        if (line != null && source != null) {
            sb.append(" script: ").append(funcname).append(", on ").append(source).append(':').append(line).append('.');
        }
        out.error(sb.toString(), !statsCounted(p));
    }

    /** Whether the error table on top came from a command's reply, which errorstats counted already. */
    private boolean statsCounted(long p) {
        n.luaJ_getfield(p, -1, "ignore_error_stats_update");
        boolean counted = n.lua_type(p, -1) == T_BOOLEAN && n.lua_toboolean(p, -1) != 0;
        n.lua_settop(p, -2);
        return counted;
    }

    private String field(long p, String name) {
        n.luaJ_getfield(p, -1, name);
        String v = n.lua_isstring(p, -1) != 0 ? text(p, -1) : null;
        n.lua_settop(p, -2);
        return v;
    }

    // ------------------------------------------------------------------ Lua -> reply

    private static final int F_ARRAY = 0;
    private static final int F_MAP_NEXT = 1;
    private static final int F_MAP_VALUE = 2;
    private static final int F_SET_NEXT = 3;
    private int[] frameKind = new int[16];
    private int[] frameLen = new int[16];
    private int[] framePos = new int[16];

    /**
     * Converts and pops the value on top of the stack, as Redis' luaReplyToRedisReply, without
     * recursion (a table may nest thousands deep, or contain itself: Redis answers "reached lua
     * stack limit" where the Lua stack runs out, and so does this).
     */
    void replyTop(long p, int scriptResp, Reply out) {
        int depth = 0;
        boolean pending = true;
        while (true) {
            if (pending) {
                pending = false;
                if (n.lua_checkstack(p, 4) == 0) {
                    out.error("ERR reached lua stack limit");
                    n.lua_settop(p, -2);
                } else if (n.lua_type(p, -1) != T_TABLE) {
                    replyScalar(p, scriptResp, out);
                    n.lua_settop(p, -2);
                } else {
                    int kind = replyTable(p, out);
                    if (kind >= 0) {
                        if (depth == frameKind.length) {
                            frameKind = java.util.Arrays.copyOf(frameKind, depth * 2);
                            frameLen = java.util.Arrays.copyOf(frameLen, depth * 2);
                            framePos = java.util.Arrays.copyOf(framePos, depth * 2);
                        }
                        frameKind[depth] = kind;
                        frameLen[depth] = kind == F_ARRAY ? arrayLength : 0;
                        framePos[depth] = 0;
                        depth++;
                    }
                }
            }
            if (depth == 0) {
                return;
            }
            int f = depth - 1;
            switch (frameKind[f]) {
                case F_ARRAY:
                    if (framePos[f] < frameLen[f]) {
                        n.lua_rawgeti(p, -1, ++framePos[f]);
                        pending = true;
                    } else {
                        n.lua_settop(p, -2);
                        depth--;
                    }
                    break;
                case F_MAP_NEXT:
                    if (n.lua_next(p, -2) != 0) {
                        n.lua_pushvalue(p, -2); // the key, converted before its value
                        frameKind[f] = F_MAP_VALUE;
                        pending = true;
                    } else {
                        n.lua_settop(p, -3);
                        depth--;
                    }
                    break;
                case F_MAP_VALUE:
                    frameKind[f] = F_MAP_NEXT;
                    pending = true;
                    break;
                default:
                    if (n.lua_next(p, -2) != 0) {
                        n.lua_settop(p, -2);
                        n.lua_pushvalue(p, -1);
                        pending = true;
                    } else {
                        n.lua_settop(p, -3);
                        depth--;
                    }
                    break;
            }
        }
    }

    private void replyScalar(long p, int scriptResp, Reply out) {
        switch (n.lua_type(p, -1)) {
            case T_STRING:
                out.bulk(bytes(p, -1));
                break;
            case T_BOOLEAN:
                if (scriptResp == 2) {
                    if (n.lua_toboolean(p, -1) != 0) {
                        out.integer(1);
                    } else {
                        out.nullBulk();
                    }
                } else {
                    out.bool(n.lua_toboolean(p, -1) != 0);
                }
                break;
            case T_NUMBER:
                out.integer(LuaLibraries.toInt64(n.lua_tonumber(p, -1))); // (long long) as x86 converts it
                break;
            default:
                out.nullBulk();
        }
    }

    private int arrayLength;

    /**
     * The table on top: an error, status, double, big number or verbatim string is answered and
     * popped (returns -1); a map or set is announced and left as [table, inner, nil] (returns its
     * frame kind); an array is announced and left on the stack (F_ARRAY, length in arrayLength).
     */
    private int replyTable(long p, Reply out) {
        if (rawField(p, "err") == T_STRING) {
            String msg = text(p, -1);
            n.lua_settop(p, -2);
            boolean counted = statsCounted(p);
            n.lua_settop(p, -2);
            out.error(msg, !counted);
            return -1;
        }
        n.lua_settop(p, -2);
        if (rawField(p, "ok") == T_STRING) {
            String ok = text(p, -1).replace('\r', ' ').replace('\n', ' ');
            n.lua_settop(p, -3);
            out.status(ok);
            return -1;
        }
        n.lua_settop(p, -2);
        if (rawField(p, "double") == T_NUMBER) {
            double d = n.lua_tonumber(p, -1);
            n.lua_settop(p, -3);
            out.doubleValue(d);
            return -1;
        }
        n.lua_settop(p, -2);
        if (rawField(p, "big_number") == T_STRING) {
            String big = text(p, -1).replace('\r', ' ').replace('\n', ' ');
            n.lua_settop(p, -3);
            out.bigNumber(big);
            return -1;
        }
        n.lua_settop(p, -2);
        if (rawField(p, "verbatim_string") == T_TABLE) {
            if (rawField(p, "format") == T_STRING) {
                String format = text(p, -1);
                if (rawFieldAt(p, -2, "string") == T_STRING) {
                    byte[] s = bytes(p, -1);
                    n.lua_settop(p, -5);
                    out.verbatim(format, s);
                    return -1;
                }
                n.lua_settop(p, -2);
            }
            n.lua_settop(p, -2);
        }
        n.lua_settop(p, -2);
        if (rawField(p, "map") == T_TABLE) {
            out.map(countEntries(p));
            n.lua_pushnil(p);
            return F_MAP_NEXT;
        }
        n.lua_settop(p, -2);
        if (rawField(p, "set") == T_TABLE) {
            out.set(countEntries(p));
            n.lua_pushnil(p);
            return F_SET_NEXT;
        }
        n.lua_settop(p, -2);
        int len = 0;
        while (true) {
            n.lua_rawgeti(p, -1, len + 1);
            boolean nil = n.lua_type(p, -1) == T_NIL;
            n.lua_settop(p, -2);
            if (nil) {
                break;
            }
            len++;
        }
        out.array(len);
        arrayLength = len;
        return F_ARRAY;
    }

    private int countEntries(long p) {
        int count = 0;
        n.lua_pushnil(p);
        while (n.lua_next(p, -2) != 0) {
            n.lua_settop(p, -2);
            count++;
        }
        return count;
    }

    /** Pushes t[name] (raw) of the table on top and returns its type. */
    private int rawField(long p, String name) {
        return rawFieldAt(p, -1, name);
    }

    private int rawFieldAt(long p, int table, String name) {
        n.luaJ_pushstring(p, name);
        n.lua_rawget(p, table - 1);
        return n.lua_type(p, -1);
    }

    // ------------------------------------------------------------------ strings

    /**
     * The bytes of the string (or number, in Lua's own format) at {@code idx}. Pure ASCII comes
     * back through lua_tostring; anything else (high bytes, NUL) through a direct buffer.
     */
    byte[] bytes(long p, int idx) {
        String s = n.lua_tostring(p, idx);
        int len = (int) n.lua_objlen(p, idx);
        if (s != null && s.length() == len && isAscii(s)) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteBuffer b = (ByteBuffer) n.luaJ_todirectbuffer(p, idx);
        if (b == null) {
            return new byte[0];
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A string value as text (messages, field names): Latin-1 of its bytes. */
    String text(long p, int idx) {
        return new String(bytes(p, idx), StandardCharsets.ISO_8859_1);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Pushes a byte string. luajava only pushes Java strings (as modified UTF-8), exact for ASCII;
     * other bytes are pushed by running a tiny Lua 5.1 binary chunk whose only constant is them.
     */
    void push(long p, byte[] b, int off, int len) {
        if (isAscii(b, off, len)) {
            n.luaJ_pushstring(p, new String(b, off, len, StandardCharsets.ISO_8859_1));
            return;
        }
        pushBinary(p, b, off, len);
    }

    private static boolean isAscii(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] CHUNK_HEADER = {0x1B, 'L', 'u', 'a', 0x51, 0, 1, 4, 8, 4, 8, 0};

    private void pushBinary(long p, byte[] b, int off, int len) {
        ByteBuffer c = buffer(len + 96);
        c.put(CHUNK_HEADER);
        c.putLong(0);              // source name: none
        c.putInt(0).putInt(0);     // line defined, last line defined
        c.put((byte) 0).put((byte) 0).put((byte) 2).put((byte) 2); // upvalues, params, vararg, max stack
        c.putInt(2);               // code: LOADK 0 0; RETURN 0 2
        c.putInt(1);
        c.putInt(30 | (2 << 23));
        c.putInt(1);               // one constant: the string, NUL-terminated, length with the NUL
        c.put((byte) 4);
        c.putLong(len + 1L);
        c.put(b, off, len);
        c.put((byte) 0);
        c.putInt(0);               // nested functions
        c.putInt(0).putInt(0).putInt(0); // debug: line info, locals, upvalues
        int size = c.position();
        c.flip();
        if (n.luaJ_loadbuffer(p, c, size, "=binary") != 0 || n.lua_pcall(p, 0, 1, 0) != 0) {
            throw new IllegalStateException("could not push a binary string: " + n.lua_tostring(p, -1));
        }
    }

    private void pushArray(byte[][] argv, int from, int count) {
        n.lua_createtable(L, count, 0);
        for (int i = 0; i < count; i++) {
            byte[] a = argv[from + i];
            push(L, a, 0, a.length);
            n.lua_rawseti(L, -2, i + 1);
        }
    }

    private ByteBuffer buffer(int size) {
        if (direct.capacity() < size) {
            direct = ByteBuffer.allocateDirect(Math.max(size, direct.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        direct.clear();
        return direct;
    }

    /** Bytes the Lua state holds (INFO used_memory_lua), as last measured on its own thread. */
    private volatile long memory;

    long memory() {
        return memory;
    }

    private long measure() {
        return n.lua_gc(L, 3, 0) * 1024L + n.lua_gc(L, 4, 0);
    }

    @Override
    public void close() {
        lua.close();
    }

    private static byte[] readPrelude() {
        try (InputStream in = LuaRuntime.class.getResourceAsStream("prelude.lua")) {
            if (in == null) {
                throw new IllegalStateException("missing resource prelude.lua");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
