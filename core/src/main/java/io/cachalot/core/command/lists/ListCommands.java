package io.cachalot.core.command.lists;

import io.cachalot.core.command.KeyPair;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.propagate.Propagated;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.IndexRange;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.MultiPopArgs;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.Timeouts;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.LockSet;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.list.QuickList;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

import java.util.ArrayList;
import java.util.List;

/** The list commands, blocking ones included. */
public final class ListCommands implements CommandFamily {
    private static final CommandError POSITIVE = new CommandError("ERR value is out of range, must be positive");

    /** The family, for the engine's ServiceLoader. */
    public ListCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("lpush", ctx -> push(ctx, true, false));
        c.register("rpush", ctx -> push(ctx, false, false));
        c.register("lpushx", ctx -> push(ctx, true, true));
        c.register("rpushx", ctx -> push(ctx, false, true));
        c.register("lpop", ctx -> pop(ctx, true));
        c.register("rpop", ctx -> pop(ctx, false));
        c.register("llen", ctx -> Keys.replyLength(ctx, ValueType.LIST));
        c.register("lindex", ListCommands::lindex);
        c.register("lrange", ListCommands::lrange);
        c.register("lset", ListCommands::lset);
        c.register("linsert", ListCommands::linsert);
        c.register("lrem", ListCommands::lrem);
        c.register("ltrim", ListCommands::ltrim);
        c.register("lpos", ListCommands::lpos);
        c.register("rpoplpush", ctx -> move(ctx, false, true, -1));
        c.register("lmove", ctx -> move(ctx, position(ctx, 3), position(ctx, 4), -1));
        c.register("lmpop", ctx -> mpop(ctx, 1, -1));
        c.register("blpop", ctx -> bpop(ctx, true));
        c.register("brpop", ctx -> bpop(ctx, false));
        c.register("brpoplpush", ctx -> move(ctx, false, true, 3));
        c.register("blmove", ctx -> move(ctx, position(ctx, 3), position(ctx, 4), 5));
        c.register("blmpop", ctx -> mpop(ctx, 2, 1));
    }

    static QuickList list(Entry e) {
        return (QuickList) e.value();
    }

    /** LEFT (head, true) or RIGHT (tail, false); syntax error otherwise. */
    static boolean position(CommandContext ctx, int i) {
        if (ctx.argIs(i, "left")) {
            return true;
        }
        if (ctx.argIs(i, "right")) {
            return false;
        }
        throw Errors.E_SYNTAX;
    }

    /** Creates an empty list under a key known to be absent; the caller fills it (then accounts). */
    static Entry create(CommandContext ctx, Segment seg, byte[] key, int h) {
        QuickList q = new QuickList(ctx.settings().listMaxListpackSize.intValue());
        return Keys.store(ctx, seg, key, h, null, q, ValueType.LIST, Encoding.QUICKLIST, false);
    }

    /** Deletes a list key that its last pop left empty. */
    static void deleteIfEmpty(CommandContext ctx, Segment seg, Entry e) {
        if (list(e).size() == 0) {
            Keys.delete(ctx, seg, e);
        }
    }

    // ------------------------------------------------------------------ push and pop

    static void push(CommandContext ctx, boolean head, boolean onlyIfExists) {
        byte[] key = ctx.argv[1];
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.LIST);
            if (e == null) {
                if (onlyIfExists) {
                    ctx.reply.integer(0);
                    return;
                }
                e = create(ctx, k.segment(), key, k.hash());
            }
            QuickList q = list(e);
            long before = k.segment().beforeMutation(e);
            for (int i = 2; i < ctx.argc; i++) {
                q.push(ctx.argv[i], head);
            }
            k.segment().afterMutation(e, before);
            ctx.dirty(ctx.argc - 2);
            ctx.reply.integer(q.size()); // before the event, as Redis
            ctx.notify(head ? KeyEvent.LPUSH : KeyEvent.RPUSH, key);
        }
    }

    static void pop(CommandContext ctx, boolean head) {
        boolean hasCount = ctx.argc == 3;
        long count = 0;
        if (ctx.argc > 3) {
            throw new CommandError(Errors.wrongArgs(ctx.spec().fullName()));
        } else if (hasCount) {
            count = ctx.nonNegativeArg(2, POSITIVE.getMessage());
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.LIST);
            Reply r = ctx.reply;
            if (e == null) {
                if (hasCount) {
                    r.nullArray();
                } else {
                    r.nullBulk();
                }
                return;
            }
            if (hasCount && count == 0) {
                r.array(0);
                return;
            }
            QuickList q = list(e);
            long before = k.segment().beforeMutation(e);
            if (!hasCount) {
                r.bulk(q.pop(head));
                count = 1;
            } else {
                long n = Math.min(count, q.size());
                r.array((int) n);
                for (long i = 0; i < n; i++) {
                    r.bulk(q.pop(head));
                }
                count = n;
            }
            k.segment().afterMutation(e, before);
            ctx.dirty(count);
            ctx.notify(head ? KeyEvent.LPOP : KeyEvent.RPOP, k.key());
            deleteIfEmpty(ctx, k.segment(), e);
        }
    }

    // ------------------------------------------------------------------ reading

    static void lindex(CommandContext ctx) {
        byte[] key = ctx.argv[1];
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.readOrNullBulk(ValueType.LIST);
            if (e == null) {
                return;
            }
            long index = ctx.longArg(2); // checked after the key, as Redis
            QuickList q = list(e);
            if (index < 0) {
                index = q.size() + index;
            }
            if (index < 0 || index >= q.size()) {
                ctx.reply.nullBulk();
            } else {
                ctx.reply.bulk(q.get(index));
            }
        }
    }

    static void lrange(CommandContext ctx) {
        long start = ctx.longArg(2);
        long end = ctx.longArg(3);
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.readOrEmptyArray(ValueType.LIST);
            Reply r = ctx.reply;
            if (e == null) {
                return;
            }
            QuickList q = list(e);
            long len = q.size();
            start = IndexRange.first(start, len);
            end = IndexRange.last(end, len);
            if (IndexRange.isEmpty(start, end, len)) {
                r.array(0);
                return;
            }
            int n = (int) (end - start + 1);
            r.array(n);
            QuickList.Cursor c = q.at(start);
            for (int i = 0; i < n; i++) {
                r.bulk(c.array(), c.offset(), c.length());
                c.next();
            }
        }
    }

    static void lpos(CommandContext ctx) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < ctx.argc; j++) {
            boolean more = ctx.argc - 1 - j > 0;
            if (ctx.argIs(j, "rank") && more) {
                rank = ctx.longArg(++j);
                if (rank == 0) {
                    throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from "
                            + "the second ... or use negative to start from the end of the list");
                }
            } else if (ctx.argIs(j, "count") && more) {
                count = ctx.nonNegativeArg(++j, "ERR COUNT can't be negative");
            } else if (ctx.argIs(j, "maxlen") && more) {
                maxlen = ctx.nonNegativeArg(++j, "ERR MAXLEN can't be negative");
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        boolean fromTail = false;
        if (rank < 0) {
            rank = -rank; // Long.MIN_VALUE stays negative, as in C: every match then qualifies
            fromTail = true;
        }
        byte[] ele = ctx.argv[2];
        List<Long> found = new ArrayList<>();
        long matchIndex = -1;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.LIST);
            if (e == null) {
                if (count != -1) {
                    ctx.reply.array(0);
                } else {
                    ctx.reply.nullBulk();
                }
                return;
            }
            QuickList q = list(e);
            long llen = q.size();
            QuickList.Cursor c = q.at(fromTail ? llen - 1 : 0);
            long index = 0;
            long matches = 0;
            while (maxlen == 0 || index < maxlen) {
                if (c.equalsBytes(ele)) {
                    matches++;
                    if (matches >= rank) {
                        long pos = fromTail ? llen - index - 1 : index;
                        if (count != -1) {
                            found.add(pos);
                            if (count != 0 && matches - rank + 1 >= count) {
                                break;
                            }
                        } else {
                            matchIndex = pos;
                            break;
                        }
                    }
                }
                index++;
                if (!(fromTail ? c.prev() : c.next())) {
                    break;
                }
            }
        }
        if (count != -1) {
            ctx.reply.array(found.size());
            for (long p : found) {
                ctx.reply.integer(p);
            }
        } else if (matchIndex != -1) {
            ctx.reply.integer(matchIndex);
        } else {
            ctx.reply.nullBulk();
        }
    }

    /** A non-negative long argument; {@code error} for negatives and non-integers alike. */
    // ------------------------------------------------------------------ changes in place

    static void lset(CommandContext ctx) {
        byte[] key = ctx.argv[1];
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.LIST);
            if (e == null) {
                throw Errors.E_NO_SUCH_KEY;
            }
            long index = ctx.longArg(2); // checked after the key, as Redis
            QuickList q = list(e);
            if (index < 0) {
                index = q.size() + index;
            }
            if (index < 0 || index >= q.size()) {
                throw new CommandError("ERR index out of range");
            }
            long before = k.segment().beforeMutation(e);
            q.replace(q.at(index), ctx.argv[3]);
            k.segment().afterMutation(e, before);
            ctx.dirty(1);
            ctx.reply.ok(); // before the event, as Redis
            ctx.notify(KeyEvent.LSET, key);
        }
    }

    static void linsert(CommandContext ctx) {
        boolean after;
        if (ctx.argIs(2, "after")) {
            after = true;
        } else if (ctx.argIs(2, "before")) {
            after = false;
        } else {
            throw Errors.E_SYNTAX;
        }
        byte[] pivot = ctx.argv[3];
        long result;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.writeOrZero(ValueType.LIST);
            if (e == null) {
                return;
            }
            QuickList q = list(e);
            QuickList.Cursor c = q.at(0);
            boolean found = false;
            do {
                if (c.equalsBytes(pivot)) {
                    found = true;
                    break;
                }
            } while (c.next());
            if (!found) {
                ctx.reply.integer(-1);
                return;
            }
            long before = k.segment().beforeMutation(e);
            q.insert(c, ctx.argv[4], after);
            k.segment().afterMutation(e, before);
            ctx.dirty(1);
            ctx.notify(KeyEvent.LINSERT, k.key());
            result = q.size();
        }
        ctx.reply.integer(result);
    }

    static void lrem(CommandContext ctx) {
        long count = ctx.longArg(2);
        long removed;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.writeOrZero(ValueType.LIST);
            if (e == null) {
                return;
            }
            long before = k.segment().beforeMutation(e);
            removed = list(e).removeMatching(ctx.argv[3], count);
            k.segment().afterMutation(e, before);
            ctx.dirty(removed);
            if (removed > 0) {
                ctx.notify(KeyEvent.LREM, k.key());
                deleteIfEmpty(ctx, k.segment(), e);
            }
        }
        ctx.reply.integer(removed);
    }

    static void ltrim(CommandContext ctx) {
        long start = ctx.longArg(2);
        long end = ctx.longArg(3);
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.LIST);
            if (e == null) {
                ctx.reply.ok();
                return;
            }
            QuickList q = list(e);
            long len = q.size();
            start = IndexRange.first(start, len);
            end = IndexRange.last(end, len);
            long before = k.segment().beforeMutation(e);
            if (IndexRange.isEmpty(start, end, len)) {
                q.trim(1, 0);
            } else {
                q.trim(start, end);
            }
            k.segment().afterMutation(e, before);
            ctx.dirty(len - q.size());
            ctx.notify(KeyEvent.LTRIM, k.key());
            deleteIfEmpty(ctx, k.segment(), e);
        }
        ctx.reply.ok();
    }

    // ------------------------------------------------------------------ moves

    /**
     * LMOVE, RPOPLPUSH and their blocking forms ({@code timeoutArg} &gt; 0): pops from the source
     * at one end and pushes to the destination at the other. A blocking form waits on the source.
     */
    private static final byte[] LMOVE = Propagated.LMOVE;

    static void move(CommandContext ctx, boolean fromHead, boolean toHead, int timeoutArg) {
        long deadline = timeoutArg > 0 ? Timeouts.deadline(ctx, timeoutArg) : 0;
        byte[] v;
        try (KeyPair p = ctx.lockKeys(1, 2)) {
            v = move(ctx, p.first(), p.second(), fromHead, toHead, timeoutArg, deadline);
        }
        if (v != null) {
            ctx.reply.bulk(v);
        }
    }

    /** {@link #move} with both keys locked; returns the element moved, or null when it replied (or blocked). */
    private static byte[] move(CommandContext ctx, KeyLock src, KeyLock dst, boolean fromHead, boolean toHead,
                               int timeoutArg, long deadline) {
        Entry se = src.write();
        if (se != null && !se.isType(ValueType.LIST)) {
            if (ctx.isRetry()) {
                return null;
            }
            throw Errors.E_WRONGTYPE;
        }
        if (se == null) {
            if (!ctx.isRetry() && !(timeoutArg > 0 && ctx.blocking().block(ctx, new byte[][] {src.key()}, deadline))) {
                ctx.reply.nullBulk();
            }
            return null;
        }
        Entry de = dst.write(ValueType.LIST);
        Segment ss = src.segment();
        Segment sd = dst.segment();
        QuickList sq = list(se);
        long sb = ss.beforeMutation(se);
        byte[] v = sq.pop(fromHead);
        ss.afterMutation(se, sb);
        if (se == de) {
            // rotating a list onto itself
            sb = ss.beforeMutation(se);
            sq.push(v, toHead);
            ss.afterMutation(se, sb);
            notifyMove(ctx, src, dst, fromHead, toHead);
        } else {
            if (de == null) {
                de = create(ctx, sd, dst.key(), dst.hash());
            }
            long db2 = sd.beforeMutation(de);
            list(de).push(v, toHead);
            sd.afterMutation(de, db2);
            notifyMove(ctx, src, dst, fromHead, toHead);
            deleteIfEmpty(ctx, ss, se);
        }
        ctx.dirty(2);
        if (ctx.propagating()) {
            ctx.propagate(LMOVE, src.key(), dst.key(), fromHead ? Propagated.LEFT : Propagated.RIGHT,
                    toHead ? Propagated.LEFT : Propagated.RIGHT);
        }
        return v;
    }

    /** A move's keyspace events, in Redis' order: the push on the destination, then the pop. */
    private static void notifyMove(CommandContext ctx, KeyLock src, KeyLock dst, boolean fromHead, boolean toHead) {
        ctx.notify(toHead ? KeyEvent.LPUSH : KeyEvent.RPUSH, dst.key());
        ctx.notify(fromHead ? KeyEvent.LPOP : KeyEvent.RPOP, src.key());
    }

    /**
     * LMPOP (numkeys at argument 1) and BLMPOP (timeout at argument 1, numkeys at 2): pops up to
     * COUNT elements from the first non-empty list among the keys.
     */
    static void mpop(CommandContext ctx, int numkeysArg, int timeoutArg) {
        MultiPopArgs a = MultiPopArgs.parse(ctx, numkeysArg, "left", "right");
        // the timeout is checked after the other arguments, as Redis
        long deadline = timeoutArg > 0 ? Timeouts.deadline(ctx, timeoutArg) : 0;
        popFirstNonEmpty(ctx, a.keys, a.first, a.count, true, timeoutArg > 0, deadline);
    }

    /** BLPOP / BRPOP: keys, then a timeout in seconds. */
    static void bpop(CommandContext ctx, boolean head) {
        long deadline = Timeouts.deadline(ctx, ctx.argc - 1);
        byte[][] keys = new byte[ctx.argc - 2][];
        System.arraycopy(ctx.argv, 1, keys, 0, keys.length);
        popFirstNonEmpty(ctx, keys, head, 1, false, true, deadline);
    }

    /**
     * Pops from the first key holding a non-empty list. Replies [key, element] (BLPOP) or
     * [key, [elements]] (LMPOP); when every list is empty, blocks or replies null.
     */
    private static void popFirstNonEmpty(CommandContext ctx, byte[][] keys, boolean head, long count, boolean multi,
                                         boolean blocking, long deadline) {
        Database db = ctx.db();
        int[] hashes = new int[keys.length];
        LockSet locks = ctx.locks();
        for (int i = 0; i < keys.length; i++) {
            hashes[i] = Bytes.hash(keys[i]);
            locks.add(db, hashes[i]);
        }
        locks.lock();
        for (int i = 0; i < keys.length; i++) {
            Segment seg = db.segment(hashes[i]);
            Entry e = Lookup.write(ctx, seg, keys[i], hashes[i]);
            if (e == null) {
                continue;
            }
            if (!e.isType(ValueType.LIST)) {
                if (ctx.isRetry()) {
                    continue;
                }
                throw Errors.E_WRONGTYPE;
            }
            QuickList q = list(e);
            Reply r = ctx.reply;
            long before = seg.beforeMutation(e);
            r.array(2);
            r.bulk(keys[i]);
            long n = 1;
            if (multi) {
                n = Math.min(count, q.size());
                r.array((int) n);
                for (long k = 0; k < n; k++) {
                    r.bulk(q.pop(head));
                }
            } else {
                r.bulk(q.pop(head));
            }
            seg.afterMutation(e, before);
            ctx.dirty(n);
            ctx.notify(head ? KeyEvent.LPOP : KeyEvent.RPOP, keys[i]);
            deleteIfEmpty(ctx, seg, e);
            // logged as the pop that happened (blocking and multi-key forms alike), as Redis
            byte[] pop = head ? Propagated.LPOP : Propagated.RPOP;
            if (multi) {
                if (ctx.propagating()) {
                    ctx.propagate(pop, keys[i], Propagated.number(n));
                }
            } else {
                if (ctx.propagating()) {
                    ctx.propagate(pop, keys[i]);
                }
            }
            return;
        }
        if (ctx.isRetry()) {
            return;
        }
        if (!(blocking && ctx.blocking().block(ctx, keys, deadline))) {
            ctx.reply.nullArray();
        }
    }
}
