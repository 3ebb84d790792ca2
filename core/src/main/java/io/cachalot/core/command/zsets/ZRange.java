package io.cachalot.core.command.zsets;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.IndexRange;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Doubles;

/**
 * ZRANGE in all its forms (by rank, score or lex; REV; LIMIT; WITHSCORES; ZRANGESTORE) and the
 * older commands it subsumes, parsed and validated as Redis' zrangeGenericCommand. Every range
 * is turned into an interval of ranks, then walked forwards or backwards.
 */
final class ZRange {
    enum Type { AUTO, RANK, SCORE, LEX }

    private static final CommandError NOT_FLOAT_RANGE = new CommandError("ERR min or max is not a float");
    private static final CommandError NOT_LEX_RANGE =
            new CommandError("ERR min or max not valid string range item");

    private ZRange() {
    }

    static void register(CommandCatalog c) {
        c.register("zrange", ctx -> range(ctx, 1, false, Type.AUTO, 0));
        c.register("zrangestore", ctx -> range(ctx, 2, true, Type.AUTO, 0));
        c.register("zrevrange", ctx -> range(ctx, 1, false, Type.RANK, -1));
        c.register("zrangebyscore", ctx -> range(ctx, 1, false, Type.SCORE, 1));
        c.register("zrevrangebyscore", ctx -> range(ctx, 1, false, Type.SCORE, -1));
        c.register("zrangebylex", ctx -> range(ctx, 1, false, Type.LEX, 1));
        c.register("zrevrangebylex", ctx -> range(ctx, 1, false, Type.LEX, -1));
    }

    /** A score interval, as zslParseRange reads it: "(" makes a bound exclusive. */
    static final class ScoreRange {
        double min;
        double max;
        boolean minEx;
        boolean maxEx;

        static ScoreRange parse(byte[] min, byte[] max) {
            ScoreRange r = new ScoreRange();
            r.minEx = min.length > 0 && min[0] == '(';
            r.maxEx = max.length > 0 && max[0] == '(';
            r.min = bound(min, r.minEx);
            r.max = bound(max, r.maxEx);
            return r;
        }

        private static double bound(byte[] b, boolean ex) {
            int off = ex ? 1 : 0;
            double d = Doubles.parseLenient(b, off, b.length - off);
            if (Double.isNaN(d)) {
                throw NOT_FLOAT_RANGE;
            }
            return d;
        }

        /** The rank of the first member in range (may be size: none). */
        int firstRank(ZSetValue z) {
            return z.countBelowScore(min, minEx);
        }

        /** The rank of the last member in range (may be -1 or below first: none). */
        int lastRank(ZSetValue z) {
            return z.countBelowScore(max, !maxEx) - 1;
        }
    }

    /** A lex interval: "-" and "+" are the infinities, "[x" includes x, "(x" excludes it. */
    static final class LexRange {
        private static final int NEG_INF = -1;
        private static final int POS_INF = 1;

        byte[] min;
        byte[] max;
        int minInf;
        int maxInf;
        boolean minEx;
        boolean maxEx;

        static LexRange parse(byte[] min, byte[] max) {
            LexRange r = new LexRange();
            r.minInf = item(min);
            r.maxInf = item(max);
            if (r.minInf == 0) {
                r.minEx = min[0] == '(';
                r.min = java.util.Arrays.copyOfRange(min, 1, min.length);
            }
            if (r.maxInf == 0) {
                r.maxEx = max[0] == '(';
                r.max = java.util.Arrays.copyOfRange(max, 1, max.length);
            }
            return r;
        }

        /** -1 for "-", 1 for "+", 0 for a bracketed item; an error for anything else. */
        private static int item(byte[] b) {
            if (b.length == 1 && b[0] == '-') {
                return NEG_INF;
            }
            if (b.length == 1 && b[0] == '+') {
                return POS_INF;
            }
            if (b.length > 0 && (b[0] == '(' || b[0] == '[')) {
                return 0;
            }
            throw NOT_LEX_RANGE;
        }

        int firstRank(ZSetValue z) {
            if (minInf == NEG_INF) {
                return 0;
            }
            if (minInf == POS_INF) {
                return z.size();
            }
            return z.countBelowLex(min, minEx);
        }

        int lastRank(ZSetValue z) {
            if (maxInf == POS_INF) {
                return z.size() - 1;
            }
            if (maxInf == NEG_INF) {
                return -1;
            }
            return z.countBelowLex(max, !maxEx) - 1;
        }
    }

