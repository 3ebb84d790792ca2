package io.cachalot.core.command;

import io.cachalot.core.client.ClientConnection;
import io.cachalot.core.client.Session;
import io.cachalot.core.config.Settings;
import io.cachalot.core.util.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * Runs commands the way Redis' processCommand and call() do: look-up (with subcommands), arity,
 * protection and authentication checks, then the handler, then statistics, SLOWLOG, latency
 * monitor and MONITOR feed. Rejections and failures reply with Redis' own error texts.
 */
public final class Dispatcher {
    private static final String DEBUG_NOT_ALLOWED = "ERR %s command not allowed. If the %s option is set to \"local\", "
            + "you can run it from a local connection, otherwise you need to set this option in the configuration "
            + "file, and then restart the server.";

    /** {@link #execute} results. */
    public static final int DONE = 0;
    public static final int PAUSED = 1;
    public static final int BLOCKED = 2;

    private final EngineServices engine;
    private final Settings settings;

    public Dispatcher(EngineServices engine) {
        this.engine = engine;
        this.settings = engine.settings();
    }

    /** Looks up the command (or subcommand) that {@code argv} names; null when there is none. */
    public CommandSpec lookup(byte[][] argv, int argc) {
        CommandSpec spec = engine.commands().find(argv[0]);
        if (spec != null && spec.isContainer() && argc >= 2) {
            return spec.subcommands().find(argv[1]);
        }
        return spec;
    }

    /**
     * Executes one command. Returns false, without executing, when a CLIENT PAUSE holds this
     * network client's command back; the caller retries once the pause ends.
     */
    public int execute(CommandContext ctx, byte[][] argv, int argc, Reply reply) {
        Session session = ctx.session();
        io.cachalot.core.tracking.Tracking tracking = engine.tracking();
        boolean tracked = tracking.active();
        if (tracked) {
            tracking.enter(session);
        }
        boolean ran = false;
        try {
            ran = process(ctx, argv, argc, reply);
        } finally {
            if (tracked) {
                // CLIENT CACHING applies to the next command (or transaction) only; then what the
                // command invalidated for this client goes, behind its reply
                if (ran) {
                    io.cachalot.core.tracking.Tracking.commandDone(session, Bytes.equalsIgnoreCase(argv[0], CLIENT),
                            ctx.transaction().inMulti());
                }
                tracking.exit(session, !ran || ctx.blocked);
            }
        }
        if (!ran) {
            return PAUSED;
        }
        // As Redis' resetClient: a SKIP applies to one command, the one after CLIENT REPLY SKIP.
        int mode = session.replyMode();
        if (mode == Session.REPLY_SKIP) {
            session.setReplyMode(Session.REPLY_ON);
        } else if (mode == Session.REPLY_SKIP_NEXT) {
            session.setReplyMode(Session.REPLY_SKIP);
        }
        if (ctx.blocked) {
            ctx.blocked = false;
            return BLOCKED;
        }
        return DONE;
    }

    private static final byte[] CLIENT = Bytes.ascii("client");

