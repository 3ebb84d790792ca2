package io.cachalot.core.command.sets;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.set.SetValue;
import io.cachalot.core.util.Numbers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE, as Redis 7.0 computes them:
 * a missing key is an empty set, every key is type-checked first, intersections walk the smallest
 * set, and unions and differences build a result set (an intset while it can be) whose order the
 * reply follows.
 */
final class SetAlgebra {
    private static final CommandError NUMKEYS = new CommandError("ERR numkeys should be greater than 0");
    private static final CommandError TOO_MANY_KEYS =
            new CommandError("ERR Number of keys can't be greater than number of args");
    private static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

    private enum Op { UNION, DIFF }

    private SetAlgebra() {
    }

    static void register(CommandCatalog c) {
        c.register("sinter", ctx -> inter(ctx, 1, null));
        c.register("sinterstore", ctx -> inter(ctx, 2, ctx.argv[1]));
        c.register("sintercard", SetAlgebra::intercard);
        c.register("sunion", ctx -> unionDiff(ctx, 1, null, Op.UNION));
        c.register("sunionstore", ctx -> unionDiff(ctx, 2, ctx.argv[1], Op.UNION));
        c.register("sdiff", ctx -> unionDiff(ctx, 1, null, Op.DIFF));
        c.register("sdiffstore", ctx -> unionDiff(ctx, 2, ctx.argv[1], Op.DIFF));
    }

    /**
     * Locks the source keys (and the destination) and looks the sources up: null for a missing
     * key, WRONGTYPE for a key of another type. Entries are returned for same-key detection.
     */
    private static Entry[] sources(CommandContext ctx, int from, int to, byte[] dst) {
        int n = to - from;
        byte[][] keys = new byte[dst == null ? n : n + 1][];
        System.arraycopy(ctx.argv, from, keys, 0, n);
        if (dst != null) {
            keys[n] = dst;
        }
        int[] hashes = KeyLocks.lock(ctx, keys);
        Database db = ctx.db();
        Entry[] out = new Entry[n];
        for (int i = 0; i < n; i++) {
            Segment seg = db.segment(hashes[i]);
            // sources are read look-ups even when storing, as Redis 7.0 (hits, misses, "keymiss")
            Entry e = Lookup.read(ctx, seg, keys[i], hashes[i]);
            if (e != null && !e.isType(ValueType.SET)) {
                throw Errors.E_WRONGTYPE;
            }
            out[i] = e;
        }
        return out;
    }

    private static SetValue set(Entry e) {
        return (SetValue) e.value();
    }

    // ------------------------------------------------------------------ intersection

    static void inter(CommandContext ctx, int from, byte[] dst) {
        Entry[] entries = sources(ctx, from, ctx.argc, dst);
        SetValue[] sets = nonEmpty(entries);
        if (sets == null) {
            if (dst != null) {
                store(ctx, dst, null, KeyEvent.SINTERSTORE);
            } else {
                ctx.reply.set(0);
            }
            return;
        }
        if (dst != null) {
            SetValue result = SetValue.intset();
            long max = SetCommands.maxIntset(ctx);
            intersect(sets, 0, m -> result.add(m, max));
            store(ctx, dst, result, KeyEvent.SINTERSTORE);
            return;
        }
        List<byte[]> out = new ArrayList<>();
        intersect(sets, 0, out::add);
        Reply r = ctx.reply;
        r.set(out.size());
        for (byte[] m : out) {
            r.bulk(m);
        }
    }

    static void intercard(CommandContext ctx) {
        byte[] nk = ctx.argv[1];
        if (!Numbers.isLong(nk) || Numbers.parseLong(nk) < 1) {
            throw NUMKEYS;
        }
        long numkeys = Numbers.parseLong(nk);
        if (numkeys > ctx.argc - 2) {
            throw TOO_MANY_KEYS;
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < ctx.argc; j++) {
            boolean more = ctx.argc - 1 - j > 0;
            if (ctx.argIs(j, "limit") && more) {
                limit = ctx.nonNegativeArg(++j, LIMIT_NEGATIVE);
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        Entry[] entries = sources(ctx, 2, 2 + (int) numkeys, null);
        SetValue[] sets = nonEmpty(entries);
        long n = sets == null ? 0 : intersect(sets, limit, m -> { });
        ctx.reply.integer(n);
    }

    /** The sets, or null when one of the keys is missing (the intersection is then empty). */
    private static SetValue[] nonEmpty(Entry[] entries) {
        SetValue[] sets = new SetValue[entries.length];
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] == null) {
                return null;
            }
            sets[i] = set(entries[i]);
        }
        return sets;
    }

    /** Receives result members. */
    private interface MemberSink {
        void accept(byte[] member);
    }

    /** Walks the smallest set, keeping members found in all others; stops at {@code limit} (0: none). */
    private static long intersect(SetValue[] sets, long limit, MemberSink sink) {
        Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
        long n = 0;
        SetValue.Cursor c = sets[0].cursor();
        outer:
        while (c.next()) {
            byte[] m = null;
            for (int j = 1; j < sets.length; j++) {
                if (sets[j] == sets[0]) {
                    continue;
                }
                if (m == null) {
                    m = c.member();
                }
                if (!sets[j].contains(m)) {
                    continue outer;
                }
            }
            sink.accept(m == null ? c.member() : m);
            n++;
            if (limit > 0 && n >= limit) {
                break;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ union and difference

    static void unionDiff(CommandContext ctx, int from, byte[] dst, Op op) {
        Entry[] entries = sources(ctx, from, ctx.argc, dst);
        SetValue result = SetValue.intset();
        long max = SetCommands.maxIntset(ctx);
        if (op == Op.UNION) {
            for (Entry e : entries) {
                if (e != null) {
                    addAll(result, set(e), max);
                }
            }
        } else if (entries[0] != null && !sameAsFirst(entries)) {
            SetValue first = set(entries[0]);
            SetValue.Cursor c = first.cursor();
            outer:
            while (c.next()) {
                byte[] m = c.member();
                for (int j = 1; j < entries.length; j++) {
                    if (entries[j] != null && set(entries[j]).contains(m)) {
                        continue outer;
                    }
                }
                result.add(m, max);
            }
        }
        if (dst != null) {
            store(ctx, dst, result.isEmpty() ? null : result,
                    op == Op.UNION ? KeyEvent.SUNIONSTORE : KeyEvent.SDIFFSTORE);
        } else {
            SetCommands.replyAll(ctx.reply, result, true);
        }
    }

    /** SDIFF of a key with itself is empty. */
    private static boolean sameAsFirst(Entry[] entries) {
        for (int j = 1; j < entries.length; j++) {
            if (entries[j] == entries[0]) {
                return true;
            }
        }
        return false;
    }

    private static void addAll(SetValue to, SetValue from, long max) {
        SetValue.Cursor c = from.cursor();
        while (c.next()) {
            to.add(c.member(), max);
        }
    }

    /** Stores a non-empty result under {@code dst} (replacing any value, clearing its TTL), or deletes it. */
    private static void store(CommandContext ctx, byte[] dst, SetValue result, KeyEvent event) {
        boolean empty = result == null || result.isEmpty();
        Keys.replaceOrDelete(ctx, dst, empty ? null : result, ValueType.SET, empty ? null : result.encoding(), event);
        ctx.reply.integer(empty ? 0 : result.size());
    }
}
