package io.cachalot.core.command.hll;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.strings.InPlace;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.hll.HyperLogLog;
import io.cachalot.core.types.string.MutableString;

/**
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST on HyperLogLog strings in Redis' exact
 * representation ({@link HyperLogLog}); a value is changed in place once it is a
 * {@link MutableString}, as Redis edits its sds.
 */
public final class HyperLogLogCommands implements CommandFamily {
    private static final CommandError NOT_HLL =
            new CommandError("WRONGTYPE Key is not a valid HyperLogLog string value.");
    private static final CommandError CORRUPT = new CommandError("INVALIDOBJ Corrupted HLL object detected");

    /** The family, for the engine's ServiceLoader. */
    public HyperLogLogCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("pfadd", HyperLogLogCommands::pfadd);
        c.register("pfcount", HyperLogLogCommands::pfcount);
        c.register("pfmerge", HyperLogLogCommands::pfmerge);
        c.register("pfdebug", HyperLogLogCommands::pfdebug);
        c.register("pfselftest", HyperLogLogCommands::pfselftest);
    }

    /** isHLLObjectOrReply: WRONGTYPE for another type, and for a string that is no valid HLL. */
    private static void check(Entry e) {
        if (!e.isType(ValueType.STRING)) {
            throw Errors.E_WRONGTYPE;
        }
        if (!HyperLogLog.isValid(InPlace.array(e), InPlace.length(e))) {
            throw NOT_HLL;
        }
    }

    private static long sparseMax(CommandContext ctx) {
        return ctx.settings().hllSparseMaxBytes.value();
    }

    // ------------------------------------------------------------------ PFADD

    static void pfadd(CommandContext ctx) {
        long updated = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Segment seg = k.segment();
            Entry e = k.write();
            MutableString m = null;
            boolean created = e == null;
            long before = 0;
            if (created) {
                m = HyperLogLog.create();
                k.store(null, m, ValueType.STRING, io.cachalot.core.types.Encoding.RAW, false);
                e = k.live();
                before = seg.beforeMutation(e);
                updated = 1;
            } else {
                check(e);
            }
            long max = sparseMax(ctx);
            try {
                for (int j = 2; j < ctx.argc; j++) {
                    int pl = HyperLogLog.patLen(ctx.argv[j]);
                    int reg = pl >>> 8;
                    int count = pl & 0xff;
                    if (m == null) {
                        // nothing changes the value until a register must rise
                        int cur = HyperLogLog.get(InPlace.array(e), InPlace.length(e), reg);
                        if (cur < 0) {
                            throw CORRUPT;
                        }
                        if (cur >= count) {
                            continue;
                        }
                        m = InPlace.mutable(seg, e, 0);
                        before = seg.beforeMutation(e);
                    }
                    int r = HyperLogLog.set(m, reg, count, max);
                    if (r < 0) {
                        throw CORRUPT;
                    }
                    updated += r;
                }
            } finally {
                if (m != null) {
                    seg.afterMutation(e, before);
                }
            }
            if (updated > 0) {
                HyperLogLog.invalidateCache(m.array());
                ctx.notify(KeyEvent.PFADD, ctx.argv[1]);
                // a created key counted one change when stored
                long more = created ? updated - 1 : updated;
                if (more > 0) {
                    ctx.dirty(more);
                }
            }
        }
        ctx.reply.integer(updated > 0 ? 1 : 0);
    }

    // ------------------------------------------------------------------ PFCOUNT

    static void pfcount(CommandContext ctx) {
        if (ctx.argc > 2) {
            ctx.reply.integer(HyperLogLog.countRaw(union(ctx, 1)));
            return;
        }
        long card;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read();
            if (e == null) {
                ctx.reply.integer(0);
                return;
            }
            check(e);
            byte[] s = InPlace.array(e);
            if (HyperLogLog.cacheValid(s)) {
                card = HyperLogLog.cachedCardinality(s);
            } else {
                card = HyperLogLog.count(s, InPlace.length(e));
                if (card < 0) {
                    throw CORRUPT;
                }
                // the cached cardinality is part of the string: a change, as in Redis
                MutableString m = InPlace.mutable(k.segment(), e, 0);
                HyperLogLog.setCachedCardinality(m.array(), card);
                ctx.dirty(1);
            }
        }
        ctx.reply.integer(card);
    }

    /**
     * Locks the keys from argument {@code from} on and returns the maximum of their registers,
     * one per byte (absent keys count as empty HLLs); {@code dense}, when not null, learns
     * whether one of them is dense. Argument 1 is locked too (PFMERGE's destination).
     */
    private static byte[] union(CommandContext ctx, int from, boolean[] dense) {
        int n = ctx.argc - from;
        byte[][] keys = new byte[n][];
        System.arraycopy(ctx.argv, from, keys, 0, n);
        int[] hashes = KeyLocks.lock(ctx, keys);
        Database db = ctx.db();
        byte[] max = new byte[HyperLogLog.REGISTERS];
        for (int i = 0; i < n; i++) {
            Entry e = Lookup.read(ctx, db.segment(hashes[i]), keys[i], hashes[i]);
            if (e == null) {
                continue;
            }
            check(e);
            byte[] s = InPlace.array(e);
            if (dense != null && HyperLogLog.encoding(s) == HyperLogLog.DENSE) {
                dense[0] = true;
            }
            if (!HyperLogLog.merge(max, s, InPlace.length(e))) {
                throw CORRUPT;
            }
        }
        return max;
    }

    private static byte[] union(CommandContext ctx, int from) {
        return union(ctx, from, null);
    }

    // ------------------------------------------------------------------ PFMERGE

    static void pfmerge(CommandContext ctx) {
        boolean[] dense = new boolean[1];
        byte[] max = union(ctx, 1, dense);
        byte[] key = ctx.argv[1];
        int h = io.cachalot.core.util.Bytes.hash(key);
        Segment seg = ctx.db().segment(h);
        Entry e = Lookup.write(ctx, seg, key, h);
        MutableString m;
        if (e == null) {
            m = HyperLogLog.create();
            InPlace.store(ctx, seg, key, h, m);
            e = seg.findLive(key, h, ctx.now);
        } else {
            // checked as a source already
            m = InPlace.mutable(seg, e, 0);
            ctx.dirty(1);
        }
        long before = seg.beforeMutation(e);
        try {
            if (dense[0] && !HyperLogLog.toDense(m)) {
                throw CORRUPT;
            }
            long sparseMax = sparseMax(ctx);
            for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                if (max[j] != 0) {
                    HyperLogLog.set(m, j, max[j], sparseMax);
                }
            }
            HyperLogLog.invalidateCache(m.array());
        } finally {
            seg.afterMutation(e, before);
        }
        // a mass add of elements, announced as one (as Redis)
        ctx.notify(KeyEvent.PFADD, key);
        ctx.reply.ok();
    }

    // ------------------------------------------------------------------ PFDEBUG, PFSELFTEST

    static void pfdebug(CommandContext ctx) {
        String sub = new String(ctx.argv[1], java.nio.charset.StandardCharsets.ISO_8859_1);
        try (KeyLock k = ctx.lockKey(2)) {
            Entry e = k.write();
            if (e == null) {
                throw new CommandError("ERR The specified key does not exist");
            }
            check(e);
            boolean sparse = HyperLogLog.encoding(InPlace.array(e)) == HyperLogLog.SPARSE;
            if (ctx.argIs(1, "getreg")) {
                arity(ctx, sub);
                if (sparse) {
                    toDense(ctx, k, e);
                }
                byte[] s = InPlace.array(e);
                ctx.reply.array(HyperLogLog.REGISTERS);
                for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                    ctx.reply.integer(HyperLogLog.get(s, HyperLogLog.DENSE_SIZE, j));
                }
            } else if (ctx.argIs(1, "decode")) {
                arity(ctx, sub);
                if (!sparse) {
                    throw new CommandError("ERR HLL encoding is not sparse");
                }
                ctx.reply.bulk(HyperLogLog.decode(InPlace.array(e), InPlace.length(e)));
            } else if (ctx.argIs(1, "encoding")) {
                arity(ctx, sub);
                ctx.reply.status(sparse ? "sparse" : "dense");
            } else if (ctx.argIs(1, "todense")) {
                arity(ctx, sub);
                if (sparse) {
                    toDense(ctx, k, e);
                }
                ctx.reply.integer(sparse ? 1 : 0);
            } else {
                throw new CommandError("ERR Unknown PFDEBUG subcommand '" + sub + "'");
            }
        }
    }

    private static void arity(CommandContext ctx, String sub) {
        if (ctx.argc != 3) {
            throw new CommandError("ERR Wrong number of arguments for the '" + sub + "' subcommand");
        }
    }

    private static void toDense(CommandContext ctx, KeyLock k, Entry e) {
        MutableString m = InPlace.mutable(k.segment(), e, 0);
        long before = k.segment().beforeMutation(e);
        boolean ok = HyperLogLog.toDense(m);
        k.segment().afterMutation(e, before);
        if (!ok) {
            throw CORRUPT;
        }
        ctx.dirty(1);
    }

    static void pfselftest(CommandContext ctx) {
        String failed = HyperLogLog.selfTest(new java.util.Random(), sparseMax(ctx));
        if (failed != null) {
            throw new CommandError("ERR " + failed);
        }
        ctx.reply.ok();
    }
}
