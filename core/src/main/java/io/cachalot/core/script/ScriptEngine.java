package io.cachalot.core.script;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.EngineServices;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.LockSet;
import io.cachalot.core.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Scripting for one engine: the EVAL script cache, the Lua states (one per thread running a script
 * at the same time, lent out and returned; each compiles a cached script the first time it runs
 * it), math.random's state, and the run that has gone past busy-reply-threshold (-BUSY for
 * others, SCRIPT KILL).
 */
public final class ScriptEngine implements io.cachalot.core.command.ScriptFacts {
    private static final Logger LOG = LoggerFactory.getLogger("io.cachalot.lua");
    static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    static final String BUSY_FUNCTION =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    private final EngineServices engine;
    private final Supplier<CommandContext> clients;
    private final Map<String, Script> cache = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<LuaRuntime> idle = new ConcurrentLinkedQueue<>();
    private final Rand48 random = new Rand48();
    /** Every Lua state made (closing the engine stops the runs in progress). */
    private final java.util.List<LuaRuntime> every = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long generation;
    private volatile ScriptRun busy;

    private final io.cachalot.core.command.Reply.ErrorObserver errors;

    /**
     * {@code clients} makes the in-process client each Lua state runs its commands as;
     * {@code errors} counts error replies (INFO errorstats) of the commands scripts call.
     */
    public ScriptEngine(EngineServices engine, Supplier<CommandContext> clients,
                        io.cachalot.core.command.Reply.ErrorObserver errors) {
        this.engine = engine;
        this.clients = clients;
        this.errors = errors;
    }

    io.cachalot.core.command.Reply.ErrorObserver errorObserver() {
        return errors;
    }

    Rand48 random() {
        return random;
    }

    // ------------------------------------------------------------------ Lua states

    private LuaRuntime acquire() {
        long g = generation;
        LuaRuntime rt;
        while ((rt = idle.poll()) != null) {
            if (rt.generation == g) {
                return rt;
            }
            every.remove(rt);
            rt.close();
        }
        rt = new LuaRuntime(this, g);
        every.add(rt);
        CommandContext inner = clients.get();
        inner.session().setAuthenticated(true);
        inner.markScriptClient();
        rt.scriptRun = new ScriptRun(this, engine, rt, inner);
        return rt;
    }

    private void release(LuaRuntime rt) {
        if (rt.generation == generation && !closed) {
            idle.offer(rt);
        } else {
            every.remove(rt);
            rt.close();
        }
    }

    private volatile boolean closed;

    // ------------------------------------------------------------------ the cache

    /** SCRIPT LOAD, and EVAL of a body not seen before: compiles and caches it; returns its SHA-1. */
    public String load(byte[] body) {
        String sha = Sha1.hex(body, 0, body.length);
        if (cache.containsKey(sha)) {
            return sha;
        }
        ScriptFlags.Shebang shebang = ScriptFlags.parse(body);
        LuaRuntime rt = acquire();
        try {
            String error = rt.compile(sha, body, shebang.length());
            if (error != null) {
                throw new CommandError("ERR Error compiling script (new function): " + error);
            }
        } finally {
            release(rt);
        }
        cache.putIfAbsent(sha, new Script(sha, body, shebang.flags(), shebang.length()));
        return sha;
    }

    /** The cached script of a SHA-1 (lower case), or null. */
    Script cached(String sha) {
        return cache.get(sha);
    }

    public boolean exists(byte[] sha) {
        return bySha(sha) != null;
    }

    /** Recently run scripts by the first bytes of their SHA-1: EVALSHA finds them without a string. */
    private final Script[] recent = new Script[64];

