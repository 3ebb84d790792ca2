package io.cachalot.core.propagate;

import io.cachalot.core.keyspace.ChangeKind;
import io.cachalot.core.keyspace.ChangeListener;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ordered stream of write effects that the AOF (and later replication) consumes, as Redis'
 * propagate(): each command that changed data contributes what it did (its arguments, or the
 * deterministic form its handler gave, e.g. SET … PXAT for SET … EX), keys the engine expired or
 * evicted contribute a DEL, and writes made outside any command (a JCache put) contribute the key's
 * whole state.
 *
 * <p><b>Order.</b> Commands run on many threads, each holding the locks of all its keys for its
 * whole run. A command takes its place in the stream (a slot) at its first change, under the lock
 * of the key it changes, and fills the slot when it ends; any command that touched one of its keys
 * afterwards had to wait for that lock, so it takes a later slot. Slots are written strictly in
 * order: a filled slot waits for the ones before it. A command's effects are one slot; several
 * effects (EXEC, a lazy expiry before a write) are wrapped in MULTI/EXEC as Redis does.
 *
 * <p><b>Durability.</b> A command returns (and its client is answered) only once its slot was
 * handed to the sink (written, and synced when the sink promises that), as Redis writes the AOF
 * buffer before replying. Inactive (no sink) the log costs a volatile read per change.
 */
public final class EffectLog implements ChangeListener {

    private volatile EffectSink sink;
    private final ThreadLocal<Unit> units = ThreadLocal.withInitial(Unit::new);

    /** Guards appending slots; {@link #last} is the newest. */
    private final ReentrantLock order = new ReentrantLock();
    private Slot last = Slot.delivered();
    /** Guards writing slots to the sink; {@link #written} is the newest written (the list's head). */
    private final ReentrantLock drain = new ReentrantLock();
    private volatile Slot written = last;
    private int selectedDb = -1;

    /** One slot of the stream: a command's effects, a standalone change, or a marker. */
    static final class Slot {
        volatile Slot next;
        volatile boolean filled;
        volatile boolean done;
        byte[] data;
        int[] recordDbs;
        int[] recordEnds;
        int records;
        Object marker;
        long position;

        /** The list's first node: nothing to deliver. */
        static Slot delivered() {
            Slot s = new Slot();
            s.filled = true;
            s.done = true;
            return s;
        }
    }

    /** The effects of the command running on one thread. */
    static final class Unit {
        boolean open;
        Slot slot;
        final CommandBuffer buf = new CommandBuffer(256);
        int[] dbs = new int[4];
        int[] ends = new int[4];
        int records;

        void endRecord(int db) {
            if (records == dbs.length) {
                dbs = java.util.Arrays.copyOf(dbs, records << 1);
                ends = java.util.Arrays.copyOf(ends, records << 1);
            }
            dbs[records] = db;
            ends[records++] = buf.length();
        }
    }

    /** Starts delivering effects to {@code s}; everything logged from now on reaches it, in order. */
    public void attach(EffectSink s) {
        drain.lock();
        try {
            selectedDb = -1;
            sink = s;
        } finally {
            drain.unlock();
        }
    }

    /** Stops delivering effects (what was logged before is delivered first). */
    public void detach() {
        drainAll();
        drain.lock();
        try {
            sink = null;
        } finally {
            drain.unlock();
        }
    }

    public boolean active() {
        return sink != null;
    }

    /**
     * Puts a marker in the stream, e.g. where a point-in-time snapshot is taken: call with every
     * segment locked, so that everything before it is in the snapshot and nothing after it is.
     */
    public void mark(Object marker) {
        Slot s = new Slot();
        s.marker = marker;
        s.filled = true;
        append(s);
    }

    /** Delivers what is filled at the head of the stream, without waiting for anything. */
    public void deliverFilled() {
        tryDrain();
    }

    /** Tries the sink's write again (after a failed one), with nothing new to deliver. */
    public void retryFlush() {
        drain.lock();
        try {
            EffectSink k = sink;
            if (k != null) {
                k.flush();
            }
        } finally {
            drain.unlock();
        }
    }

    /** The sink's write of the stream up to here, after the effects logged so far were delivered. */
    public void drainAll() {
        Slot target = last;
        // Called by a command (BGREWRITEAOF, SHUTDOWN, CONFIG SET appendonly inside MULTI) whose
        // own slot may be open: that one fills only when the command ends, so wait for the slots
        // before it, not for it.
        Unit u = units.get();
        Slot own = u.open ? u.slot : null;
        while (!target.done && sink != null) {
            if (own != null && written.next == own) {
                return;
            }
            if (!tryDrain()) {
                Thread.onSpinWait();
            }
        }
    }

    // ------------------------------------------------------------------ commands