    private boolean process(CommandContext ctx, byte[][] argv, int argc, Reply reply) {
        Session session = ctx.session();
        ctx.argv = argv;
        ctx.argc = argc;
        ctx.reply = reply;
        ctx.redacted = 0;
        ctx.dirtyCount = 0;
        long startNanos = System.nanoTime();
        long now = engine.clock().millis(startNanos);
        ctx.now = now;
        session.touch(now);
        int mode = session.replyMode();
        reply.setDiscard(mode == Session.REPLY_OFF || mode == Session.REPLY_SKIP);

        TransactionState txn = ctx.transaction();
        CommandSpec spec = engine.commands().find(argv[0]);
        if (spec == null) {
            reply.error(unknownCommand(argv, argc));
            txn.flag();
            return true;
        }
        if (spec.isContainer() && argc >= 2) {
            CommandSpec sub = spec.subcommands().find(argv[1]);
            if (sub == null) {
                reply.error(Errors.unknownSubcommand(argv[1], spec.fullName));
                txn.flag();
                return true;
            }
            spec = sub;
        }
        ctx.spec = spec;
        if (!spec.arityAccepts(argc)) {
            reject(ctx, spec, reply, Errors.wrongArgs(spec.fullName));
            return true;
        }
        if (spec.has(CommandFlags.PROTECTED) && !protectedAllowed(session)) {
            reject(ctx, spec, reply, String.format(DEBUG_NOT_ALLOWED,
                    spec.fullName.toUpperCase(java.util.Locale.ROOT), "enable-" + spec.fullName + "-command"));
            return true;
        }
        if (!session.authenticated() && !spec.has(CommandFlags.NO_AUTH)) {
            if (settings.requirepass.value().isEmpty()) {
                session.setAuthenticated(true);
            } else {
                reject(ctx, spec, reply, Errors.NOAUTH);
                return true;
            }
        }
        ctx.overMaxmemory = false;
        if (!ctx.loading) {
            if (engine.evictor().performEvictions(now) == io.cachalot.core.evict.Evictor.FAIL) {
                ctx.overMaxmemory = true;
                if (rejectOnOom(spec, txn)) {
                    reject(ctx, spec, reply, Errors.OOM);
                    return true;
                }
            }
            // keeps client-side caching's table within tracking-table-max-keys
            engine.tracking().limitUsedSlots();
            if ((spec.flags() & (CommandFlags.WRITE | CommandFlags.PROBES_WRITABLE)) != 0) {
                String denied = engine.persistence().writesDenied();
                if (denied != null) {
                    reject(ctx, spec, reply, denied);
                    return true;
                }
            }
        }
        if (session.protocol() == 2 && !spec.has(CommandFlags.PUBSUB_CONTEXT)) {
            var subs = engine.pubsub().of(session);
            if (subs.count() + subs.shardCount() > 0) {
                reject(ctx, spec, reply, "ERR Can't execute '" + spec.fullName + "': only (P|S)SUBSCRIBE / "
                        + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
                return true;
            }
        }
        if (!spec.has(CommandFlags.ALLOW_BUSY)) {
            String busy = engine.busyScript();
            if (busy != null) {
                reject(ctx, spec, reply, busy);
                return true;
            }
        }
        if (session.connection() != null && paused(spec, txn, now)) {
            return false;
        }
        if (txn.inMulti() && !spec.has(CommandFlags.TXN_CONTROL)) {
            txn.queue(spec, argv, argc);
            reply.status("QUEUED");
            return true;
        }
        call(ctx, spec, session, reply, startNanos);
        return true;
    }

    /**
     * Over maxmemory with nothing to evict, as Redis' processCommand: commands that may grow the
     * data (denyoom) are refused, so is an EXEC that would run one, and so is anything queued
     * after MULTI (the queue itself takes memory) except EXEC, DISCARD, QUIT and RESET.
     */
    private static boolean rejectOnOom(CommandSpec spec, TransactionState txn) {
        if (spec.has(CommandFlags.DENYOOM)) {
            return true;
        }
        if (spec.has(CommandFlags.TXN_EXEC)) {
            if (txn.inMulti()) {
                for (TransactionState.Queued q : txn.queued()) {
                    if (q.spec.has(CommandFlags.DENYOOM)) {
                        return true;
                    }
                }
            }
            return false;
        }
        return txn.inMulti() && !spec.has(CommandFlags.TXN_EXIT);
    }


    /** Whether a command may write or replicate: CLIENT PAUSE WRITE holds it back. */
    private static boolean writes(CommandSpec spec) {
        return (spec.flags() & (CommandFlags.WRITE | CommandFlags.MAY_REPLICATE)) != 0;
    }

    /** Whether CLIENT PAUSE holds the command back; EXEC is held when it would run a write. */
    private boolean paused(CommandSpec spec, TransactionState txn, long now) {
        if (engine.pause().blocks(writes(spec), now)) {
            return true;
        }
        if (txn.inMulti() && spec.has(CommandFlags.TXN_EXEC)) {
            for (TransactionState.Queued q : txn.queued()) {
                if (engine.pause().blocks(writes(q.spec), now)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Runs the commands EXEC took from the queue, each as a full call (statistics, SLOWLOG ...),
     * with blocking denied; clients they make ready are served once EXEC ends. The caller holds
     * the locks that make the whole sequence atomic.
     */
    public void runQueued(CommandContext ctx, java.util.List<TransactionState.Queued> queue) {
        byte[][] argv = ctx.argv;
        int argc = ctx.argc;
        CommandSpec spec = ctx.spec;
        long dirty = ctx.dirtyCount;
        ctx.inExec = true;
        try {
            for (TransactionState.Queued q : queue) {
                ctx.argv = q.argv;
                ctx.argc = q.argv.length;
                ctx.spec = q.spec;
                ctx.redacted = 0;
                ctx.dirtyCount = 0;
                call(ctx, q.spec, ctx.session(), ctx.reply, System.nanoTime());
                dirty += ctx.dirtyCount;
            }
        } finally {
            ctx.inExec = false;
            ctx.argv = argv;
            ctx.argc = argc;
            ctx.spec = spec;
            ctx.redacted = 0;
            ctx.dirtyCount = dirty;
        }
    }

    /**
     * Runs a command a script calls (redis.call) on the script's own client: a full call
     * (statistics, SLOWLOG, effects into the script's unit) with blocking denied; the script
     * checked it and holds its keys' locks. Clients it makes ready are served after the script.
     */
    public void callFromScript(CommandContext ctx, CommandSpec spec, byte[][] argv, int argc, Reply reply, long now) {
        ctx.argv = argv;
        ctx.argc = argc;
        ctx.reply = reply;
        ctx.spec = spec;
        ctx.redacted = 0;
        ctx.dirtyCount = 0;
        ctx.now = now;
        ctx.inExec = true;
        try {
            call(ctx, spec, ctx.session(), reply, System.nanoTime());
        } finally {
            ctx.inExec = false;
            ctx.dirtyCount = 0;
        }
        if (spec.has(CommandFlags.READONLY)) {
            engine.tracking().scriptRead();
        }
    }

    /** Runs the handler; its duration is measured from {@code start}, the reading the command's time came from. */
    private void call(CommandContext ctx, CommandSpec spec, Session session, Reply reply, long start) {
        long errorsBefore = reply.errorCount();
        session.setLastCommand(spec.fullName);
        io.cachalot.core.propagate.EffectLog effects = engine.effects();
        Object unit = ctx.inExec ? null : effects.begin();
        ctx.propagatedCount = 0;
        ctx.onlyEffects = false;
        io.cachalot.core.tracking.Tracking tracking = engine.tracking();
        if (!ctx.inExec && tracking.active()) {
            tracking.inCall(true);
        }
        try {
            spec.handler.execute(ctx);
            if (session.trackingFlags() != 0) {
                rememberTrackedKeys(ctx, spec, session, tracking);
            }
        } catch (CommandError e) {
            reply.error(e.getMessage());
        } catch (OutOfMemoryError oom) {
            // The last line of defence: the memory could not hold what this command built. Its
            // locks are released below; the process and the other clients go on. A reply that
            // was partly written is given up rather than followed by an error.
            org.slf4j.LoggerFactory.getLogger(Dispatcher.class).warn(
                    "{} ran out of memory ({}); its reply is an OOM error or, when partly written, given up",
                    spec.fullName, oom.getMessage());
            reply.outOfMemory(Errors.OOM);
        } finally {
            ctx.locks().unlock();
            // writes to watched keys count if the command changed something (as Redis signals)
            engine.keyspace().watches().commit(ctx.dirtyCount > 0);
            propagate(effects, ctx, spec);
            if (!ctx.inExec) {
                ctx.dirtyCount = 0;
            }
        }
        if (!ctx.inExec) {
            if (session.connection() != null) {
                // a network client's replies leave when its connection flushes: it awaits then
                Object slot = effects.endDeferred(unit);
                if (slot != null) {
                    ctx.pendingEffects = slot;
                }
            } else {
                effects.end(unit);
            }
        }
        long nanos = System.nanoTime() - start;
        spec.calls.increment();
        spec.nanos.add(nanos);
        if (settings.latencyTracking.value()) {
            spec.histogram.record(nanos);
        }
        if (reply.errorCount() != errorsBefore) {
            spec.failedCalls.increment();
        }
        engine.stats().totalCommandsProcessed.increment();

        long micros = nanos / 1000;
        long slower = settings.slowlogLogSlowerThan.value();
        if (slower >= 0 && micros >= slower && !spec.has(CommandFlags.SKIP_SLOWLOG)) {
            ClientConnection c = session.connection();
            engine.slowLog().add(redactedArgs(ctx), ctx.argc, micros, ctx.now, c == null ? "" : c.address(),
                    session.name(), settings.slowlogMaxLen.value());
        }
        long threshold = settings.latencyMonitorThreshold.value();
        if (threshold > 0 && micros / 1000 >= threshold) {
            engine.latency().add(spec.has(CommandFlags.FAST) ? "fast-command" : "command", ctx.now / 1000,
                    micros / 1000);
        }
        if (!engine.monitors().isEmpty() && !spec.has(CommandFlags.SKIP_MONITOR | CommandFlags.ADMIN)) {
            feedMonitors(ctx, session);
        }
        if (!ctx.inExec) {
            engine.blocking().serveReady();
        }
    }

    /**
     * Client-side caching: the keys a tracking client read are remembered for it (Redis'
     * trackingRememberKeys after a read-only command). A script's declared keys are remembered
     * when it called a read-only command; EVAL_RO and the like remember nothing by themselves.
     */
    private static void rememberTrackedKeys(CommandContext ctx, CommandSpec spec, Session session,
                                            io.cachalot.core.tracking.Tracking tracking) {
        boolean scriptRead = tracking.takeScriptRead();
        if (!io.cachalot.core.tracking.Tracking.remembers(session) || spec.has(CommandFlags.PUBSUB)) {
            return;
        }
        if (!scriptRead && (!spec.has(CommandFlags.READONLY) || isReadOnlyScript(spec))) {
            return;
        }
        rememberKeys(tracking, session, spec, ctx.argv, ctx.argc);
    }

    /** Remembers for a tracking client the keys of a command (its key specs find them). */
    public static void rememberKeys(io.cachalot.core.tracking.Tracking tracking, Session session, CommandSpec spec,
                                    byte[][] argv, int argc) {
        KeySpec.IntList pos = new KeySpec.IntList();
        if (spec.keyPositions(argv, argc, pos)) {
            for (int i = 0; i < pos.size(); i++) {
                tracking.remember(session, argv[pos.get(i)]);
            }
        }
    }

    private static boolean isReadOnlyScript(CommandSpec spec) {
        String n = spec.fullName;
        return n.equals("eval_ro") || n.equals("evalsha_ro") || n.equals("fcall_ro");
    }

    /**
     * Hands what the command did to the effect log (Redis' propagate in call()): its own
     * arguments when it counted changes, or what its handler gave instead. EXEC contributes its
     * commands, not itself.
     */
    private static void propagate(io.cachalot.core.propagate.EffectLog effects, CommandContext ctx, CommandSpec spec) {
        if (!effects.active() || spec.has(CommandFlags.TXN_EXEC) || !ctx.propagation()) {
            ctx.propagatedCount = 0;
            ctx.onlyEffects = false;
            return;
        }
        if (ctx.propagatedCount > 0 || (ctx.dirtyCount > 0 && !ctx.onlyEffects)) {
            effects.commandDone(ctx.session().db(), ctx.argv, ctx.argc, ctx.propagated, ctx.propagatedCount);
        }
        ctx.onlyEffects = false;
        for (int i = 0; i < ctx.propagatedCount; i++) {
            ctx.propagated[i] = null;
        }
        ctx.propagatedCount = 0;
    }

    /**
     * Runs a blocked client's command again on its behalf (on the serving thread, the client's own
     * thread being parked), with {@code argv} and {@code spec} as it was blocked. Returns the
     * recorded reply when the command replied, i.e. found what it waited for, else null. Keys the
     * command makes ready join the ones being served.
     */
    public RecordingReply serveBlocked(CommandContext ctx, byte[][] argv, CommandSpec spec) {
        RecordingReply rec = new RecordingReply(ctx.session().protocol());
        ctx.argv = argv;
        ctx.argc = argv.length;
        ctx.reply = rec;
        ctx.spec = spec;
        ctx.now = engine.clock().millis(System.nanoTime());
        ctx.retry = true;
        io.cachalot.core.propagate.EffectLog effects = engine.effects();
        Object unit = effects.begin();
        ctx.propagatedCount = 0;
        ctx.onlyEffects = false;
        // the served client is the running one: what it invalidates for itself follows its reply
        io.cachalot.core.tracking.Tracking tracking = engine.tracking();
        boolean served = tracking.active();
        Session before = served ? tracking.serveFor(ctx.session()) : null;
        try {
            spec.handler().execute(ctx);
        } catch (CommandError e) {
            rec.error(e.getMessage());
        } finally {
            if (served) {
                tracking.restore(before);
            }
            ctx.locks().unlock();
            ctx.retry = false;
            engine.keyspace().watches().commit(ctx.dirtyCount > 0);
            propagate(effects, ctx, spec);
            ctx.dirtyCount = 0;
        }
        effects.end(unit);
        return rec.isEmpty() ? null : rec;
    }

    /**
     * A command refused before running: counted, and inside MULTI it fails the transaction. A
     * refused EXEC discards the transaction with the reason, as Redis' execCommandAbort.
     */
    private void reject(CommandContext ctx, CommandSpec spec, Reply reply, String error) {
        spec.rejectedCalls.increment();
        TransactionState txn = ctx.transaction();
        if (spec.has(CommandFlags.TXN_EXEC)) {
            txn.end();
            txn.unwatchAll(ctx.keyspace());
            String reason = error.startsWith("ERR ") ? error.substring(4) : error;
            reply.error("EXECABORT Transaction discarded because of: " + reason);
            return;
        }
        txn.flag();
        reply.error(error);
    }

    private boolean protectedAllowed(Session session) {
        String v = settings.enableDebugCommand.value();
        if (v.equals("yes")) {
            return true;
        }
        return v.equals("local") && (session.connection() == null || session.connection().isLocal());
    }

    private static final byte[] REDACTED = Bytes.ascii("(redacted)");

    private static byte[][] redactedArgs(CommandContext ctx) {
        if (ctx.redacted == 0) {
            return ctx.argv;
        }
        byte[][] a = new byte[ctx.argc][];
        for (int i = 0; i < ctx.argc; i++) {
            a[i] = ctx.isRedacted(i) ? REDACTED : ctx.argv[i];
        }
        return a;
    }

    /**
     * "ERR unknown command 'x', with args beginning with: 'a' 'b' ", with Redis' truncation (each
     * name and argument as C's "%s" prints it: up to a NUL byte, at most 128 characters).
     */
    static String unknownCommand(byte[][] argv, int argc) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argc && args.length() < 128; i++) {
            int room = 128 - args.length();
            String a = Bytes.cString(argv[i]);
            args.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
        }
        String name = Bytes.cString(argv[0]);
        if (name.length() > 128) {
            name = name.substring(0, 128);
        }
        return "ERR unknown command '" + name + "', with args beginning with: " + args;
    }

    /**
     * Feeds the command being run to MONITOR clients now: EVAL and FCALL (flagged skip_monitor)
     * show themselves before the commands their script runs, as in Redis.
     */
    public void feedMonitorsNow(CommandContext ctx) {
        if (!engine.monitors().isEmpty()) {
            feedMonitors(ctx, ctx.session());
        }
    }

    private void feedMonitors(CommandContext ctx, Session session) {
        java.time.Instant t = java.time.Instant.now();
        StringBuilder sb = new StringBuilder(64);
        sb.append('+').append(t.getEpochSecond()).append('.');
        String frac = Integer.toString(t.getNano() / 1000);
        for (int i = frac.length(); i < 6; i++) {
            sb.append('0');
        }
        sb.append(frac).append(" [").append(session.db()).append(' ');
        ClientConnection c = session.connection();
        sb.append(c != null ? c.address() : ctx.isScriptClient() ? "lua" : "embedded").append("] ");
        byte[][] args = redactedArgs(ctx);
        for (int i = 0; i < ctx.argc; i++) {
            Repr.append(sb, args[i]);
            if (i != ctx.argc - 1) {
                sb.append(' ');
            }
        }
        sb.append("\r\n");
        byte[] line = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (Session m : engine.monitors()) {
            ClientConnection mc = m.connection();
            if (mc != null) {
                mc.sendAsync(line);
            }
        }
    }
}
