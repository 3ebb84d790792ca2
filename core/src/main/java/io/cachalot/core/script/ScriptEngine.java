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
public final class ScriptEngine {
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
    private volatile long generation;
    private volatile ScriptRun busy;

    /** {@code clients} makes the in-process client each Lua state runs its commands as. */
    public ScriptEngine(EngineServices engine, Supplier<CommandContext> clients) {
        this.engine = engine;
        this.clients = clients;
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
            rt.close();
        }
        rt = new LuaRuntime(this, g);
        CommandContext inner = clients.get();
        inner.session().setAuthenticated(true);
        rt.scriptRun = new ScriptRun(this, engine, rt, inner);
        return rt;
    }

    private void release(LuaRuntime rt) {
        if (rt.generation == generation) {
            idle.offer(rt);
        } else {
            rt.close();
        }
    }

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

    public boolean exists(byte[] sha) {
        return cache.containsKey(new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
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

    public int size() {
        return cache.size();
    }

    // ------------------------------------------------------------------ running

    /**
     * EVAL / EVALSHA and their _RO forms: {@code ctx.argv} is the command, {@code script} a body
     * or a SHA-1.
     */
    public void eval(CommandContext ctx, boolean bySha, boolean readOnly) {
        byte[][] argv = ctx.argv;
        long numKeys = ctx.longArg(2);
        if (numKeys > ctx.argc - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        if (numKeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        Script script;
        if (bySha) {
            if (argv[1].length != 40) {
                throw new CommandError(NOSCRIPT);
            }
            script = cache.get(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
            if (script == null) {
                throw new CommandError(NOSCRIPT);
            }
        } else {
            script = cache.get(load(argv[1]));
        }
        boolean compat = script.has(ScriptFlags.EVAL_COMPAT);
        if (!compat) {
            checkFlags(ctx, script.flags, readOnly);
        }
        boolean ro = readOnly || (!compat && script.has(ScriptFlags.NO_WRITES));
        boolean allowOom = !compat && script.has(ScriptFlags.ALLOW_OOM);
        run(ctx, script, (int) numKeys, ro, allowOom);
    }

    /** Redis' scriptPrepareForRun for a script that declared flags. */
    private void checkFlags(CommandContext ctx, int flags, boolean readOnly) {
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
        if (ctx.overMaxmemory() && engine.settings().maxmemory.value() > 0
                && (flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
            throw new CommandError("OOM allow-oom flag is not set on the script, "
                    + "can not run it when used memory > 'maxmemory'");
        }
    }

    private void run(CommandContext ctx, Script script, int numKeys, boolean readOnly, boolean allowOom) {
        LuaRuntime rt = acquire();
        try {
            if (!rt.has(script.sha)) {
                String error = rt.compile(script.sha, script.body, script.codeOffset);
                if (error != null) {
                    throw new CommandError("ERR Error compiling script (new function): " + error);
                }
            }
            ScriptRun run = rt.scriptRun;
            run.script = script;
            boolean exclusive = script.exclusive;
            while (true) {
                run.begin(ctx, script.sha, true, readOnly, allowOom, exclusive);
                Keyspace ks = engine.keyspace();
                LockSet locks = ctx.locks();
                if (exclusive) {
                    ks.lockEverything();
                } else {
                    var db = ks.db(ctx.session().db());
                    for (int i = 0; i < numKeys; i++) {
                        locks.add(db, Bytes.hash(ctx.argv[3 + i]));
                    }
                    locks.lock();
                }
                boolean done;
                try {
                    done = rt.runScript(run, script.sha, ctx.argv, ctx.argc, 3, numKeys, ctx.reply);
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
                    return;
                }
                exclusive = true; // it touched keys it did not declare before writing: again, locking everything
            }
        } finally {
            release(rt);
        }
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

    /** Memory the Lua states use (INFO used_memory_lua). */
    public long memory() {
        long total = 0;
        for (LuaRuntime rt : idle) {
            total += rt.memory();
        }
        return total == 0 ? 32 * 1024 : total;
    }
}
