package io.cachalot.core.command.zsets;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.BytesMap;
import io.cachalot.core.types.set.SetValue;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Doubles;

import java.util.Arrays;
import java.util.Comparator;

/**
 * ZUNION ZINTER ZDIFF, their STORE forms, and ZINTERCARD, as Redis' zunionInterDiffGenericCommand:
 * inputs may be sets (every member scoring 1) or sorted sets, union and intersection visit them by
 * ascending size (which fixes the order of floating-point aggregation), a NaN product or sum
 * counts as 0, and the result comes out ordered by score.
 */
final class ZSetAlgebra {
    private enum Op { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    private static final CommandError WEIGHT_NOT_FLOAT = new CommandError("ERR weight value is not a float");

    private ZSetAlgebra() {
    }

    static void register(CommandCatalog c) {
        c.register("zunion", ctx -> generic(ctx, 1, null, Op.UNION, false));
        c.register("zinter", ctx -> generic(ctx, 1, null, Op.INTER, false));
        c.register("zdiff", ctx -> generic(ctx, 1, null, Op.DIFF, false));
        c.register("zunionstore", ctx -> generic(ctx, 2, ctx.argv[1], Op.UNION, false));
        c.register("zinterstore", ctx -> generic(ctx, 2, ctx.argv[1], Op.INTER, false));
        c.register("zdiffstore", ctx -> generic(ctx, 2, ctx.argv[1], Op.DIFF, false));
        c.register("zintercard", ctx -> generic(ctx, 1, null, Op.INTER, true));
    }

    /** One input: a sorted set, a set, or nothing (a missing key), with its weight. */
    private static final class Source {
        final ZSetValue zset;
        final SetValue set;
        final Entry entry;
        double weight = 1.0;

        Source(Entry e) {
            entry = e;
            zset = e != null && e.isType(ValueType.ZSET) ? (ZSetValue) e.value() : null;
            set = e != null && e.isType(ValueType.SET) ? (SetValue) e.value() : null;
        }

        int size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        /** The member's score, NaN when absent. */
        double score(byte[] m) {
            if (zset != null) {
                return zset.score(m);
            }
            return set != null && set.contains(m) ? 1.0 : Double.NaN;
        }
    }

    /** Visits a source's members with their scores. */
    private interface Visitor {
        void visit(byte[] member, double score);
    }

    private static void forEach(Source s, Visitor v) {
        if (s.zset != null) {
            if (s.zset.size() == 0) {
                return;
            }
            ZSetValue.Cursor c = s.zset.cursor();
            c.seek(0);
            do {
                v.visit(c.member(), c.score());
            } while (c.next());
        } else if (s.set != null) {
            SetValue.Cursor c = s.set.cursor();
            while (c.next()) {
                v.visit(c.member(), 1.0);
            }
        }
    }

    private static double aggregate(Aggregate a, double target, double value) {
        switch (a) {
            case SUM: {
                double t = target + value;
                return Double.isNaN(t) ? 0.0 : t; // inf + -inf
            }
            case MIN:
                return value < target ? value : target;
            default:
                return value > target ? value : target;
        }
    }

