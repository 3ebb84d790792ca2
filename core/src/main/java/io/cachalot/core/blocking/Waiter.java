package io.cachalot.core.blocking;

import io.cachalot.core.client.Session;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandSpec;
import io.cachalot.core.command.RecordingReply;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client blocked by BLPOP and friends: which keys it waits on, until when, and the command to
 * run again once a key is ready. Its state moves once from WAITING to CLAIMED (being served, timed
 * out, unblocked or disconnected); a claimed waiter left in a key's queue is skipped and purged.
 */
public final class Waiter {
    static final int WAITING = 0;
    static final int CLAIMED = 1;

    /** How the wait ended. */
    public enum Outcome { SERVED, TIMEOUT, UNBLOCKED_TIMEOUT, UNBLOCKED_ERROR, DISCONNECTED }

    /** The blocked client's context: its command runs again in it. */
    final CommandContext ctx;
    final int db;
    final BlockKey[] keys;
    final byte[][] argv;
    final CommandSpec spec;
    final long deadline;
    final AtomicInteger state = new AtomicInteger(WAITING);
    volatile ScheduledFuture<?> timer;
    volatile Outcome outcome;
    volatile RecordingReply reply;

    Waiter(CommandContext ctx, int db, BlockKey[] keys, byte[][] argv, CommandSpec spec, long deadline) {
        this.ctx = ctx;
        this.db = db;
        this.keys = keys;
        this.argv = argv;
        this.spec = spec;
        this.deadline = deadline;
    }

    public Session session() {
        return ctx.session();
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The recorded reply of a served waiter. */
    public RecordingReply reply() {
        return reply;
    }


    boolean claim() {
        return state.compareAndSet(WAITING, CLAIMED);
    }

    /** Returns a claimed waiter to waiting (its command found nothing after all). */
    void release() {
        state.set(WAITING);
    }

    boolean waiting() {
        return state.get() == WAITING;
    }
}