    /** A command begins on this thread: returns its unit, or null when no one consumes effects. */
    public Object begin() {
        if (sink == null) {
            return null;
        }
        Unit u = units.get();
        u.open = true;
        return u;
    }

    /**
     * The command that just ran on this thread (inside EXEC: one of its commands) changed data:
     * its effects are {@code instead} when its handler gave them, else its own arguments.
     */
    public void commandDone(int db, byte[][] argv, int argc, byte[][][] instead, int insteadCount) {
        Unit u = units.get();
        if (!u.open) {
            return;
        }
        reserve(u);
        if (insteadCount == 0) {
            u.buf.command(argv, argc);
            u.endRecord(db);
        } else {
            for (int i = 0; i < insteadCount; i++) {
                u.buf.command(instead[i], instead[i].length);
                u.endRecord(db);
            }
        }
    }

    /**
     * The command begun with {@code unit} ended (no lock held): its slot is filled, and this
     * returns once the slot reached the sink.
     */
    public void end(Object unit) {
        Unit u = ended((Unit) unit);
        if (u == null) {
            return;
        }
        Slot s = u.slot;
        u.slot = null;
        // the unit's buffer is lent to the slot: it is reused only after the slot was written
        fill(s, u.buf.array(), u.dbs, u.ends, u.records);
        await(s);
        u.buf.clear();
        u.records = 0;
    }

    /**
     * {@link #end} for a client whose replies wait in its connection until it flushes them: the
     * slot is filled but not waited for; the caller passes what this returns (null when the command
     * logged nothing) to {@link #await} before its replies leave, so that one write serves every
     * command of a pipeline (and of the other clients meanwhile), as Redis writes the AOF once per
     * event loop turn.
     */
    public Object endDeferred(Object unit) {
        Unit u = ended((Unit) unit);
        if (u == null) {
            return null;
        }
        Slot s = u.slot;
        u.slot = null;
        int len = u.buf.length();
        fill(s, java.util.Arrays.copyOf(u.buf.array(), len), java.util.Arrays.copyOf(u.dbs, u.records),
                java.util.Arrays.copyOf(u.ends, u.records), u.records);
        u.buf.clear();
        u.records = 0;
        return s;
    }

    /** The unit of the command ending on this thread, closed; null when it has no slot to fill. */
    private Unit ended(Unit u) {
        if (u == null) {
            // begun while no one consumed effects; the AOF may have been turned on since
            if (sink == null) {
                return null;
            }
            u = units.get();
            if (!u.open) {
                return null;
            }
        }
        u.open = false;
        return u.slot == null ? null : u;
    }

    private static void fill(Slot s, byte[] data, int[] dbs, int[] ends, int records) {
        s.data = data;
        s.recordDbs = dbs;
        s.recordEnds = ends;
        s.records = records;
        s.filled = true;
    }

    /**
     * Returns once {@code slot} (from {@link #endDeferred}; null: nothing) reached the sink, and
     * is as durable as the sink promises. Call with no lock held.
     */
    public void await(Object slot) {
        long position = awaitWritten(slot);
        if (position >= 0) {
            makeDurable(position);
        }
    }

