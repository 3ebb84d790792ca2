package io.cachalot.core.command.transactions;

import io.cachalot.core.client.Session;
import io.cachalot.core.command.TransactionState;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFlags;
import io.cachalot.core.command.CommandSpec;
import io.cachalot.core.command.KeySpec;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.LockSet;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.WatchedKey;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

import java.util.List;

/**
 * MULTI EXEC DISCARD WATCH UNWATCH. Queuing happens in the dispatcher (a command sent after MULTI
 * answers QUEUED); EXEC then runs the queue atomically: it locks the segments of every key the
 * queued commands name (and of the watched keys) in the global order, or the whole keyspace when
 * a queued command may touch keys it does not name, checks the watched keys, and runs each
 * command through the dispatcher as Redis' execCommand does. Blocking commands answer at once
 * inside EXEC, and clients they would have woken are served after EXEC.
 */
public final class TransactionCommands implements CommandFamily {
    private static final CommandError NESTED = new CommandError("ERR MULTI calls can not be nested");
    private static final CommandError EXEC_WITHOUT_MULTI = new CommandError("ERR EXEC without MULTI");
    private static final CommandError DISCARD_WITHOUT_MULTI = new CommandError("ERR DISCARD without MULTI");
    private static final CommandError WATCH_IN_MULTI = new CommandError("ERR WATCH inside MULTI is not allowed");
    private static final CommandError EXEC_ABORT =
            new CommandError("EXECABORT Transaction discarded because of previous errors.");

    /** The family, for the engine's ServiceLoader. */
    public TransactionCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("multi", TransactionCommands::multi);
        c.register("exec", TransactionCommands::exec);
        c.register("discard", TransactionCommands::discard);
        c.register("watch", TransactionCommands::watch);
        c.addFlags("multi", CommandFlags.TXN_CONTROL);
        c.addFlags("exec", CommandFlags.TXN_CONTROL | CommandFlags.TXN_EXEC);
        c.addFlags("discard", CommandFlags.TXN_CONTROL | CommandFlags.TXN_EXIT);
        c.addFlags("watch", CommandFlags.TXN_CONTROL);
        c.addFlags("unwatch", CommandFlags.KEYLESS);
        c.register("unwatch", ctx -> {
            unwatchAll(ctx);
            ctx.reply.ok();
        });
    }

    static void multi(CommandContext ctx) {
        TransactionState t = ctx.transaction();
        if (t.inMulti()) {
            throw NESTED;
        }
        t.begin();
        ctx.reply.ok();
    }

    static void discard(CommandContext ctx) {
        TransactionState t = ctx.transaction();
        if (!t.inMulti()) {
            throw DISCARD_WITHOUT_MULTI;
        }
        t.end();
        unwatchAll(ctx);
        ctx.reply.ok();
    }

    static void watch(CommandContext ctx) {
        Session s = ctx.session();
        TransactionState t = ctx.transaction();
        if (t.inMulti()) {
            throw WATCH_IN_MULTI;
        }
        Database db = ctx.db();
        for (int i = 1; i < ctx.argc; i++) {
            byte[] key = ctx.argv[i];
            if (t.watching(s.db(), key)) {
                continue;
            }
            int h = Bytes.hash(key);
            try (Segment seg = db.lock(h)) {
                Entry e = seg.find(key, h);
                WatchedKey w = new WatchedKey(t, s.db(), key, h, e != null && e.isExpired(ctx.now));
                seg.watch(w);
                t.watched().add(w);
            }
        }
        ctx.reply.ok();
    }

    /** Forgets every key the client watches (UNWATCH, EXEC, DISCARD, RESET, disconnection). */
    public static void unwatchAll(CommandContext ctx) {
        ctx.transaction().unwatchAll(ctx.keyspace());
    }

    static void exec(CommandContext ctx) {
        Session s = ctx.session();
        TransactionState t = ctx.transaction();
        if (!t.inMulti()) {
            throw EXEC_WITHOUT_MULTI;
        }
        boolean flagged = t.flagged();
        List<TransactionState.Queued> queue = t.end();
        if (flagged) {
            unwatchAll(ctx);
            throw EXEC_ABORT;
        }
        Keyspace ks = ctx.keyspace();
        LockSet locks = new LockSet();
        boolean global = lockSet(ks, s.db(), queue, t.watched(), locks);
        if (global) {
            ks.lockEverything();
        } else {
            locks.lock();
        }
        try {
            if (t.watchedKeyWasChanged() || watchedKeyExpired(ks, t, ctx.now)) {
                ctx.reply.nullArray();
                return;
            }
            ctx.reply.array(queue.size());
            ctx.engine().dispatcher().runQueued(ctx, queue);
        } finally {
            if (global) {
                ks.unlockEverything();
            } else {
                locks.unlock();
            }
            unwatchAll(ctx);
        }
    }

    /** A watched key that was live at WATCH and is expired now fails the transaction, as in Redis. */
    private static boolean watchedKeyExpired(Keyspace ks, TransactionState t, long now) {
        for (WatchedKey w : t.watched()) {
            if (w.expiredAtWatch()) {
                continue;
            }
            Entry e = ks.db(w.db()).segment(w.hash()).find(w.key(), w.hash());
            if (e != null && e.isExpired(now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fills {@code locks} with the segments of the keys the queued commands name, following
     * SELECT, and of the watched keys. Returns true when some command may reach other keys: then
     * the whole keyspace must be locked instead.
     */
    private static boolean lockSet(Keyspace ks, int startDb, List<TransactionState.Queued> queue,
                                   List<WatchedKey> watched, LockSet locks) {
        for (WatchedKey w : watched) {
            locks.add(ks.db(w.db()), w.hash());
        }
        int db = startDb;
        KeySpec.IntList pos = new KeySpec.IntList();
        for (TransactionState.Queued q : queue) {
            CommandSpec spec = q.spec;
            if (spec.has(CommandFlags.SELECTS_DB)) {
                byte[] a = q.argv.length > 1 ? q.argv[1] : null;
                if (a != null && Numbers.isLong(a)) {
                    long n = Numbers.parseLong(a);
                    if (n >= 0 && n < ks.databaseCount()) {
                        db = (int) n;
                    }
                }
                continue;
            }
            if (spec.has(CommandFlags.KEYLESS)) {
                continue;
            }
            if (!spec.reachesOnlyNamedKeys(q.argv)) {
                return true;
            }
            pos.clear();
            if (!spec.keyPositions(q.argv, q.argv.length, pos)) {
                return true;
            }
            for (int i = 0; i < pos.size(); i++) {
                locks.add(ks.db(db), Bytes.hash(q.argv[pos.get(i)]));
            }
        }
        return false;
    }
}