    static void generic(CommandContext ctx, int numkeysIdx, byte[] dst, Op op, boolean cardinalityOnly) {
        long setnum = ctx.longArg(numkeysIdx);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + ctx.spec().fullName() + "' command");
        }
        if (setnum > ctx.argc - (numkeysIdx + 1)) {
            throw Errors.E_SYNTAX;
        }
        int n = (int) setnum;
        byte[][] keys = new byte[dst == null ? n : n + 1][];
        System.arraycopy(ctx.argv, numkeysIdx + 1, keys, 0, n);
        if (dst != null) {
            keys[n] = dst;
        }
        int[] hashes = KeyLocks.lock(ctx, keys);
        Database db = ctx.db();
        Source[] src = new Source[n];
        for (int i = 0; i < n; i++) {
            Segment seg = db.segment(hashes[i]);
            // sources are read look-ups even when storing, as Redis 7.0 (hits, misses, "keymiss")
            Entry e = Lookup.read(ctx, seg, keys[i], hashes[i]);
            if (e != null && !e.isType(ValueType.ZSET) && !e.isType(ValueType.SET)) {
                throw Errors.E_WRONGTYPE;
            }
            src[i] = new Source(e);
        }
        Aggregate agg = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numkeysIdx + 1 + n;
        int remaining = ctx.argc - j;
        while (remaining > 0) {
            if (op != Op.DIFF && !cardinalityOnly && remaining >= n + 1 && ctx.argIs(j, "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    double w = Doubles.parseStrict(ctx.argv[j]);
                    if (Double.isNaN(w)) {
                        throw WEIGHT_NOT_FLOAT;
                    }
                    src[i].weight = w;
                }
            } else if (op != Op.DIFF && !cardinalityOnly && remaining >= 2 && ctx.argIs(j, "aggregate")) {
                j++;
                if (ctx.argIs(j, "sum")) {
                    agg = Aggregate.SUM;
                } else if (ctx.argIs(j, "min")) {
                    agg = Aggregate.MIN;
                } else if (ctx.argIs(j, "max")) {
                    agg = Aggregate.MAX;
                } else {
                    throw Errors.E_SYNTAX;
                }
                j++;
                remaining -= 2;
            } else if (dst == null && !cardinalityOnly && ctx.argIs(j, "withscores")) {
                j++;
                remaining--;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && ctx.argIs(j, "limit")) {
                limit = ctx.nonNegativeArg(j + 1, "ERR LIMIT can't be negative");
                j += 2;
                remaining -= 2;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        if (op != Op.DIFF) {
            Arrays.sort(src, Comparator.comparingInt(Source::size)); // stable, as glibc's qsort here
        }
        if (cardinalityOnly) {
            ctx.reply.integer(interCard(src, limit));
            return;
        }
        ZSetValue result = ZSetValue.tree();
        switch (op) {
            case UNION:
                union(src, agg, result);
                break;
            case INTER:
                inter(src, agg, result);
                break;
            default:
                diff(src, result);
                break;
        }
        if (dst != null) {
            ZSets.store(ctx, dst, result,
                    op == Op.UNION ? KeyEvent.ZUNIONSTORE : op == Op.INTER ? KeyEvent.ZINTERSTORE : KeyEvent.ZDIFFSTORE);
            return;
        }
        Reply r = ctx.reply;
        int size = result.size();
        ZSets.header(r, size, withScores);
        if (size > 0) {
            ZSetValue.Cursor c = result.cursor();
            c.seek(0);
            do {
                ZSets.emit(r, c, withScores);
            } while (c.next());
        }
    }

    private static void union(Source[] src, Aggregate agg, ZSetValue result) {
        BytesMap acc = new BytesMap(false, true);
        for (Source s : src) {
            double w = s.weight;
            forEach(s, (m, score) -> {
                double v = w * score;
                if (Double.isNaN(v)) {
                    v = 0;
                }
                int slot = acc.find(m);
                if (slot < 0) {
                    slot = acc.add(m, null);
                    acc.setLongAt(slot, Double.doubleToRawLongBits(v));
                } else {
                    double t = aggregate(agg, Double.longBitsToDouble(acc.longAt(slot)), v);
                    acc.setLongAt(slot, Double.doubleToRawLongBits(t));
                }
            });
        }
        for (int s = acc.nextSlot(0); s >= 0; s = acc.nextSlot(s + 1)) {
            result.insert(acc.keyAt(s), Double.longBitsToDouble(acc.longAt(s)));
        }
    }

    private static void inter(Source[] src, Aggregate agg, ZSetValue result) {
        if (src[0].size() == 0) {
            return;
        }
        forEach(src[0], (m, score) -> {
            double t = src[0].weight * score;
            if (Double.isNaN(t)) {
                t = 0;
            }
            for (int i = 1; i < src.length; i++) {
                double s = src[i].entry == src[0].entry ? score : src[i].score(m);
                if (Double.isNaN(s)) {
                    return;
                }
                double v = s * src[i].weight;
                t = aggregate(agg, t, v);
            }
            result.insert(m, t);
        });
    }

    private static long interCard(Source[] src, long limit) {
        if (src[0].size() == 0) {
            return 0;
        }
        long[] count = {0};
        // a visitor cannot stop early; the limit only caps the answer, as the result is the same
        forEach(src[0], (m, score) -> {
            if (limit > 0 && count[0] >= limit) {
                return;
            }
            for (int i = 1; i < src.length; i++) {
                if (src[i].entry != src[0].entry && Double.isNaN(src[i].score(m))) {
                    return;
                }
            }
            count[0]++;
        });
        return count[0];
    }

    private static void diff(Source[] src, ZSetValue result) {
        if (src[0].size() == 0) {
            return;
        }
        for (int i = 1; i < src.length; i++) {
            if (src[i].entry == src[0].entry) {
                return; // a key minus itself
            }
        }
        forEach(src[0], (m, score) -> {
            for (int i = 1; i < src.length; i++) {
                if (!Double.isNaN(src[i].score(m))) {
                    return;
                }
            }
            result.insert(m, score);
        });
    }
}