    /**
     * @param keyIdx    argument of the source key (1, or 2 for ZRANGESTORE)
     * @param type      AUTO for ZRANGE/ZRANGESTORE (options decide), else fixed by the command
     * @param direction 0: options decide; 1 forward; -1 reverse (fixed by the command)
     */
    static void range(CommandContext ctx, int keyIdx, boolean store, Type type, int direction) {
        int minIdx = keyIdx + 1;
        int maxIdx = keyIdx + 2;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean limitGiven = false;
        for (int j = keyIdx + 3; j < ctx.argc; j++) {
            int left = ctx.argc - j - 1;
            if (!store && ctx.argIs(j, "withscores")) {
                withScores = true;
            } else if (ctx.argIs(j, "limit") && left >= 2) {
                offset = ctx.longArg(j + 1);
                limit = ctx.longArg(j + 2);
                limitGiven = true;
                j += 2;
            } else if (direction == 0 && ctx.argIs(j, "rev")) {
                direction = -1;
            } else if (type == Type.AUTO && ctx.argIs(j, "bylex")) {
                type = Type.LEX;
            } else if (type == Type.AUTO && ctx.argIs(j, "byscore")) {
                type = Type.SCORE;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        boolean reverse = direction < 0;
        if (type == Type.AUTO) {
            type = Type.RANK;
        }
        if (limitGiven && type == Type.RANK) {
            throw new CommandError(
                    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == Type.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        if (reverse && type != Type.RANK) {
            int t = minIdx;
            minIdx = maxIdx;
            maxIdx = t;
        }
        long start = 0;
        long end = 0;
        ScoreRange score = null;
        LexRange lex = null;
        switch (type) {
            case RANK:
                start = ctx.longArg(minIdx);
                end = ctx.longArg(maxIdx);
                break;
            case SCORE:
                score = ScoreRange.parse(ctx.argv[minIdx], ctx.argv[maxIdx]);
                break;
            default:
                lex = LexRange.parse(ctx.argv[minIdx], ctx.argv[maxIdx]);
                break;
        }
        byte[] src = ctx.argv[keyIdx];
        byte[] dst = store ? ctx.argv[1] : null;
        int[] hashes = KeyLocks.lock(ctx, store ? new byte[][] {src, dst} : new byte[][] {src});
        Database db = ctx.db();
        Segment seg = db.segment(hashes[0]);
        Entry e = Lookup.read(ctx, seg, src, hashes[0]); // also when storing, as Redis 7.0
        if (e != null && !e.isType(ValueType.ZSET)) {
            throw Errors.E_WRONGTYPE;
        }
        Reply r = ctx.reply;
        if (e == null) {
            if (store) {
                ZSets.store(ctx, dst, null, KeyEvent.ZRANGESTORE);
            } else {
                r.array(0);
            }
            return;
        }
        ZSetValue z = ZSets.zset(e);
        int size = z.size();
        // the interval of forward ranks, and how many to take from its start (or end, reversed)
        long first;
        long last;
        if (type == Type.RANK) {
            start = IndexRange.first(start, size);
            end = IndexRange.last(end, size);
            if (IndexRange.isEmpty(start, end, size)) {
                first = 0;
                last = -1;
            } else {
                first = reverse ? size - 1 - end : start;
                last = reverse ? size - 1 - start : end;
            }
        } else {
            first = score != null ? score.firstRank(z) : lex.firstRank(z);
            last = score != null ? score.lastRank(z) : lex.lastRank(z);
            if (offset < 0 || (offset > 0 && offset >= size)) {
                last = first - 1;
            } else if (reverse) {
                last -= offset;
            } else {
                first += offset;
            }
            if (limit >= 0 && last - first + 1 > limit) {
                if (reverse) {
                    first = last - limit + 1;
                } else {
                    last = first + limit - 1;
                }
            }
        }
        int n = (int) Math.max(0, last - first + 1);
        ZSetValue.Cursor c = z.cursor();
        if (store) {
            // as Redis: a listpack unless a rank range is known to be too long, then filled in
            // reply order by zsetAdd's rules (so a listpack turns -0 into 0 before converting)
            ZSetValue result = type == Type.RANK && n > ZSets.maxEntries(ctx) ? ZSetValue.tree() : ZSetValue.packed();
            if (n > 0) {
                c.seek((int) (reverse ? last : first));
                for (int i = 0; i < n; i++) {
                    ZSets.insert(ctx, result, c.member(), c.score());
                    if (reverse) {
                        c.prev();
                    } else {
                        c.next();
                    }
                }
            }
            ZSets.storeAsIs(ctx, dst, result, KeyEvent.ZRANGESTORE);
            return;
        }
        ZSets.header(r, n, withScores);
        if (n == 0) {
            return;
        }
        if (reverse) {
            c.seek((int) last);
            for (int i = 0; i < n; i++) {
                ZSets.emit(r, c, withScores);
                c.prev();
            }
        } else {
            c.seek((int) first);
            for (int i = 0; i < n; i++) {
                ZSets.emit(r, c, withScores);
                c.next();
            }
        }
    }
}