    /** The cached script of a SHA-1 given in any case, or null. */
    private Script bySha(byte[] sha) {
        if (sha.length != 40) {
            return null;
        }
        int slot = ((sha[0] & 0xff) * 31 + (sha[1] & 0xff)) & 63;
        Script r = recent[slot];
        if (r != null && java.util.Arrays.equals(r.shaBytes, sha) && cache.get(r.sha) == r) {
            return r;
        }
        Script s = cache.get(new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
        if (s != null && java.util.Arrays.equals(s.shaBytes, sha)) {
            recent[slot] = s;
        }
        return s;
    }

    /** SCRIPT FLUSH: forgets every script; Lua states are rebuilt, as Redis resets its interpreter. */
    public void flush() {
        cache.clear();
        generation++;
        LuaRuntime rt;
        while ((rt = idle.poll()) != null) {
            rt.close();
        }
    }

    // ------------------------------------------------------------------ running

    /**
     * EVAL / EVALSHA and their _RO forms: {@code ctx.argv} is the command, {@code script} a body
     * or a SHA-1.
     */
    public void eval(CommandContext ctx, boolean bySha, boolean readOnly) {
        engine.dispatcher().feedMonitorsNow(ctx);
        long numKeys = ctx.longArg(2);
        if (numKeys > ctx.argc - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        if (numKeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        Script known;
        if (bySha) {
            known = bySha(ctx.argv[1]);
            if (known == null) {
                throw new CommandError(NOSCRIPT);
            }
        } else {
            known = cache.get(Sha1.hex(ctx.argv[1], 0, ctx.argv[1].length));
        }
        dispatch(ctx, known, inv -> evalNow(inv, bySha, readOnly, (int) numKeys));
    }

    private void evalNow(Invocation inv, boolean bySha, boolean readOnly, int numKeys) {
        Script script;
        if (bySha) {
            script = bySha(inv.argv[1]);
            if (script == null) {
                throw new CommandError(NOSCRIPT); // flushed meanwhile
            }
        } else {
            script = cache.get(load(inv.argv[1]));
        }
        boolean compat = script.has(ScriptFlags.EVAL_COMPAT);
        if (!compat) {
            checkFlags(inv, script.flags, readOnly);
        }
        boolean ro = readOnly || (!compat && script.has(ScriptFlags.NO_WRITES));
        boolean allowOom = !compat && script.has(ScriptFlags.ALLOW_OOM);
        run(inv, script, numKeys, ro, allowOom);
    }

    // ------------------------------------------------------------------ the script thread

    private final java.util.concurrent.LinkedBlockingQueue<Runnable> queue = new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile Thread scriptThread;
    /** A parked client's script result, and its command (whose failed calls it may count). */
    private record Parked(io.cachalot.core.command.RecordingReply reply, io.cachalot.core.command.CommandSpec spec) {
    }

    private final Map<io.cachalot.core.client.Session, Parked> results = new ConcurrentHashMap<>();

    /**
     * Where a network client's script runs. One whose last run was fast runs on the client's own
     * thread (an event loop), in parallel with others on other keys. Any other (new, or slow last
     * time) runs on the script thread, as Redis runs scripts on its one thread: the client is
     * parked (its connection reads nothing more) and its event loop serves its other clients
     * meanwhile, which get -BUSY, SCRIPT KILL or FUNCTION KILL answered while the script runs too
     * long. In-process callers and scripts inside EXEC run on their own thread.
     */
    private void dispatch(CommandContext ctx, Code known, java.util.function.Consumer<Invocation> body) {
        io.cachalot.core.client.Session session = ctx.session();
        if ((known != null && known.fast) || session.connection() == null || ctx.inTransaction()
                || Thread.currentThread() == scriptThread) {
            body.accept(Invocation.inline(ctx));
            return;
        }
        var reply = new io.cachalot.core.command.RecordingReply(session.protocol());
        Invocation inv = Invocation.copy(ctx, reply);
        io.cachalot.core.command.CommandSpec spec = ctx.spec();
        ctx.markBlocked();
        submit(() -> {
            inv.now = engine.clock().millis(System.nanoTime());
            Object unit = engine.effects().begin();
            // client-side caching sees the script's client as the one running (NOLOOP, and what it
            // invalidates for itself follows its reply)
            io.cachalot.core.tracking.Tracking tracking = engine.tracking();
            boolean tracked = tracking.active();
            io.cachalot.core.client.Session before = tracked ? tracking.serveFor(session) : null;
            try {
                body.accept(inv);
            } catch (CommandError e) {
                reply.error(e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("A script failed", e);
                reply.error("ERR " + e);
            } finally {
                engine.effects().end(unit);
                if (tracked) {
                    rememberDeclaredKeys(tracking, session, spec, inv);
                    tracking.restore(before);
                }
            }
            engine.blocking().serveReady();
            results.put(session, new Parked(reply, spec));
            session.blockHandler().resume();
        });
    }

    /** A script that called a read-only command makes its caller track the keys it declared. */
    private static void rememberDeclaredKeys(io.cachalot.core.tracking.Tracking tracking,
                                             io.cachalot.core.client.Session session,
                                             io.cachalot.core.command.CommandSpec spec, Invocation inv) {
        if (!tracking.takeScriptRead() || !io.cachalot.core.tracking.Tracking.remembers(session)) {
            return;
        }
        io.cachalot.core.command.Dispatcher.rememberKeys(tracking, session, spec, inv.argv, inv.argc);
    }

    private void submit(Runnable task) {
        if (scriptThread == null) {
            synchronized (this) {
                if (scriptThread == null) {
                    Thread t = new Thread(this::loop, "cachalot-scripts");
                    t.setDaemon(true);
                    scriptThread = t;
                    t.start();
                }
            }
        }
        queue.add(task);
    }

    private void loop() {
        while (true) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.warn("The script thread caught an error", t);
            }
        }
    }

    private static final Runnable STOP = () -> { };

    /**
     * Writes the reply of a script the client was parked for into {@code out} (on the client's
     * thread); false when there is none.
     */
    public boolean finishParked(io.cachalot.core.client.Session s, io.cachalot.core.command.Reply out) {
        Parked p = results.remove(s);
        if (p == null) {
            return false;
        }
        if (p.reply().isError()) {
            p.spec().failedCalls.increment();
        }
        p.reply().replayTo(out);
        return true;
    }

    /** Forgets what a client that went away was parked for. */
    public void forget(io.cachalot.core.client.Session s) {
        results.remove(s);
    }

    /**
     * The engine closes (Redis: SHUTDOWN NOSAVE is the way out of an unkillable script): runs in
     * progress stop, the script thread ends once it has nothing left to run.
     */
    public void close() {
        closed = true;
        for (LuaRuntime rt : every) {
            ScriptRun r = rt.run;
            if (r != null) {
                r.abort = ScriptRun.KILLED;
            }
        }
        if (scriptThread != null) {
            queue.add(STOP);
        }
    }

    /** Redis' scriptPrepareForRun for a script that declared flags. */
    private void checkFlags(Invocation ctx, int flags, boolean readOnly) {
        if ((flags & ScriptFlags.NO_WRITES) == 0) {
            String denied = engine.persistence().writesDenied();
            if (denied != null) {
                String aof = "MISCONF Errors writing to the AOF file: ";
                throw new CommandError(denied.startsWith(aof)
                        ? "MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist "
                        + "to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. "
                        + "AOF error: " + denied.substring(aof.length())
                        : "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist "
                        + "to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.");
            }
            if (readOnly) {
                throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
            }
        }
        if (ctx.overMaxmemory && engine.settings().maxmemory.value() > 0
                && (flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
            throw new CommandError("OOM allow-oom flag is not set on the script, "
                    + "can not run it when used memory > 'maxmemory'");
        }
    }

    private void run(Invocation ctx, Script script, int numKeys, boolean readOnly, boolean allowOom) {
        LuaRuntime rt = acquire();
        try {
            if (!rt.has(script.sha)) {
                String error = rt.compile(script.sha, script.body, script.codeOffset);
                if (error != null) {
                    throw new CommandError("ERR Error compiling script (new function): " + error);
                }
            }
            runLocked(ctx, rt, script, script.sha, true, numKeys, readOnly, allowOom);
        } finally {
            release(rt);
        }
    }

    /**
     * Runs a script or function with the keys it declares locked (or everything, once it is known
     * to touch other keys), again with everything locked when a run must start over.
     */
    private void runLocked(Invocation ctx, LuaRuntime rt, Code code, String name, boolean evalMode, int numKeys,
                           boolean readOnly, boolean allowOom) {
        ScriptRun run = rt.scriptRun;
        boolean exclusive = code.exclusive;
        Keyspace ks = engine.keyspace();
        while (true) {
            run.begin(ctx, name, numKeys, evalMode, readOnly, allowOom, exclusive);
            LockSet locks = run.locks;
            if (exclusive) {
                ks.lockEverything();
            } else {
                var db = ks.db(ctx.db);
                for (int i = 0; i < numKeys; i++) {
                    locks.add(db, Bytes.hash(ctx.argv[3 + i]));
                }
                locks.lock();
            }
            boolean done;
            try {
                done = evalMode
                        ? rt.runScript(run, name, ctx.argv, ctx.argc, 3, numKeys, ctx.reply)
                        : rt.runFunction(run, name, ctx.argv, ctx.argc, 3, numKeys, ctx.reply);
            } finally {
                run.releaseTaken();
                if (exclusive) {
                    ks.unlockEverything();
                } else {
                    locks.unlock();
                }
                if (run.timedOut) {
                    endTimedOut(run);
                }
            }
            if (done) {
                // what the run showed decides how the next one locks, and where it runs
                code.exclusive = run.touchedUndeclared;
                code.fast = !run.timedOut && run.abort == ScriptRun.RUNNING
                        && System.nanoTime() - run.startNanos < Code.FAST_NANOS;
                return;
            }
            exclusive = true; // it touched keys it did not declare before writing: again, locking everything
        }
    }

    // ------------------------------------------------------------------ functions

    private final Map<String, FunctionLibrary> libraries = new java.util.LinkedHashMap<>();
    /** Function names, lower-case (FCALL finds them ignoring case, as Redis). */
    private final Map<String, FunctionLibrary.Function> functions = new ConcurrentHashMap<>();
    private volatile long functionsVersion;

    /** Names of libraries and functions: letters, digits and underscores. */
    static boolean validName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String key(String functionName) {
        return functionName.toLowerCase(java.util.Locale.ROOT);
    }

    /** FUNCTION LOAD: returns the library's name; fails with Redis' errors. */
    public synchronized String functionLoad(byte[] code, boolean replace) {
        FunctionLibrary lib = parseLibrary(code);
        FunctionLibrary old = libraries.get(lib.name);
        if (old != null && !replace) {
            throw new CommandError("ERR Library '" + lib.name + "' already exists");
        }
        compileLibrary(lib);
        for (FunctionLibrary.Function f : lib.functions.values()) {
            FunctionLibrary.Function other = functions.get(key(f.name));
            if (other != null && other.library != old) {
                throw new CommandError("ERR Function " + f.name + " already exists");
            }
        }
        if (old != null) {
            unlink(old);
        }
        link(lib);
        return lib.name;
    }

    private static FunctionLibrary parseLibrary(byte[] code) {
        if (!ScriptFlags.hasShebang(code)) {
            throw new CommandError("ERR Missing library metadata");
        }
        int end = ScriptFlags.lineEnd(code);
        if (end < 0) {
            throw new CommandError("ERR Invalid library metadata");
        }
        java.util.List<byte[]> parts = io.cachalot.core.util.ArgSplitter.split(code, 0, end);
        if (parts == null || parts.isEmpty()) {
            throw new CommandError("ERR Invalid library metadata");
        }
        String engineName = new String(parts.get(0), StandardCharsets.ISO_8859_1).substring(2);
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            String part = new String(parts.get(i), StandardCharsets.ISO_8859_1);
            if (part.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new CommandError("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
                continue;
            }
            throw new CommandError("ERR Invalid metadata value given: " + part);
        }
        if (name == null) {
            throw new CommandError("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new CommandError("ERR Library names can only contain letters, numbers, or underscores(_) and must "
                    + "be at least one character long");
        }
        if (!engineName.equalsIgnoreCase("lua")) {
            throw new CommandError("ERR Engine '" + engineName + "' not found");
        }
        return new FunctionLibrary(name, code, end);
    }

    /** Runs a library's code (in a Lua state of this thread) to learn its functions. */
    private void compileLibrary(FunctionLibrary lib) {
        LuaRuntime rt = acquire();
        try {
            String error = rt.loadLibrary(lib);
            // only the registrations were wanted: the state loads the engine's set when it runs one
            rt.dropFunctions();
            rt.functionsVersion = -1;
            rt.collect();
            if (error != null) {
                throw new CommandError(error);
            }
        } finally {
            release(rt);
        }
        if (lib.functions.isEmpty()) {
            throw new CommandError("ERR No functions registered");
        }
    }

    private void link(FunctionLibrary lib) {
        libraries.put(lib.name, lib);
        for (FunctionLibrary.Function f : lib.functions.values()) {
            functions.put(key(f.name), f);
        }
        functionsVersion++;
    }

    private void unlink(FunctionLibrary lib) {
        libraries.remove(lib.name);
        for (FunctionLibrary.Function f : lib.functions.values()) {
            functions.remove(key(f.name));
        }
        functionsVersion++;
    }

    /** FUNCTION DELETE. */
    public synchronized void functionDelete(String name) {
        FunctionLibrary lib = libraries.get(name);
        if (lib == null) {
            throw new CommandError("ERR Library not found");
        }
        unlink(lib);
    }

    /** FUNCTION FLUSH. */
    public synchronized void functionFlush() {
        libraries.clear();
        functions.clear();
        functionsVersion++;
    }

    /** The libraries, in load order (FUNCTION LIST, DUMP, RDB). */
    public synchronized java.util.List<FunctionLibrary> libraries() {
        return new java.util.ArrayList<>(libraries.values());
    }

    /** Every library's code, in load order: what RDB files and FUNCTION DUMP hold. */
    public synchronized java.util.List<byte[]> libraryCodes() {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (FunctionLibrary lib : libraries.values()) {
            out.add(lib.code);
        }
        return out;
    }

    @Override
    public int functionCount() {
        return functions.size();
    }

    /**
     * FUNCTION RESTORE and loading from RDB: the libraries of {@code codes}, with Redis' policies
     * (FLUSH replaces everything, APPEND fails on a name already there, REPLACE replaces those).
     */
    public synchronized void functionRestore(java.util.List<byte[]> codes, String policy) {
        restore(codes, policy);
    }

    private void restore(java.util.List<byte[]> codes, String policy) {
        java.util.List<FunctionLibrary> loaded = new java.util.ArrayList<>();
        Map<String, FunctionLibrary> names = new java.util.HashMap<>();
        for (byte[] code : codes) {
            FunctionLibrary lib = parseLibrary(code);
            compileLibrary(lib);
            for (FunctionLibrary.Function f : lib.functions.values()) {
                if (names.putIfAbsent(key(f.name), lib) != null) {
                    throw new CommandError("ERR Function " + f.name + " already exists");
                }
            }
            loaded.add(lib);
        }
        if (policy.equals("flush")) {
            functionFlush();
        } else {
            for (FunctionLibrary lib : loaded) {
                FunctionLibrary old = libraries.get(lib.name);
                if (old != null && policy.equals("append")) {
                    throw new CommandError("ERR Library " + lib.name + " already exists");
                }
                for (FunctionLibrary.Function f : lib.functions.values()) {
                    FunctionLibrary.Function other = functions.get(key(f.name));
                    if (other != null && (policy.equals("append") || !other.library.name.equals(lib.name))) {
                        throw new CommandError("ERR Function " + f.name + " already exists");
                    }
                }
            }
            for (FunctionLibrary lib : loaded) {
                FunctionLibrary old = libraries.get(lib.name);
                if (old != null) {
                    unlink(old);
                }
            }
        }
        for (FunctionLibrary lib : loaded) {
            link(lib);
        }
    }

    /** The libraries as persistence saves and loads them. */
    public io.cachalot.core.persist.rdb.FunctionStore functionStore() {
        return new io.cachalot.core.persist.rdb.FunctionStore() {
            @Override
            public java.util.List<byte[]> codes() {
                return libraryCodes();
            }

            @Override
            public void load(java.util.List<byte[]> codes, boolean replace)
                    throws io.cachalot.core.persist.rdb.RdbFormatException {
                if (codes.isEmpty()) {
                    return;
                }
                try {
                    functionRestore(codes, replace ? "replace" : "append");
                } catch (CommandError e) {
                    throw new io.cachalot.core.persist.rdb.RdbFormatException("Failed loading library: "
                            + e.getMessage());
                }
            }

            @Override
            public void clear() {
                functionFlush();
            }
        };
    }

    /** FCALL and FCALL_RO. */
    public void fcall(CommandContext ctx, boolean readOnly) {
        engine.dispatcher().feedMonitorsNow(ctx);
        String name = new String(ctx.argv[1], StandardCharsets.ISO_8859_1);
        FunctionLibrary.Function f = functions.get(key(name));
        if (f == null) {
            throw new CommandError("ERR Function not found");
        }
        byte[] nk = ctx.argv[2];
        if (!io.cachalot.core.util.Numbers.isLong(nk)) {
            throw new CommandError("ERR Bad number of keys provided");
        }
        long numKeys = io.cachalot.core.util.Numbers.parseLong(nk);
        if (numKeys > ctx.argc - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        if (numKeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        dispatch(ctx, f, inv -> fcallNow(inv, f, readOnly, (int) numKeys));
    }

    private void fcallNow(Invocation inv, FunctionLibrary.Function f, boolean readOnly, int numKeys) {
        checkFlags(inv, f.flags, readOnly);
        boolean ro = readOnly || f.has(ScriptFlags.NO_WRITES);
        LuaRuntime rt = acquire();
        try {
            if (rt.functionsVersion != functionsVersion || !rt.hasFunction(f.name)) {
                reloadFunctions(rt);
            }
            if (!rt.hasFunction(f.name)) {
                throw new CommandError("ERR Function not found"); // deleted meanwhile
            }
            runLocked(inv, rt, f, f.name, false, numKeys, ro, f.has(ScriptFlags.ALLOW_OOM));
        } finally {
            release(rt);
        }
    }

    /** Loads the engine's current libraries into a Lua state that has older ones. */
    private void reloadFunctions(LuaRuntime rt) {
        java.util.List<FunctionLibrary> libs;
        long version;
        synchronized (this) {
            libs = new java.util.ArrayList<>(libraries.values());
            version = functionsVersion;
        }
        rt.dropFunctions();
        for (FunctionLibrary lib : libs) {
            FunctionLibrary copy = new FunctionLibrary(lib.name, lib.code, lib.codeOffset);
            String error = rt.loadLibrary(copy);
            if (error != null) {
                LOG.warn("Library {} did not load again: {}", lib.name, error);
            }
        }
        rt.functionsVersion = version;
        rt.collect();
    }

    /** FUNCTION STATS (the running function, if any, and the engine's counts). */
    public void functionStats(Reply r) {
        ScriptRun b = busy;
        if (b != null && b.evalMode) {
            throw new CommandError(BUSY_EVAL);
        }
        r.map(2);
        r.bulk("running_script");
        if (b == null) {
            r.nullBulk();
        } else {
            r.map(3);
            r.bulk("name");
            r.bulk(b.name);
            r.bulk("command");
            r.array(b.caller.argc);
            for (int i = 0; i < b.caller.argc; i++) {
                r.bulk(b.caller.argv[i]);
            }
            r.bulk("duration_ms");
            r.integer((System.nanoTime() - b.startNanos) / 1_000_000);
        }
        r.bulk("engines");
        r.map(1);
        r.bulk("LUA");
        r.map(2);
        r.bulk("libraries_count");
        synchronized (this) {
            r.integer(libraries.size());
        }
        r.bulk("functions_count");
        r.integer(functions.size());
    }

    // ------------------------------------------------------------------ busy scripts

    void timedOut(ScriptRun run, long elapsedMillis) {
        LOG.warn("Slow script detected: still in execution after {} milliseconds. You can try killing the script "
                + "using the {} command. Script name is: {}.", elapsedMillis,
                run.evalMode ? "SCRIPT KILL" : "FUNCTION KILL", run.name);
        synchronized (this) {
            if (busy == null) {
                busy = run;
            }
        }
    }

    private synchronized void endTimedOut(ScriptRun run) {
        if (busy == run) {
            busy = null;
        }
    }

    /** The -BUSY error while a script runs past busy-reply-threshold, else null. */
    public String busyError() {
        ScriptRun b = busy;
        if (b == null) {
            return null;
        }
        return b.evalMode ? BUSY_EVAL : BUSY_FUNCTION;
    }

    /** SCRIPT KILL ({@code eval}) and FUNCTION KILL. */
    public synchronized void kill(boolean eval, Reply reply) {
        ScriptRun b = busy;
        if (b == null) {
            reply.error("NOTBUSY No scripts in execution right now.");
        } else if (b.writeDirty) {
            reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. "
                    + "You can either wait the script termination or kill the server in a hard way "
                    + "using the SHUTDOWN NOSAVE command.");
        } else if (eval && !b.evalMode) {
            reply.error(BUSY_FUNCTION);
        } else if (!eval && b.evalMode) {
            reply.error(BUSY_EVAL);
        } else {
            b.abort = ScriptRun.KILLED;
            LOG.warn("Lua script killed by user with {}.", eval ? "SCRIPT KILL" : "FUNCTION KILL");
            reply.ok();
        }
    }

    void log(int level, byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        String verbosity = engine.settings().loglevel.value();
        int threshold = switch (verbosity) {
            case "debug" -> 0;
            case "verbose" -> 1;
            case "notice" -> 2;
            default -> 3;
        };
        if (level < threshold) {
            return;
        }
        switch (level) {
            case 0 -> LOG.debug(text);
            case 1 -> LOG.debug(text);
            case 2 -> LOG.info(text);
            default -> LOG.warn(text);
        }
    }

    @Override
    public long luaMemory() {
        long total = 0;
        for (LuaRuntime rt : idle) {
            total += rt.memory();
        }
        return total == 0 ? 32 * 1024 : total;
    }

    @Override
    public long scriptsMemory() {
        long total = 0;
        for (Script s : cache.values()) {
            total += s.body.length + 40 + 64;
        }
        return total;
    }

    @Override
    public synchronized long functionsMemory() {
        long total = 0;
        for (FunctionLibrary lib : libraries.values()) {
            total += lib.code.length + 64L * (1 + lib.functions.size());
        }
        return total;
    }

    @Override
    public int cachedScripts() {
        return cache.size();
    }

    @Override
    public synchronized int libraryCount() {
        return libraries.size();
    }

    private volatile boolean denyScriptDisabled;

    @Override
    public void setDenyScriptDisabled(boolean disabled) {
        denyScriptDisabled = disabled;
    }

    /** Whether commands flagged noscript are refused in scripts (DEBUG SET-DISABLE-DENY-SCRIPTS turns it off). */
    boolean denyScript() {
        return !denyScriptDisabled;
    }
}
