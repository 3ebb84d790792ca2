package io.cachalot.core.command;

import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.KeyspaceStats;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;

/**
 * Key look-ups with Redis' side effects: lazy expiry, keyspace hit/miss counting, and the
 * access-time update that eviction policies use. The caller holds the segment's lock.
 */
public final class Lookup {
    private Lookup() {
    }

    /** A read (lookupKeyRead): counts a hit or miss and records the access. */
    public static Entry read(CommandContext ctx, Segment seg, byte[] key, int hash) {
        Entry e = ctx.keyspace().lookupRead(seg, key, hash, ctx.now, !ctx.session().noTouch());
        if (e == null) {
            ctx.notify(KeyEvent.KEYMISS, key);
        }
        return e;
    }

    /** A read that does not update the access time (EXISTS, TYPE, TTL) but counts, and announces a miss. */
    public static Entry readNoTouch(CommandContext ctx, Segment seg, byte[] key, int hash) {
        Entry e = readNoTouchQuiet(ctx, seg, key, hash);
        if (e == null) {
            ctx.notify(KeyEvent.KEYMISS, key);
        }
        return e;
    }

    /** {@link #readNoTouch} without the "keymiss" event (OBJECT, as Redis' LOOKUP_NONOTIFY). */
    public static Entry readNoTouchQuiet(CommandContext ctx, Segment seg, byte[] key, int hash) {
        Entry e = seg.findLive(key, hash, ctx.now);
        KeyspaceStats stats = ctx.keyspace().stats();
        if (e == null) {
            stats.keyspaceMisses.increment();
        } else {
            stats.keyspaceHits.increment();
        }
        return e;
    }

    /** A write look-up (lookupKeyWrite): no hit/miss counting, records the access. */
    public static Entry write(CommandContext ctx, Segment seg, byte[] key, int hash) {
        Entry e = seg.findLive(key, hash, ctx.now);
        if (e != null && !ctx.session().noTouch()) {
            ctx.keyspace().touch(e, ctx.now);
        }
        return e;
    }

    /** {@link #read} of a key that must hold {@code type}: null when absent, WRONGTYPE otherwise. */
    public static Entry read(CommandContext ctx, Segment seg, byte[] key, int hash, ValueType type) {
        Entry e = read(ctx, seg, key, hash);
        if (e != null && !e.isType(type)) {
            throw Errors.E_WRONGTYPE;
        }
        return e;
    }

    /** {@link #write} of a key that must hold {@code type}: null when absent, WRONGTYPE otherwise. */
    public static Entry write(CommandContext ctx, Segment seg, byte[] key, int hash, ValueType type) {
        Entry e = write(ctx, seg, key, hash);
        if (e != null && !e.isType(type)) {
            throw Errors.E_WRONGTYPE;
        }
        return e;
    }
}
