package io.cachalot.core.blocking;

import io.cachalot.core.command.EngineServices;
import io.cachalot.core.client.Session;
import io.cachalot.core.command.Blocker;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.RecordingReply;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.ChangeKind;
import io.cachalot.core.keyspace.ChangeListener;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.util.Bytes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN ...). A blocked client holds no thread: its
 * connection stops reading, and the client is woken when a write makes one of its keys ready, when
 * its timeout passes, when CLIENT UNBLOCK names it, or when it disconnects.
 *
 * <p>Each key has a FIFO queue of waiters. A queue is only touched under the lock of its key's
 * segment, which the blocking command holds while it checks for data and registers (so no wake-up
 * is lost) and which a writer holds when it signals the key. After the writing command has
 * finished and released its locks, the writer's thread serves the ready keys: it claims the first
 * waiter of the queue and runs that client's command again on the client's behalf; the reply is
 * recorded and handed to the client's own thread.
 */
public final class BlockingRegistry implements Blocker {
    private final EngineServices engine;
    private final ConcurrentHashMap<BlockKey, ArrayDeque<Waiter>> queues = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** The wait each blocked client is in, until it wrote the end of its command or disconnected. */
    private final ConcurrentHashMap<Session, Waiter> bySession = new ConcurrentHashMap<>();

    public BlockingRegistry(EngineServices engine) {
        this.engine = engine;
    }

    @Override
    public int blockedClients() {
        return waiting.get();
    }

    private Segment segment(BlockKey k) {
        Database db = engine.keyspace().db(k.db);
        return db.segment(Bytes.hash(k.key));
    }

    @Override
    public boolean block(CommandContext ctx, byte[][] keys, long deadline) {
        if (ctx.denyBlocking()) {
            return false;
        }
        Session s = ctx.session();
        int db = s.db();
        BlockKey[] bk = new BlockKey[keys.length];
        for (int i = 0; i < keys.length; i++) {
            bk[i] = new BlockKey(db, keys[i]);
        }
        byte[][] argv = java.util.Arrays.copyOf(ctx.argv, ctx.argc);
        Waiter w = new Waiter(ctx, db, bk, argv, ctx.spec(), deadline);
        bySession.put(s, w);
        s.setBlocked(true);
        for (BlockKey k : bk) {
            ArrayDeque<Waiter> q = queues.computeIfAbsent(k, x -> new ArrayDeque<>());
            if (!q.contains(w)) {
                q.addLast(w);
            }
        }
        waiting.incrementAndGet();
        if (deadline > 0) {
            long delay = Math.max(0, deadline - ctx.now);
            w.timer = engine.scheduler().schedule(() -> end(w, Waiter.Outcome.TIMEOUT), delay, TimeUnit.MILLISECONDS);
        }
        ctx.markBlocked();
        return true;
    }

    /**
     * The registry's subscription to the keyspace's change stream: a waited-on key a command
     * changed (created, pushed to, renamed or moved there, swapped in, deleted, flushed) becomes
     * ready for the clients waiting on it, whose commands run again once the writing command is
     * over ({@link #serveReady}) and either reply or keep waiting.
     */
    public ChangeListener changeListener() {
        return changes;
    }

    private final ChangeListener changes = new ChangeListener() {
        @Override
        public void keyChanged(Database db, Entry e, ChangeKind kind) {
            // any change of a waited-on key: a list, sorted set or stream written is served; a stream
            // deleted or overwritten wakes its XREADGROUP readers too (they fail: the group is gone)
            if (waiting.get() != 0 && !kind.byEngine()) {
                BlockKey k = new BlockKey(db.index(), e.key());
                if (queues.containsKey(k)) {
                    markReady(k);
                }
            }
        }

        @Override
        public void databaseFlushed(Database db) {
            // blocked XREADGROUP readers of the flushed streams are told their key is gone
            if (waiting.get() == 0) {
                return;
            }
            for (BlockKey k : queues.keySet()) {
                if (k.db == db.index()) {
                    markReady(k);
                }
            }
        }

        @Override
        public void databasesSwapped(Database a, Database b) {
            if (waiting.get() == 0) {
                return;
            }
            for (BlockKey k : queues.keySet()) {
                if (k.db == a.index() || k.db == b.index()) {
                    markReady(k);
                }
            }
        }
    };

    /**
     * Keys made ready on this thread and not yet served. The writing command's thread serves
     * them when it is over (inside EXEC, when EXEC is over), so they need no lock of their own.
     */
    private final ThreadLocal<ArrayList<BlockKey>> ready = ThreadLocal.withInitial(ArrayList::new);

    private void markReady(BlockKey k) {
        ArrayList<BlockKey> r = ready.get();
        if (!r.contains(k)) {
            r.add(k);
        }
    }