    /**
     * The first half of {@link #await}: returns once {@code slot} was written, with the position
     * {@link #makeDurable} takes (-1 for a null slot). A server syncs once for every client whose
     * replies wait on it (appendfsync always), as Redis syncs once per event loop turn.
     */
    public long awaitWritten(Object slot) {
        Slot s = (Slot) slot;
        if (s == null) {
            return -1;
        }
        int spins = 0;
        while (!s.done) {
            if (!tryDrain() && !s.done) {
                if (++spins < 64) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(10_000);
                }
            }
        }
        return s.position;
    }

    /** Whether what was written up to {@code position} is as durable as the sink promises already. */
    public boolean isDurable(long position) {
        EffectSink k = sink;
        return k == null || k.isDurable(position);
    }

    /** Returns once what was written up to {@code position} is as durable as the sink promises. */
    public void makeDurable(long position) {
        EffectSink k = sink;
        if (k != null) {
            k.awaitDurable(position);
        }
    }

    private void reserve(Unit u) {
        if (u.slot == null) {
            Slot s = new Slot();
            u.slot = s;
            append(s);
        }
    }

    private void append(Slot s) {
        order.lock();
        try {
            last.next = s;
            last = s;
        } finally {
            order.unlock();
        }
    }

    // ------------------------------------------------------------------ changes

    @Override
    public void keyChanged(Database db, Entry e, ChangeKind kind) {
        if (sink == null || kind == ChangeKind.ELEMENTS_EXPIRED) {
            // expired hash fields: their absolute times are in the stream already
            return;
        }
        Unit u = units.get();
        if (u.open) {
            reserve(u);
            if (kind == ChangeKind.EXPIRED || kind == ChangeKind.EVICTED) {
                u.buf.header('*', 2).bulk(Propagated.DEL).bulk(e.key());
                u.endRecord(db.index());
            }
            return;
        }
        if (kind.written() && !e.isType(io.cachalot.core.keyspace.ValueType.STRING)) {
            // A collection changed in place is reported before the change, so its state cannot
            // stand for it: only commands change collections, so this is a command that began
            // before the AOF was turned on (CONFIG SET appendonly yes). It gets its unit now;
            // the dispatcher ends it like any other.
            u.open = true;
            reserve(u);
            return;
        }
        // outside any command (a cache's write, the active expiry cycle, eviction): a slot of its own
        CommandBuffer b = new CommandBuffer(64);
        if (kind.written()) {
            if (!CommandForm.has(e)) {
                return;
            }
            CommandForm.write(b, e); // a string: one SET [PXAT] replaces whatever was there
        } else {
            b.header('*', 2).bulk(Propagated.DEL).bulk(e.key());
        }
        standalone(db.index(), b);
    }

    @Override
    public void databaseFlushed(Database db) {
        if (sink == null || joinedCommand()) {
            return;
        }
        standalone(db.index(), new CommandBuffer(32).command(Propagated.FLUSHDB));
    }

    @Override
    public void databasesSwapped(Database a, Database b) {
        if (sink == null || joinedCommand()) {
            return;
        }
        standalone(a.index(), new CommandBuffer(48).command(Propagated.SWAPDB, Propagated.number(a.index()),
                Propagated.number(b.index())));
    }

    /** Whether a command runs on this thread: it then takes the change into its slot (it logs itself). */
    private boolean joinedCommand() {
        Unit u = units.get();
        if (u.open) {
            reserve(u);
            return true;
        }
        return false;
    }

    private void standalone(int db, CommandBuffer b) {
        Slot s = new Slot();
        s.data = b.array();
        s.recordDbs = new int[] {db};
        s.recordEnds = new int[] {b.length()};
        s.records = 1;
        s.filled = true;
        append(s);
        // under a segment lock: never wait here; whoever drains next writes it
        tryDrain();
    }

    /**
     * A write outside any command ended (an embedded client's, a cache's): returns once what it
     * logged reached the sink, as a command's reply waits for it. Called with no lock held.
     */
    @Override
    public void writeEnded() {
        if (sink != null) {
            await(last);
        }
    }

    // ------------------------------------------------------------------ delivery

    /** Writes the filled slots at the head of the stream; false when another thread is at it. */
    private boolean tryDrain() {
        boolean any = false;
        while (drain.tryLock()) {
            any = true;
            try {
                EffectSink k = sink;
                Slot s = written;
                Slot n;
                int count = 0;
                Slot first = null;
                while ((n = s.next) != null && n.filled) {
                    if (k != null) {
                        deliver(k, n);
                    }
                    if (first == null) {
                        first = n;
                    }
                    s = n;
                    count++;
                }
                if (count > 0) {
                    long pos = k != null ? k.flush() : 0;
                    written = s;
                    for (Slot d = first; ; d = d.next) {
                        d.position = pos;
                        d.data = null;
                        d.done = true;
                        if (d == s) {
                            break;
                        }
                    }
                }
            } finally {
                drain.unlock();
            }
            Slot h = written.next;
            if (h == null || !h.filled) {
                break;
            }
        }
        return any;
    }

    private void deliver(EffectSink k, Slot s) {
        if (s.marker != null) {
            k.marker(s.marker);
            selectedDb = -1; // a new file starts with its own SELECT
            return;
        }
        // several effects of one command (EXEC, a lazy expiry before a write) stay atomic
        boolean multi = s.records > 1;
        if (multi) {
            select(k, s.recordDbs[0]);
            k.append(MULTI_BYTES, 0, MULTI_BYTES.length);
        }
        int start = 0;
        for (int i = 0; i < s.records; i++) {
            select(k, s.recordDbs[i]);
            k.append(s.data, start, s.recordEnds[i] - start);
            start = s.recordEnds[i];
        }
        if (multi) {
            k.append(EXEC_BYTES, 0, EXEC_BYTES.length);
        }
    }

    private static final byte[] MULTI_BYTES = new CommandBuffer(16).command(Propagated.MULTI).toBytes();
    private static final byte[] EXEC_BYTES = new CommandBuffer(16).command(Propagated.EXEC).toBytes();

    private void select(EffectSink k, int db) {
        if (db != selectedDb) {
            CommandBuffer b = new CommandBuffer(32).command(Propagated.SELECT, Propagated.number(db));
            k.append(b.array(), 0, b.length());
            selectedDb = db;
        }
    }
}
