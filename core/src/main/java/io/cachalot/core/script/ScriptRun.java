package io.cachalot.core.script;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandFlags;
import io.cachalot.core.command.CommandSpec;
import io.cachalot.core.command.Dispatcher;
import io.cachalot.core.command.EngineServices;
import io.cachalot.core.command.KeySpec;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Doubles;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One invocation of a script or function (Redis' scriptRunCtx): the checks redis.call makes
 * before each command (scriptCall), the locks it holds, and its state for SCRIPT KILL and -BUSY.
 *
 * <p>Atomicity: a script's first run locks the whole keyspace; when it touched only the keys it
 * declares, later runs lock just their segments. If such a run touches another key, it takes
 * the key's segment with a tryLock; when another client holds it, a run that has not written yet
 * stops (its Lua code is interrupted) and starts again with the whole keyspace locked, and one
 * that has written waits for the segment (for a bounded time: it cannot roll back, and the
 * holder may be waiting for one of its own segments). Either way the script goes back to locking
 * everything.
 */
final class ScriptRun {
    static final int RUNNING = 0;
    static final int KILLED = 1;
    static final int RESTART = 2;
    /** How long a run that already wrote waits for an undeclared key's segment before failing. */
    private static final long UNDECLARED_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ScriptEngine scripts;
    private final EngineServices engine;
    private final Dispatcher dispatcher;
    final LuaRuntime rt;
    /** The script's own client (Redis' lua client), one per Lua state. */
    final CommandContext inner;
    private final KeySpec.IntList positions = new KeySpec.IntList();
    private final List<Segment> taken = new ArrayList<>();

    Invocation caller;
    String name;
    boolean evalMode;
    boolean readOnly;
    boolean allowOom;
    boolean oomAtStart;
    boolean exclusive;
    boolean writeDirty;
    /** Whether this run touched a key it did not declare (or a command that may reach any key). */
    boolean touchedUndeclared;
    private int numKeys;
    int resp;
    int repl;
    long startNanos;
    long now;
    volatile boolean timedOut;
    private boolean waitedTooLong;
    volatile int abort;

    ScriptRun(ScriptEngine scripts, EngineServices engine, LuaRuntime rt, CommandContext inner) {
        this.scripts = scripts;
        this.engine = engine;
        this.dispatcher = engine.dispatcher();
        this.rt = rt;
        this.inner = inner;
    }

    /** The segments of the keys the script declares (or none, when it locks everything). */
    final io.cachalot.core.keyspace.LockSet locks = new io.cachalot.core.keyspace.LockSet();

    void begin(Invocation caller, String name, int numKeys, boolean evalMode, boolean readOnly, boolean allowOom,
               boolean exclusive) {
        this.caller = caller;
        this.numKeys = numKeys;
        this.touchedUndeclared = false;
        this.name = name;
        this.evalMode = evalMode;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
        this.oomAtStart = caller.overMaxmemory;
        this.exclusive = exclusive;
        this.writeDirty = false;
        this.resp = 2;
        this.repl = 3;
        this.abort = RUNNING;
        this.timedOut = false;
        this.now = caller.now;
        this.startNanos = System.nanoTime();
        inner.session().setDb(caller.db);
    }

    /** Releases the segments taken for undeclared keys. */
    void releaseTaken() {
        for (int i = taken.size() - 1; i >= 0; i--) {
            taken.get(i).unlock();
        }
        taken.clear();
    }

    // ------------------------------------------------------------------ redis.call

    /**
     * redis.call / redis.pcall: the arguments on Lua stack {@code p} become a command run by the
     * script's client; returns the number of results pushed: the reply (1), or an error table and
     * a flag (2; the flag is 2 when the run must stop, else true).
     */
    int call(long p) {
        var n = rt.n;
        LuaReply out = rt.luaReply;
        int argc = n.lua_gettop(p);
        out.begin(p, resp);
        if (abort != RUNNING) {
            n.lua_settop(p, 0);
            return failed(p, out, "ERR Script killed by user with SCRIPT KILL...");
        }
        if (argc == 0) {
            return failed(p, out, "ERR Please specify at least one argument for this redis lib call");
        }
        byte[][] argv = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            int t = n.lua_type(p, i + 1);
            if (t == LuaRuntime.T_NUMBER) {
                argv[i] = Doubles.format17gBytes(n.lua_tonumber(p, i + 1));
            } else if (t == LuaRuntime.T_STRING) {
                argv[i] = rt.bytes(p, i + 1);
            } else {
                n.lua_settop(p, 0);
                return failed(p, out, "ERR Lua redis lib command arguments must be strings or integers");
            }
        }
        n.lua_settop(p, 0);
        String rejected = execute(argv, argc, out);
        if (rejected != null) {
            return failed(p, out, rejected);
        }
        if (abort == RESTART) {
            n.lua_settop(p, 0);
            return failed(p, out, "ERR the script starts again with the whole keyspace locked");
        }
        if (out.failed()) {
            n.lua_pushboolean(p, 1);
            return 2;
        }
        return 1;
    }

    private int failed(long p, LuaReply out, String error) {
        rt.n.lua_settop(p, 0);
        out.begin(p, resp);
        out.error(error);
        if (abort != RUNNING) {
            rt.n.lua_pushnumber(p, 2);
        } else {
            rt.n.lua_pushboolean(p, 1);
        }
        return 2;
    }

    /** The command {@code argv} names (redis.acl_check_cmd), or null. */
    CommandSpec lookup(byte[][] argv) {
        return dispatcher.lookup(argv, argv.length);
    }

    /** Redis' scriptCall: the checks, then the command. Returns the error of a refused command. */
    private String execute(byte[][] argv, int argc, LuaReply out) {
        CommandSpec spec = dispatcher.lookup(argv, argc);
        if (spec == null) {
            return "ERR Unknown Redis command called from script";
        }
        if (!spec.arityAccepts(argc)) {
            spec.rejectedCalls.increment();
            return "ERR Wrong number of args calling Redis command from script";
        }
        if (spec.has(CommandFlags.NOSCRIPT) && scripts.denyScript()) {
            spec.rejectedCalls.increment();
            return "ERR This Redis command is not allowed from script";
        }
        long flags = spec.flags();
        if (readOnly && (flags & (CommandFlags.WRITE | CommandFlags.MAY_REPLICATE)) != 0) {
            spec.rejectedCalls.increment();
            return "ERR Write commands are not allowed from read-only scripts.";
        }
        if ((flags & CommandFlags.WRITE) != 0 && !writeDirty) {
            String denied = engine.persistence().writesDenied();
            if (denied != null) {
                spec.rejectedCalls.increment();
                return denied;
            }
        }
        if (!allowOom && !writeDirty && oomAtStart && (flags & CommandFlags.DENYOOM) != 0
                && engine.settings().maxmemory.value() > 0) {
            spec.rejectedCalls.increment();
            return "OOM command not allowed when used memory > 'maxmemory'.";
        }
        if (!holdsKeysOf(spec, argv, argc)) {
            if (waitedTooLong) {
                waitedTooLong = false;
                return "ERR the script wrote, then touched a key it did not declare that another client held "
                        + "for too long; declare the keys it touches in KEYS";
            }
            return null; // abort == RESTART: the run stops and starts again
        }
        if ((flags & CommandFlags.WRITE) != 0) {
            writeDirty = true;
        }
        dispatcher.callFromScript(inner, spec, argv, argc, out, now);
        return null;
    }

    /**
     * Makes sure the run holds the segments of every key the command may touch, and notes keys it
     * did not declare; false when it must start again with everything locked.
     */
    private boolean holdsKeysOf(CommandSpec spec, byte[][] argv, int argc) {
        if (spec.has(CommandFlags.KEYLESS) || spec.has(CommandFlags.SELECTS_DB)) {
            return true;
        }
        Keyspace ks = engine.keyspace();
        int db = inner.session().db();
        positions.clear();
        if (!spec.reachesOnlyNamedKeys(argv) || !spec.keyPositions(argv, argc, positions)) {
            if (!spec.hasKeys() && (spec.flags() & (CommandFlags.WRITE | CommandFlags.READONLY)) == 0) {
                return true; // a server or connection command: no data
            }
            touchedUndeclared = true;
            return exclusive || takeEverything(ks);
        }
        for (int i = 0; i < positions.size(); i++) {
            byte[] key = argv[positions.get(i)];
            if (declared(key, db)) {
                continue;
            }
            touchedUndeclared = true;
            if (!exclusive) {
                Segment seg = ks.db(db).segment(Bytes.hash(key));
                if (!seg.isHeldByCurrentThread() && !take(seg)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean declared(byte[] key, int db) {
        if (db != caller.db) {
            return false;
        }
        for (int i = 0; i < numKeys; i++) {
            if (java.util.Arrays.equals(key, caller.argv[3 + i])) {
                return true;
            }
        }
        return false;
    }

    private boolean takeEverything(Keyspace ks) {
        if (!writeDirty) {
            abort = RESTART;
            return false;
        }
        for (int d = 0; d < ks.databaseCount(); d++) {
            var database = ks.db(d);
            for (int s = 0; s < database.segmentCount(); s++) {
                Segment seg = database.segmentAt(s);
                if (!seg.isHeldByCurrentThread() && !take(seg)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Takes a segment the script did not declare. */
    private boolean take(Segment seg) {
        if (seg.tryLock()) {
            taken.add(seg);
            return true;
        }
        if (!writeDirty) {
            abort = RESTART;
            return false;
        }
        long deadline = System.nanoTime() + UNDECLARED_WAIT_NANOS;
        while (!seg.tryLock()) {
            if (System.nanoTime() - deadline > 0) {
                waitedTooLong = true;
                return false;
            }
            LockSupport.parkNanos(20_000);
        }
        taken.add(seg);
        return true;
    }

    // ------------------------------------------------------------------ the other redis.* functions

    void setResp(int v) {
        resp = v;
    }

    void setRepl(int v) {
        repl = v;
        inner.setPropagation((v & 1) != 0);
    }

    /** The count hook: whether the run must stop (killed, or starting again); marks it timed out. */
    boolean interrupted() {
        if (abort != RUNNING) {
            return true;
        }
        if (!timedOut) {
            long limit = engine.settings().busyReplyThreshold.value();
            long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
            if (limit > 0 && elapsed >= limit) {
                timedOut = true;
                scripts.timedOut(this, elapsed);
            }
        }
        return abort != RUNNING;
    }
}
