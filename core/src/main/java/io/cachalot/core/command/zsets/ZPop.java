package io.cachalot.core.command.zsets;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.propagate.Propagated;
import io.cachalot.core.command.MultiPopArgs;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.Timeouts;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Numbers;

/**
 * ZPOPMIN ZPOPMAX ZMPOP and the blocking BZPOPMIN BZPOPMAX BZMPOP. The reply shapes follow Redis'
 * genericZpopCommand: flat [member, score, ...] for ZPOP* (pairs nested in RESP3 when a count is
 * given), [key, member, score] for BZPOP*, and [key, [[member, score], ...]] for the MPOPs.
 */
final class ZPop {
    /** Reply layouts: flat pairs; nested pairs; key then flat pairs; key then nested pairs. */
    private enum Shape { FLAT, NESTED, KEYED_FLAT, KEYED_NESTED }

    private ZPop() {
    }

    static void register(CommandCatalog c) {
        c.register("zpopmin", ctx -> zpop(ctx, true));
        c.register("zpopmax", ctx -> zpop(ctx, false));
        c.register("bzpopmin", ctx -> bzpop(ctx, true));
        c.register("bzpopmax", ctx -> bzpop(ctx, false));
        c.register("zmpop", ctx -> mpop(ctx, 1, -1));
        c.register("bzmpop", ctx -> mpop(ctx, 2, 1));
    }

    static void zpop(CommandContext ctx, boolean min) {
        if (ctx.argc > 3) {
            throw Errors.E_SYNTAX;
        }
        long count = -1;
        if (ctx.argc == 3) {
            count = ctx.nonNegativeArg(2, "ERR value is out of range, must be positive");
        }
        boolean nested = ctx.reply.protocol() > 2 && count != -1;
        popFirst(ctx, new byte[][] {ctx.argv[1]}, min, count, nested ? Shape.NESTED : Shape.FLAT, false, 0);
    }

    static void bzpop(CommandContext ctx, boolean min) {
        long deadline = Timeouts.deadline(ctx, ctx.argc - 1);
        byte[][] keys = new byte[ctx.argc - 2][];
        System.arraycopy(ctx.argv, 1, keys, 0, keys.length);
        popFirst(ctx, keys, min, -1, Shape.KEYED_FLAT, true, deadline);
    }

    /** ZMPOP (numkeys at 1) and BZMPOP (timeout at 1, numkeys at 2). */
    static void mpop(CommandContext ctx, int numkeysArg, int timeoutArg) {
        MultiPopArgs a = MultiPopArgs.parse(ctx, numkeysArg, "min", "max");
        long deadline = timeoutArg > 0 ? Timeouts.deadline(ctx, timeoutArg) : 0;
        popFirst(ctx, a.keys, a.first, a.count, Shape.KEYED_NESTED, timeoutArg > 0, deadline);
    }

    /**
     * Pops from the first key holding a sorted set (type errors stop at the first wrong key met
     * before it). With nothing to pop: blocks, or replies empty (ZPOP*) or null (the others).
     */
    private static void popFirst(CommandContext ctx, byte[][] keys, boolean min, long count, Shape shape,
                                 boolean blocking, long deadline) {
        int[] hashes = KeyLocks.lock(ctx, keys);
        Database db = ctx.db();
        Reply r = ctx.reply;
        boolean keyed = shape == Shape.KEYED_FLAT || shape == Shape.KEYED_NESTED;
        for (int i = 0; i < keys.length; i++) {
            Segment seg = db.segment(hashes[i]);
            Entry e = Lookup.write(ctx, seg, keys[i], hashes[i]);
            if (e == null) {
                continue;
            }
            if (!e.isType(ValueType.ZSET)) {
                if (ctx.isRetry()) {
                    continue;
                }
                throw Errors.E_WRONGTYPE;
            }
            if (count == 0) {
                r.array(0);
                return;
            }
            ZSetValue z = ZSets.zset(e);
            int n = (int) Math.min(count == -1 ? 1 : count, z.size());
            switch (shape) {
                case FLAT:
                    r.array(2 * n);
                    break;
                case NESTED:
                    r.array(n);
                    break;
                case KEYED_FLAT:
                    r.array(2 * n + 1);
                    r.bulk(keys[i]);
                    break;
                default:
                    r.array(2);
                    r.bulk(keys[i]);
                    r.array(n);
                    break;
            }
            boolean nested = shape == Shape.NESTED || shape == Shape.KEYED_NESTED;
            long before = seg.beforeMutation(e);
            ZSetValue.Cursor c = z.cursor();
            for (int k = 0; k < n; k++) {
                int rank = min ? 0 : z.size() - 1;
                c.seek(rank);
                if (nested) {
                    r.array(2);
                }
                r.bulk(c.memberArray(), c.memberOffset(), c.memberLength());
                r.doubleValue(c.score());
                z.removeAt(rank);
            }
            ZSets.changed(ctx, seg, e, before, n > 0 ? (min ? KeyEvent.ZPOPMIN : KeyEvent.ZPOPMAX) : null);
            ctx.dirty(n);
            // logged as the pop that happened (blocking and multi-key forms alike), as Redis
            byte[] pop = min ? Propagated.ZPOPMIN : Propagated.ZPOPMAX;
            if (count == -1) {
                if (ctx.propagating()) {
                    ctx.propagate(pop, keys[i]);
                }
            } else {
                if (ctx.propagating()) {
                    ctx.propagate(pop, keys[i], Propagated.number(n));
                }
            }
            return;
        }
        if (ctx.isRetry()) {
            return;
        }
        if (blocking && ctx.blocking().block(ctx, keys, deadline)) {
            return;
        }
        if (blocking || keyed) {
            r.nullArray();
        } else {
            r.array(0);
        }
    }
}
