package io.cachalot.core.command.zsets;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.IndexRange;
import io.cachalot.core.command.RandomCount;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.ScanArgs;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Doubles;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The single-key sorted-set commands: ZADD and ZINCRBY, removal, scores and ranks, counts,
 * ZRANDMEMBER, ZSCAN, and the ZREMRANGEBY family. Ranges are in {@link ZRange}, pops in
 * {@link ZPop}, the multi-set operations in {@link ZSetAlgebra}.
 */
public final class ZSetCommands implements CommandFamily {
    /** ZADD's options, as {@link #add} takes them. */
    public static final int NX = 1;
    public static final int XX = 2;
    public static final int GT = 4;
    public static final int LT = 8;
    public static final int INCR = 16;
    public static final int CH = 32;

    /** The family, for the engine's ServiceLoader. */
    public ZSetCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("zadd", ctx -> zadd(ctx, false));
        c.register("zincrby", ctx -> zadd(ctx, true));
        c.register("zrem", ZSetCommands::zrem);
        c.register("zcard", ctx -> Keys.replyLength(ctx, ValueType.ZSET));
        c.register("zscore", ZSetCommands::zscore);
        c.register("zmscore", ZSetCommands::zmscore);
        c.register("zrank", ctx -> zrank(ctx, false));
        c.register("zrevrank", ctx -> zrank(ctx, true));
        c.register("zcount", ZSetCommands::zcount);
        c.register("zlexcount", ZSetCommands::zlexcount);
        c.register("zrandmember", ZSetCommands::zrandmember);
        c.register("zscan", ZSetCommands::zscan);
        c.register("zremrangebyrank", ctx -> zremrange(ctx, ZRange.Type.RANK));
        c.register("zremrangebyscore", ctx -> zremrange(ctx, ZRange.Type.SCORE));
        c.register("zremrangebylex", ctx -> zremrange(ctx, ZRange.Type.LEX));
        ZRange.register(c);
        ZPop.register(c);
        ZSetAlgebra.register(c);
    }

    // ------------------------------------------------------------------ ZADD / ZINCRBY

    static void zadd(CommandContext ctx, boolean zincrby) {
        int flags = zincrby ? INCR : 0;
        int scoreIdx = 2;
        if (!zincrby) {
            for (; scoreIdx < ctx.argc; scoreIdx++) {
                if (ctx.argIs(scoreIdx, "nx")) {
                    flags |= NX;
                } else if (ctx.argIs(scoreIdx, "xx")) {
                    flags |= XX;
                } else if (ctx.argIs(scoreIdx, "ch")) {
                    flags |= CH;
                } else if (ctx.argIs(scoreIdx, "incr")) {
                    flags |= INCR;
                } else if (ctx.argIs(scoreIdx, "gt")) {
                    flags |= GT;
                } else if (ctx.argIs(scoreIdx, "lt")) {
                    flags |= LT;
                } else {
                    break;
                }
            }
        }
        int elements = ctx.argc - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            throw Errors.E_SYNTAX;
        }
        elements /= 2;
        boolean nx = (flags & NX) != 0;
        boolean xx = (flags & XX) != 0;
        boolean gt = (flags & GT) != 0;
        boolean lt = (flags & LT) != 0;
        boolean incr = (flags & INCR) != 0;
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 1) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = ZSets.score(ctx.argv[scoreIdx + j * 2]);
        }
        add(ctx, flags, scores, scoreIdx + 1, 2);
    }

    /**
     * ZADD's work and reply on the sorted set at argument 1, options checked: member {@code j}
     * (score {@code scores[j]}) is argument {@code memberIdx + j * stride} (GEOADD computes its
     * scores and has its members every third argument).
     */
    public static void add(CommandContext ctx, int flags, double[] scores, int memberIdx, int stride) {
        int elements = scores.length;
        boolean nx = (flags & NX) != 0;
        boolean xx = (flags & XX) != 0;
        boolean gt = (flags & GT) != 0;
        boolean lt = (flags & LT) != 0;
        boolean incr = (flags & INCR) != 0;
        byte[] key = ctx.argv[1];
        int added = 0;
        int updated = 0;
        int processed = 0;
        double score = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.ZSET);
            if (e == null) {
                if (xx) {
                    replyAdd(ctx, incr, (flags & CH) != 0, 0, 0, 0, 0);
                    return;
                }
                e = ZSets.create(ctx, k.segment(), key, k.hash());
            }
            ZSetValue z = ZSets.zset(e);
            long before = k.segment().beforeMutation(e);
            try {
                for (int j = 0; j < elements; j++) {
                    score = scores[j];
                    byte[] member = ctx.argv[memberIdx + j * stride];
                    double cur = z.score(member);
                    if (!Double.isNaN(cur)) {
                        if (nx) {
                            continue;
                        }
                        if (incr) {
                            score += cur;
                            if (Double.isNaN(score)) {
                                throw ZSets.NAN_SCORE;
                            }
                        }
                        if ((lt && score >= cur) || (gt && score <= cur)) {
                            continue;
                        }
                        processed++;
                        if (score != cur) {
                            z.updateScore(member, cur, score);
                            updated++;
                        }
                    } else if (!xx) {
                        ZSets.insert(ctx, z, member, score);
                        added++;
                        processed++;
                    }
                }
            } finally {
                ZSets.changed(ctx, k.segment(), e, before,
                        added + updated > 0 ? (incr ? KeyEvent.ZINCR : KeyEvent.ZADD) : null);
                ctx.dirty(added + updated);
            }
        }
        replyAdd(ctx, incr, (flags & CH) != 0, added, updated, processed, score);
    }

    private static void replyAdd(CommandContext ctx, boolean incr, boolean ch, int added, int updated, int processed,
                                 double score) {
        if (incr) {
            if (processed > 0) {
                ctx.reply.doubleValue(score);
            } else {
                ctx.reply.nullBulk();
            }
        } else {
            ctx.reply.integer(ch ? added + updated : added);
        }
    }

    // ------------------------------------------------------------------ simple reads and removal

    static void zrem(CommandContext ctx) {
        int removed = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.ZSET);
            if (e != null) {
                ZSetValue z = ZSets.zset(e);
                long before = k.segment().beforeMutation(e);
                for (int i = 2; i < ctx.argc && !z.isEmpty(); i++) {
                    if (z.remove(ctx.argv[i])) {
                        removed++;
                    }
                }
                ZSets.changed(ctx, k.segment(), e, before, removed > 0 ? KeyEvent.ZREM : null);
                ctx.dirty(removed);
            }
        }
        ctx.reply.integer(removed);
    }

    static void zscore(CommandContext ctx) {
        double s;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            s = e == null ? Double.NaN : ZSets.zset(e).score(ctx.argv[2]);
        }
        if (Double.isNaN(s)) {
            ctx.reply.nullBulk();
        } else {
            ctx.reply.doubleValue(s);
        }
    }

    static void zmscore(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            Reply r = ctx.reply;
            r.array(ctx.argc - 2);
            for (int i = 2; i < ctx.argc; i++) {
                double s = e == null ? Double.NaN : ZSets.zset(e).score(ctx.argv[i]);
                if (Double.isNaN(s)) {
                    r.nullBulk();
                } else {
                    r.doubleValue(s);
                }
            }
        }
    }

    /** ZRANK / ZREVRANK key member [WITHSCORE] (the option is Redis 7.2's). */
    static void zrank(CommandContext ctx, boolean reverse) {
        if (ctx.argc > 4) {
            throw new CommandError(Errors.wrongArgs(ctx.spec().fullName()));
        }
        boolean withScore = false;
        if (ctx.argc == 4) {
            if (!ctx.argIs(3, "withscore")) {
                throw Errors.E_SYNTAX;
            }
            withScore = true;
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            Reply r = ctx.reply;
            int rank = -1;
            double score = 0;
            if (e != null) {
                ZSetValue z = ZSets.zset(e);
                rank = z.rank(ctx.argv[2]);
                if (rank >= 0) {
                    score = z.score(ctx.argv[2]);
                    if (reverse) {
                        rank = z.size() - 1 - rank;
                    }
                }
            }
            if (rank < 0) {
                if (withScore) {
                    r.nullArray();
                } else {
                    r.nullBulk();
                }
                return;
            }
            if (withScore) {
                r.array(2);
                r.integer(rank);
                r.doubleValue(score);
            } else {
                r.integer(rank);
            }
        }
    }

    static void zcount(CommandContext ctx) {
        ZRange.ScoreRange range = ZRange.ScoreRange.parse(ctx.argv[2], ctx.argv[3]);
        countRange(ctx, range, null);
    }

    static void zlexcount(CommandContext ctx) {
        ZRange.LexRange range = ZRange.LexRange.parse(ctx.argv[2], ctx.argv[3]);
        countRange(ctx, null, range);
    }

    private static void countRange(CommandContext ctx, ZRange.ScoreRange score, ZRange.LexRange lex) {
        int n = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            if (e != null) {
                ZSetValue z = ZSets.zset(e);
                int first = score != null ? score.firstRank(z) : lex.firstRank(z);
                int last = score != null ? score.lastRank(z) : lex.lastRank(z);
                n = Math.max(0, last - first + 1);
            }
        }
        ctx.reply.integer(n);
    }

    // ------------------------------------------------------------------ ZREMRANGEBY*

    static void zremrange(CommandContext ctx, ZRange.Type type) {
        long start = 0;
        long end = 0;
        ZRange.ScoreRange score = null;
        ZRange.LexRange lex = null;
        switch (type) {
            case RANK:
                start = ctx.longArg(2);
                end = ctx.longArg(3);
                break;
            case SCORE:
                score = ZRange.ScoreRange.parse(ctx.argv[2], ctx.argv[3]);
                break;
            default:
                lex = ZRange.LexRange.parse(ctx.argv[2], ctx.argv[3]);
                break;
        }
        int removed = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.ZSET);
            if (e != null) {
                ZSetValue z = ZSets.zset(e);
                int size = z.size();
                long first;
                long last;
                if (type == ZRange.Type.RANK) {
                    first = IndexRange.first(start, size);
                    last = IndexRange.last(end, size);
                    if (IndexRange.isEmpty(first, last, size)) {
                        last = first - 1;
                    }
                } else if (score != null) {
                    first = score.firstRank(z);
                    last = score.lastRank(z);
                } else {
                    first = lex.firstRank(z);
                    last = lex.lastRank(z);
                }
                if (last >= first) {
                    long before = k.segment().beforeMutation(e);
                    removed = z.removeRange((int) first, (int) last);
                    ZSets.changed(ctx, k.segment(), e, before, removed == 0 ? null
                            : type == ZRange.Type.RANK ? KeyEvent.ZREMRANGEBYRANK
                            : type == ZRange.Type.SCORE ? KeyEvent.ZREMRANGEBYSCORE : KeyEvent.ZREMRANGEBYLEX);
                    ctx.dirty(removed);
                }
            }
        }
        ctx.reply.integer(removed);
    }

    // ------------------------------------------------------------------ ZRANDMEMBER

    static void zrandmember(CommandContext ctx) {
        boolean withCount = ctx.argc >= 3;
        RandomCount rc = withCount ? RandomCount.parse(ctx, "withscores") : null;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            Reply r = ctx.reply;
            if (e == null) {
                if (withCount) {
                    r.array(0);
                } else {
                    r.nullBulk();
                }
                return;
            }
            ZSetValue z = ZSets.zset(e);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            ZSetValue.Cursor c = z.cursor();
            int size = z.size();
            if (!withCount) {
                c.seek(rnd.nextInt(size));
                r.bulk(c.memberArray(), c.memberOffset(), c.memberLength());
                return;
            }
            long l = rc.count;
            if (l == 0) {
                r.array(0);
                return;
            }
            if (l < 0) {
                int n = (int) -l;
                rc.header(r, n);
                for (int i = 0; i < n; i++) {
                    c.seek(rnd.nextInt(size));
                    emit(r, c, rc);
                }
                return;
            }
            if (l >= size) {
                // the whole set, highest score first, as Redis answers it
                rc.header(r, size);
                c.seek(size - 1);
                do {
                    emit(r, c, rc);
                } while (c.prev());
                return;
            }
            int n = (int) l;
            int[] ranks = new int[size];
            for (int i = 0; i < size; i++) {
                ranks[i] = i;
            }
            RandomCount.pickDistinct(ranks, n, rnd);
            rc.header(r, n);
            for (int i = 0; i < n; i++) {
                c.seek(ranks[i]);
                emit(r, c, rc);
            }
        }
    }

    private static void emit(Reply r, ZSetValue.Cursor c, RandomCount rc) {
        rc.beforeElement(r);
        r.bulk(c.memberArray(), c.memberOffset(), c.memberLength());
        if (rc.withValues) {
            r.doubleValue(c.score());
        }
    }

    // ------------------------------------------------------------------ ZSCAN

    static void zscan(CommandContext ctx) {
        long cursor = ScanArgs.cursor(ctx.argv[2]);
        ScanArgs args;
        long next;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.ZSET);
            args = ScanArgs.collection(ctx, e, false);
            if (args == null) {
                return;
            }
            ZSetValue z = ZSets.zset(e);
            if (z.isPacked()) {
                ZSetValue.Cursor c = z.cursor();
                if (z.size() > 0) {
                    c.seek(0);
                    do {
                        if (args.matches(c.memberArray(), c.memberOffset(), c.memberLength())) {
                            args.out.add(c.member());
                            args.out.add(Doubles.format17gBytes(c.score()));
                        }
                    } while (c.next());
                }
                next = 0;
            } else {
                ScanArgs a = args;
                next = args.walk(cursor, cur -> z.scan(cur, slot -> {
                    a.gathered += 2;
                    byte[] m = z.slotMember(slot);
                    if (a.matches(m, 0, m.length)) {
                        a.out.add(m);
                        a.out.add(Doubles.format17gBytes(z.slotScore(slot)));
                    }
                }));
            }
        }
        args.reply(ctx.reply, next);
    }
}