    /**
     * Serves the clients waiting on the keys this thread's last command made ready, first blocked
     * first served, as long as their commands find data; the keys their commands make ready in turn
     * are served in the same pass. Called with no lock held, after a command (not inside EXEC).
     */
    @Override
    public void serveReady() {
        if (waiting.get() == 0) {
            return;
        }
        ArrayList<BlockKey> r = ready.get();
        try {
            for (int i = 0; i < r.size(); i++) {
                BlockKey k = r.get(i);
                while (true) {
                    Waiter w = claimFirst(k);
                    if (w == null) {
                        break;
                    }
                    RecordingReply served = engine.dispatcher().serveBlocked(w.ctx, w.argv, w.spec);
                    if (served == null) {
                        requeueFirst(k, w);
                        break;
                    }
                    w.reply = served;
                    finish(w, Waiter.Outcome.SERVED);
                }
            }
        } finally {
            r.clear();
        }
    }

    /** Takes the first waiting client off a key's queue (claimed), dropping ended ones. */
    private Waiter claimFirst(BlockKey k) {
        Segment seg = segment(k);
        seg.lock();
        try {
            ArrayDeque<Waiter> q = queues.get(k);
            if (q == null) {
                return null;
            }
            while (!q.isEmpty()) {
                Waiter w = q.pollFirst();
                if (w.claim()) {
                    return w;
                }
            }
            queues.remove(k);
            return null;
        } finally {
            seg.unlock();
        }
    }

    /** Puts a claimed waiter back at the head of a key's queue, waiting again. */
    private void requeueFirst(BlockKey k, Waiter w) {
        Segment seg = segment(k);
        seg.lock();
        try {
            w.release();
            queues.computeIfAbsent(k, x -> new ArrayDeque<>()).addFirst(w);
        } finally {
            seg.unlock();
        }
        // its timer may have fired (and failed to claim it) while it was being tried
        if (w.deadline > 0 && System.currentTimeMillis() >= w.deadline) {
            end(w, Waiter.Outcome.TIMEOUT);
        }
    }

    @Override
    public void signalReady(CommandContext ctx, byte[] key) {
        if (waiting.get() != 0) {
            BlockKey k = new BlockKey(ctx.db().index(), key);
            if (queues.containsKey(k)) {
                markReady(k);
            }
        }
    }

    @Override
    public boolean unblock(Session s, boolean withError) {
        Waiter w = bySession.get(s);
        if (w == null || !w.claim()) {
            return false;
        }
        finish(w, withError ? Waiter.Outcome.UNBLOCKED_ERROR : Waiter.Outcome.UNBLOCKED_TIMEOUT);
        return true;
    }

    /** The client disconnected while blocked. */
    public void cancel(Session s) {
        Waiter w = bySession.remove(s);
        s.setBlocked(false);
        if (w != null && w.claim()) {
            w.outcome = Waiter.Outcome.DISCONNECTED;
            cleanUp(w);
        }
    }

    /**
     * Writes the end of a blocked command into the client's sink, on the client's own thread,
     * once its block handler was called: the served reply, or the timeout/unblock reply.
     */
    public void finish(Session s, Reply out) {
        Waiter w = bySession.remove(s);
        s.setBlocked(false);
        if (w == null) {
            return;
        }
        switch (w.outcome()) {
            case SERVED: {
                long errors = out.errorCount();
                w.reply().replayTo(out);
                if (out.errorCount() != errors) {
                    // served with an error (XREADGROUP whose group was destroyed): a failed call
                    w.spec.failedCalls.increment();
                }
                break;
            }
            case TIMEOUT:
            case UNBLOCKED_TIMEOUT:
                out.nullArray();
                break;
            case UNBLOCKED_ERROR:
                out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
                break;
            default:
                break;
        }
    }

    private void end(Waiter w, Waiter.Outcome o) {
        if (w.claim()) {
            finish(w, o);
        }
    }

    /** Completes a claimed waiter: leaves every queue, stops its timer, wakes its client. */
    private void finish(Waiter w, Waiter.Outcome o) {
        w.outcome = o;
        cleanUp(w);
        w.session().blockHandler().resume();
    }

    private void cleanUp(Waiter w) {
        if (w.timer != null) {
            w.timer.cancel(false);
        }
        waiting.decrementAndGet();
        for (BlockKey k : w.keys) {
            Segment seg = segment(k);
            seg.lock();
            try {
                ArrayDeque<Waiter> q = queues.get(k);
                if (q != null) {
                    for (Iterator<Waiter> it = q.iterator(); it.hasNext(); ) {
                        if (it.next() == w) {
                            it.remove();
                        }
                    }
                    if (q.isEmpty()) {
                        queues.remove(k);
                    }
                }
            } finally {
                seg.unlock();
            }
        }
    }
}
