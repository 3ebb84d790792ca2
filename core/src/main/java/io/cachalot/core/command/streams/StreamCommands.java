package io.cachalot.core.command.streams;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.listpack.Listpack;
import io.cachalot.core.types.stream.StreamId;
import io.cachalot.core.types.stream.StreamValue;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

/**
 * The stream commands that add, read by range, delete and trim: XADD, XLEN, XRANGE, XREVRANGE,
 * XDEL, XTRIM, as Redis' t_stream.c answers them. XADD and XTRIM propagate what they did (the
 * id made for "*", the exact trim an approximate one amounted to), so AOF replays agree.
 */
public final class StreamCommands implements CommandFamily {
    static final CommandError INVALID_ID = new CommandError("ERR Invalid stream ID specified as stream command argument");
    private static final byte[] EQUALS = Bytes.ascii("=");

    /** The family, for the engine's ServiceLoader. */
    public StreamCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("xadd", StreamCommands::xadd);
        c.register("xlen", StreamCommands::xlen);
        c.register("xrange", ctx -> xrange(ctx, false));
        c.register("xrevrange", ctx -> xrange(ctx, true));
        c.register("xdel", StreamCommands::xdel);
        c.register("xtrim", StreamCommands::xtrim);
        c.register("xsetid", StreamCommands::xsetid);
        c.register("xread", ctx -> StreamReads.read(ctx, false));
        c.register("xreadgroup", ctx -> StreamReads.read(ctx, true));
    }

    // ------------------------------------------------------------------ ids

    /**
     * An id argument (streamGenericParseIDOrReply): "-", "+" (refused when {@code strict}),
     * "ms" with {@code missingSeq}, "ms-seq"; with {@code allowAutoSeq}, "ms-*" (seq -1 marker
     * returned through {@code autoSeq[0]}).
     */
    static StreamId parseId(byte[] b, long missingSeq, boolean strict, boolean[] autoSeq) {
        if (b.length > 127) {
            throw INVALID_ID;
        }
        if (b.length == 1 && (b[0] == '-' || b[0] == '+')) {
            if (strict) {
                throw INVALID_ID;
            }
            return b[0] == '-' ? StreamId.MIN : StreamId.MAX;
        }
        int dash = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '-') {
                dash = i;
                break;
            }
        }
        long ms = unsigned(b, 0, dash < 0 ? b.length : dash);
        long seq = missingSeq;
        if (dash >= 0) {
            if (autoSeq != null && b.length - dash - 1 == 1 && b[dash + 1] == '*') {
                autoSeq[0] = true;
                seq = 0;
            } else {
                seq = unsigned(b, dash + 1, b.length);
            }
        }
        return new StreamId(ms, seq);
    }

    /** string2ull: an unsigned 64-bit decimal (a leading '-' read as C's strtoull would wrap, refused here as Redis does). */
    private static long unsigned(byte[] b, int from, int to) {
        int n = to - from;
        if (n == 0 || n > 20) {
            throw INVALID_ID;
        }
        if (b[from] == '-') {
            // string2ull hands signed input to string2ll and refuses negatives
            throw INVALID_ID;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw INVALID_ID;
            }
            long hi = Math.multiplyHigh(v, 10) + ((v >> 63) & 10);
            long lo = v * 10;
            if (hi != 0) {
                throw INVALID_ID;
            }
            v = lo + d;
            if (Long.compareUnsigned(v, lo) < 0) {
                throw INVALID_ID;
            }
        }
        return v;
    }

    static byte[] idBytes(long ms, long seq) {
        return StreamId.bytes(ms, seq);
    }

    static StreamValue stream(Entry e) {
        return (StreamValue) e.value();
    }

    // ------------------------------------------------------------------ trimming arguments

    /** XADD's and XTRIM's options (streamAddTrimArgs). */
    static final class TrimArgs {
        static final int NONE = 0;
        static final int MAXLEN = 1;
        static final int MINID = 2;

        int strategy;
        int strategyArgIdx;
        boolean approx;
        long limit;
        long maxLen;
        StreamId minId;
        // XADD only
        StreamId id;
        boolean idGiven;
        boolean seqGiven = true;
        boolean noMkStream;
        int idPos;
    }

    /** streamParseAddOrTrimArgsOrReply: returns the parsed options, the id's position for XADD. */
    static TrimArgs parseTrimArgs(CommandContext ctx, boolean xadd) {
        TrimArgs a = new TrimArgs();
        boolean limitGiven = false;
        int i = 2;
        for (; i < ctx.argc; i++) {
            int more = ctx.argc - 1 - i;
            byte[] opt = ctx.argv[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if ((ctx.argIs(i, "maxlen") || ctx.argIs(i, "minid")) && more > 0) {
                boolean maxlen = ctx.argIs(i, "maxlen");
                if (a.strategy != TrimArgs.NONE) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                a.approx = false;
                byte[] next = ctx.argv[i + 1];
                if (more >= 2 && next.length == 1 && next[0] == '~') {
                    a.approx = true;
                    i++;
                } else if (more >= 2 && next.length == 1 && next[0] == '=') {
                    i++;
                }
                if (maxlen) {
                    a.maxLen = ctx.longArg(i + 1);
                    if (a.maxLen < 0) {
                        throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                    }
                } else {
                    a.minId = parseId(ctx.argv[i + 1], 0, true, null);
                }
                i++;
                a.strategy = maxlen ? TrimArgs.MAXLEN : TrimArgs.MINID;
                a.strategyArgIdx = i;
            } else if (ctx.argIs(i, "limit") && more > 0) {
                a.limit = ctx.longArg(i + 1);
                if (a.limit < 0) {
                    throw new CommandError("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && ctx.argIs(i, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                boolean[] auto = new boolean[1];
                a.id = parseId(opt, 0, true, auto);
                a.seqGiven = !auto[0];
                a.idGiven = true;
                break;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        if (a.limit != 0 && a.strategy == TrimArgs.NONE) {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == TrimArgs.NONE) {
            throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (ctx.isReplaying()) {
            // an AOF or a primary's command was rewritten to be exact: no work limit
            a.limit = 0;
        } else if (limitGiven) {
            if (!a.approx) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (a.approx) {
            long entries = ctx.settings().streamNodeMaxEntries.value();
            a.limit = 100 * entries;
            if (a.limit <= 0) {
                a.limit = 10000;
            }
            if (a.limit > 1_000_000) {
                a.limit = 1_000_000;
            }
        } else {
            a.limit = 0;
        }
        a.idPos = i;
        return a;
    }

    private static long trim(StreamValue s, TrimArgs a) {
        if (a.strategy == TrimArgs.NONE) {
            return 0;
        }
        return a.strategy == TrimArgs.MAXLEN
                ? s.trim(true, a.maxLen, 0, 0, a.approx, a.limit)
                : s.trim(false, 0, a.minId.ms, a.minId.seq, a.approx, a.limit);
    }

    /**
     * The trim as it must travel (streamRewriteTrimArgument): "~ n" becomes "= <length now>" or
     * "= <first id, tombstones included>", so replays trim exactly what was trimmed here.
     */
    private static void rewriteTrim(byte[][] argv, TrimArgs a, StreamValue s) {
        argv[a.strategyArgIdx - 1] = EQUALS;
        if (a.strategy == TrimArgs.MAXLEN) {
            argv[a.strategyArgIdx] = Numbers.toBytes(s.length());
        } else {
            StreamId first = s.firstIdWithTombstones();
            argv[a.strategyArgIdx] = idBytes(first.ms, first.seq);
        }
    }

    // ------------------------------------------------------------------ XADD

    static void xadd(CommandContext ctx) {
        TrimArgs a = parseTrimArgs(ctx, true);
        int fieldPos = a.idPos + 1;
        int pairs = ctx.argc - fieldPos;
        if (pairs < 2 || pairs % 2 == 1) {
            throw new CommandError(Errors.wrongArgs("xadd"));
        }
        if (a.idGiven && a.seqGiven && a.id.isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] key = ctx.argv[1];
        long ms;
        long seq;
        StreamValue s;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.STREAM);
            if (e == null) {
                if (a.noMkStream) {
                    ctx.reply.nullBulk();
                    return;
                }
                e = k.segment().insert(key, k.hash(), new StreamValue(), ValueType.STREAM, Encoding.STREAM);
            }
            s = stream(e);
            StreamId last = s.lastId();
            if (last.ms == -1L && last.seq == -1L) {
                throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
            }
            // the id (streamAppendItem's first half)
            if (a.idGiven) {
                if (a.seqGiven) {
                    ms = a.id.ms;
                    seq = a.id.seq;
                } else if (last.ms == a.id.ms) {
                    if (last.seq == -1L) {
                        throw idTooSmall();
                    }
                    ms = last.ms;
                    seq = last.seq + 1;
                } else {
                    ms = a.id.ms;
                    seq = 0;
                }
            } else {
                long now = ctx.now;
                if (Long.compareUnsigned(now, last.ms) > 0) {
                    ms = now;
                    seq = 0;
                } else {
                    StreamId next = last.next();
                    ms = next == null ? 0 : next.ms;
                    seq = next == null ? 0 : next.seq;
                }
            }
            if (StreamId.compare(ms, seq, last.ms, last.seq) <= 0) {
                throw idTooSmall();
            }
            long total = 0;
            for (int i = fieldPos; i < ctx.argc; i++) {
                total += ctx.argv[i].length;
            }
            if (total > (1L << 30)) {
                throw new CommandError("ERR Elements are too large to be stored");
            }
            long before = k.segment().beforeMutation(e);
            s.append(ms, seq, ctx.argv, fieldPos, pairs / 2, ctx.settings().streamNodeMaxBytes.value(),
                    ctx.settings().streamNodeMaxEntries.value());
            ctx.notify(KeyEvent.XADD, key);
            ctx.dirty(1);
            if (trim(s, a) > 0) {
                ctx.notify(KeyEvent.XTRIM, key);
            }
            k.segment().afterMutation(e, before);
            if (ctx.propagating() && (a.approx || !a.idGiven || !a.seqGiven)) {
                byte[][] argv = java.util.Arrays.copyOf(ctx.argv, ctx.argc);
                if (a.approx) {
                    rewriteTrim(argv, a, s);
                }
                if (!a.idGiven || !a.seqGiven) {
                    argv[a.idPos] = idBytes(ms, seq);
                }
                ctx.propagate(argv);
            }
        }
        ctx.reply.bulk(idBytes(ms, seq));
    }

    private static CommandError idTooSmall() {
        return new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    }

    // ------------------------------------------------------------------ XLEN, XRANGE

    static void xlen(CommandContext ctx) {
        Keys.replyLength(ctx, ValueType.STREAM);
    }

    static void xrange(CommandContext ctx, boolean rev) {
        byte[] startArg = rev ? ctx.argv[3] : ctx.argv[2];
        byte[] endArg = rev ? ctx.argv[2] : ctx.argv[3];
        StreamId start = intervalStart(startArg);
        StreamId end = intervalEnd(endArg);
        long count = -1;
        for (int j = 4; j < ctx.argc; j++) {
            if (ctx.argIs(j, "count") && ctx.argc - j - 1 >= 1) {
                count = ctx.longArg(j + 1);
                if (count < 0) {
                    count = 0;
                }
                j++;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.readOrEmptyArray(ValueType.STREAM);
            if (e == null) {
                return;
            }
            if (count == 0) {
                ctx.reply.nullArray();
                return;
            }
            replyRange(ctx.reply, stream(e), start, end, count < 0 ? 0 : count, rev);
        }
    }

    /** A range's start: "(" excludes the id given (the next one is returned). */
    static StreamId intervalStart(byte[] b) {
        StreamId start = intervalId(b, 0);
        if (isExclusive(b)) {
            start = start.next();
            if (start == null) {
                throw new CommandError("ERR invalid start ID for the interval");
            }
        }
        return start;
    }

    /** A range's end: a missing sequence means the largest; "(" excludes the id given. */
    static StreamId intervalEnd(byte[] b) {
        StreamId end = intervalId(b, -1L);
        if (isExclusive(b)) {
            end = end.previous();
            if (end == null) {
                throw new CommandError("ERR invalid end ID for the interval");
            }
        }
        return end;
    }

    private static boolean isExclusive(byte[] b) {
        return b.length > 1 && b[0] == '(';
    }

    /** streamParseIntervalIDOrReply: "(" makes it exclusive and strict. */
    private static StreamId intervalId(byte[] b, long missingSeq) {
        if (isExclusive(b)) {
            return parseId(java.util.Arrays.copyOfRange(b, 1, b.length), missingSeq, true, null);
        }
        return parseId(b, missingSeq, false, null);
    }

    /** The entries in range as [id, [field, value, ...]] (streamReplyWithRange), at most {@code count} (0: all). */
    static long replyRange(Reply r, StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
        // the reply's length first (a walk reads only the entries' headers), then the entries
        StreamValue.Cursor c = s.cursor(start.ms, start.seq, end.ms, end.seq, rev);
        long n = 0;
        while ((count == 0 || n < count) && c.next()) {
            n++;
        }
        r.array((int) n);
        c = s.cursor(start.ms, start.seq, end.ms, end.seq, rev);
        for (long i = 0; i < n && c.next(); i++) {
            replyEntry(r, c);
        }
        return n;
    }

    /** The cursor's entry as [id, [field, value, ...]]. */
    static void replyEntry(Reply r, StreamValue.Cursor c) {
        r.array(2);
        r.bulk(idBytes(c.ms(), c.seq()));
        Listpack lp = c.listpack();
        r.array(c.fieldCount() * 2);
        for (int f = 0; f < c.fieldCount(); f++) {
            element(r, lp, c.fieldAt());
            element(r, lp, c.valueAt());
            c.advanceField();
        }
    }

    /** A listpack element as a bulk string, straight from the listpack when it is a string. */
    private static void element(Reply r, Listpack lp, int p) {
        if (lp.isInteger(p)) {
            r.bulk(Numbers.toBytes(lp.integer(p)));
        } else {
            r.bulk(lp.array(), lp.stringOffset(p), lp.stringLength(p));
        }
    }

    // ------------------------------------------------------------------ XDEL, XTRIM

    static void xdel(CommandContext ctx) {
        long deleted = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.STREAM);
            if (e == null) {
                ctx.reply.integer(0);
                return;
            }
            // all ids are checked before anything is deleted, as Redis
            StreamId[] ids = new StreamId[ctx.argc - 2];
            for (int j = 2; j < ctx.argc; j++) {
                ids[j - 2] = parseId(ctx.argv[j], 0, true, null);
            }
            StreamValue s = stream(e);
            long before = k.segment().beforeMutation(e);
            boolean firstDeleted = false;
            StreamId first = s.firstId();
            for (StreamId id : ids) {
                if (s.delete(id.ms, id.seq)) {
                    firstDeleted |= id.equals(first);
                    if (id.compareTo(s.maxDeletedId()) > 0) {
                        s.setMaxDeletedId(id.ms, id.seq);
                    }
                    deleted++;
                }
            }
            if (deleted > 0) {
                if (s.length() == 0 || firstDeleted) {
                    s.refreshFirstId();
                }
                ctx.notify(KeyEvent.XDEL, ctx.argv[1]);
                ctx.dirty(deleted);
            }
            k.segment().afterMutation(e, before);
        }
        ctx.reply.integer(deleted);
    }

    static void xtrim(CommandContext ctx) {
        TrimArgs a = parseTrimArgs(ctx, false);
        long deleted;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.STREAM);
            if (e == null) {
                ctx.reply.integer(0);
                return;
            }
            StreamValue s = stream(e);
            long before = k.segment().beforeMutation(e);
            deleted = trim(s, a);
            k.segment().afterMutation(e, before);
            if (deleted > 0) {
                ctx.notify(KeyEvent.XTRIM, ctx.argv[1]);
                ctx.dirty(deleted);
                if (a.approx && ctx.propagating()) {
                    byte[][] argv = java.util.Arrays.copyOf(ctx.argv, ctx.argc);
                    rewriteTrim(argv, a, s);
                    ctx.propagate(argv);
                }
            }
        }
        ctx.reply.integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id]. */
    static void xsetid(CommandContext ctx) {
        StreamId id = parseId(ctx.argv[2], 0, true, null);
        StreamId maxDeleted = StreamId.MIN;
        long entriesAdded = -1;
        for (int i = 3; i < ctx.argc; ) {
            int more = ctx.argc - 1 - i;
            if (ctx.argIs(i, "entriesadded") && more > 0) {
                entriesAdded = ctx.longArg(i + 1);
                if (entriesAdded < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
                i += 2;
            } else if (ctx.argIs(i, "maxdeletedid") && more > 0) {
                maxDeleted = parseId(ctx.argv[i + 1], 0, true, null);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.STREAM);
            if (e == null) {
                throw Errors.E_NO_SUCH_KEY;
            }
            StreamValue s = stream(e);
            if (s.length() > 0) {
                StreamValue.Cursor c = s.cursor(0, 0, -1L, -1L, true);
                c.next();
                if (id.compareTo(c.id()) < 0) {
                    throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
                }
                if (entriesAdded != -1 && s.length() > entriesAdded) {
                    throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
                }
            }
            s.setLastId(id.ms, id.seq);
            if (entriesAdded != -1) {
                s.setEntriesAdded(entriesAdded);
            }
            if (!maxDeleted.isZero()) {
                s.setMaxDeletedId(maxDeleted.ms, maxDeleted.seq);
            }
            ctx.dirty(1);
            ctx.notify(KeyEvent.XSETID, ctx.argv[1]);
        }
        ctx.reply.ok();
    }
}
