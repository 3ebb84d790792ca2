package io.cachalot.core.command.sets;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.propagate.Propagated;
import io.cachalot.core.command.KeyPair;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.RandomCount;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.ScanArgs;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.set.SetValue;

import java.util.concurrent.ThreadLocalRandom;

/** The set commands except the multi-set algebra, which lives in {@link SetAlgebra}. */
public final class SetCommands implements CommandFamily {
    private static final String POSITIVE = "ERR value is out of range, must be positive";

    /** The family, for the engine's ServiceLoader. */
    public SetCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("sadd", SetCommands::sadd);
        c.register("srem", SetCommands::srem);
        c.register("smembers", SetCommands::smembers);
        c.register("sismember", SetCommands::sismember);
        c.register("smismember", SetCommands::smismember);
        c.register("scard", ctx -> Keys.replyLength(ctx, ValueType.SET));
        c.register("spop", SetCommands::spop);
        c.register("srandmember", SetCommands::srandmember);
        c.register("smove", SetCommands::smove);
        c.register("sscan", SetCommands::sscan);
        SetAlgebra.register(c);
    }

    static SetValue set(Entry e) {
        return (SetValue) e.value();
    }

    static long maxIntset(CommandContext ctx) {
        return ctx.settings().setMaxIntsetEntries.value();
    }

    /**
     * After changing a set in place: memory, the keyspace event {@code event} (null: nothing
     * changed), encoding, and deletion when it is empty.
     */
    static void changed(CommandContext ctx, Segment seg, Entry e, long before, KeyEvent event) {
        seg.afterMutation(e, before);
        if (event != null) {
            ctx.notify(event, e.key());
        }
        SetValue s = set(e);
        if (s.isEmpty()) {
            Keys.deleteEmptied(ctx, seg, e);
        } else if (e.encoding() != s.encoding()) {
            seg.setEncoding(e, s.encoding());
        }
    }

    // ------------------------------------------------------------------ single-set commands

    static void sadd(CommandContext ctx) {
        byte[] key = ctx.argv[1];
        int added = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.SET);
            if (e == null) {
                SetValue s = SetValue.forFirstMember(ctx.argv[2]);
                e = k.segment().insert(key, k.hash(), s, ValueType.SET, s.encoding());
            }
            SetValue s = set(e);
            long before = k.segment().beforeMutation(e);
            long max = maxIntset(ctx);
            for (int i = 2; i < ctx.argc; i++) {
                if (s.add(ctx.argv[i], max)) {
                    added++;
                }
            }
            changed(ctx, k.segment(), e, before, added > 0 ? KeyEvent.SADD : null);
            ctx.dirty(added);
        }
        ctx.reply.integer(added);
    }

    static void srem(CommandContext ctx) {
        int removed = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.SET);
            if (e != null) {
                SetValue s = set(e);
                long before = k.segment().beforeMutation(e);
                for (int i = 2; i < ctx.argc && !s.isEmpty(); i++) {
                    if (s.remove(ctx.argv[i])) {
                        removed++;
                    }
                }
                changed(ctx, k.segment(), e, before, removed > 0 ? KeyEvent.SREM : null);
                ctx.dirty(removed);
            }
        }
        ctx.reply.integer(removed);
    }

    static void smembers(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.SET);
            if (e == null) {
                ctx.reply.set(0);
                return;
            }
            replyAll(ctx.reply, set(e), true);
        }
    }

    /** Every member, as a RESP3 set or an array. */
    static void replyAll(Reply r, SetValue s, boolean asSet) {
        if (asSet) {
            r.set(s.size());
        } else {
            r.array(s.size());
        }
        SetValue.Cursor c = s.cursor();
        while (c.next()) {
            r.bulk(c.array(), 0, c.length());
        }
    }

    static void sismember(CommandContext ctx) {
        boolean found;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.SET);
            found = e != null && set(e).contains(ctx.argv[2]);
        }
        ctx.reply.integer(found ? 1 : 0);
    }

    static void smismember(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.SET);
            Reply r = ctx.reply;
            r.array(ctx.argc - 2);
            for (int i = 2; i < ctx.argc; i++) {
                r.integer(e != null && set(e).contains(ctx.argv[i]) ? 1 : 0);
            }
        }
    }

    // ------------------------------------------------------------------ random members

    /** Members per SREM that SPOP with a count is logged as (Redis' SPOP_MOVE_STRATEGY_MUL batch). */
    private static final int SREM_BATCH = 1024;

    static void spop(CommandContext ctx) {
        if (ctx.argc > 3) {
            throw Errors.E_SYNTAX;
        }
        boolean withCount = ctx.argc == 3;
        long count = 1;
        if (withCount) {
            count = ctx.nonNegativeArg(2, POSITIVE);
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.SET);
            Reply r = ctx.reply;
            if (e == null) {
                if (withCount) {
                    r.set(0);
                } else {
                    r.nullBulk();
                }
                return;
            }
            if (count == 0) {
                r.set(0);
                return;
            }
            SetValue s = set(e);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            if (!withCount) {
                long before = k.segment().beforeMutation(e);
                int p = s.randomPosition(rnd);
                byte[] m = s.memberAt(p);
                r.bulk(m);
                s.removeAt(p);
                changed(ctx, k.segment(), e, before, KeyEvent.SPOP);
                ctx.dirty(1);
                // the random choice is logged as what it removed, as Redis
                if (ctx.propagating()) {
                    ctx.propagate(Propagated.SREM, k.key(), m);
                }
                return;
            }
            if (count >= s.size()) {
                ctx.notify(KeyEvent.SPOP, k.key());
                replyAll(r, s, true);
                ctx.dirty(s.size());
                k.delete(e);
                if (ctx.propagating()) {
                    ctx.propagate(Propagated.DEL, k.key());
                }
                return;
            }
            int n = (int) count;
            long before = k.segment().beforeMutation(e);
            r.set(n);
            boolean propagating = ctx.propagating();
            byte[][] srem = null;
            int inSrem = 0;
            for (int i = 0; i < n; i++) {
                int p = s.randomPosition(rnd);
                byte[] m = s.memberAt(p);
                r.bulk(m);
                s.removeAt(p);
                if (!propagating) {
                    continue;
                }
                if (srem == null) {
                    srem = new byte[2 + Math.min(n - i, SREM_BATCH)][];
                    srem[0] = Propagated.SREM;
                    srem[1] = k.key();
                    inSrem = 2;
                }
                srem[inSrem++] = m;
                if (inSrem == srem.length) {
                    ctx.propagate(srem);
                    srem = null;
                }
            }
            changed(ctx, k.segment(), e, before, KeyEvent.SPOP);
            ctx.dirty(n);
        }
    }

    static void srandmember(CommandContext ctx) {
        if (ctx.argc > 3) {
            throw Errors.E_SYNTAX;
        }
        boolean withCount = ctx.argc == 3;
        long l = withCount ? RandomCount.parseCount(ctx) : 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.SET);
            Reply r = ctx.reply;
            if (e == null) {
                if (withCount) {
                    r.array(0);
                } else {
                    r.nullBulk();
                }
                return;
            }
            SetValue s = set(e);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            if (!withCount) {
                r.bulk(s.memberAt(s.randomPosition(rnd)));
                return;
            }
            if (l == 0) {
                r.array(0);
                return;
            }
            SetValue.Cursor c = s.cursor();
            int size = s.size();
            if (l < 0) {
                int n = (int) -l;
                int[] positions = s.positions();
                r.array(n);
                for (int i = 0; i < n; i++) {
                    c.load(positions[rnd.nextInt(size)]);
                    r.bulk(c.array(), 0, c.length());
                }
                return;
            }
            if (l >= size) {
                replyAll(r, s, false);
                return;
            }
            int n = (int) l;
            int[] positions = s.positions();
            RandomCount.pickDistinct(positions, n, rnd);
            r.array(n);
            for (int i = 0; i < n; i++) {
                c.load(positions[i]);
                r.bulk(c.array(), 0, c.length());
            }
        }
    }

    // ------------------------------------------------------------------ SMOVE

    static void smove(CommandContext ctx) {
        try (KeyPair p = ctx.lockKeys(1, 2)) {
            smove(ctx, p.first(), p.second(), ctx.argv[3]);
        }
    }

    private static void smove(CommandContext ctx, KeyLock src, KeyLock dst, byte[] member) {
        Segment ss = src.segment();
        Segment sd = dst.segment();
        Entry se = src.write();
        Entry de = dst.write();
        Reply r = ctx.reply;
        if (se == null) {
            r.integer(0);
            return;
        }
        if (!se.isType(ValueType.SET) || (de != null && !de.isType(ValueType.SET))) {
            throw Errors.E_WRONGTYPE;
        }
        if (se == de) {
            r.integer(set(se).contains(member) ? 1 : 0);
            return;
        }
        long before = ss.beforeMutation(se);
        boolean removed = set(se).remove(member);
        if (!removed) {
            ss.afterMutation(se, before);
            r.integer(0);
            return;
        }
        changed(ctx, ss, se, before, KeyEvent.SREM);
        ctx.dirty(1);
        if (de == null) {
            SetValue s = SetValue.forFirstMember(member);
            de = sd.insert(dst.key(), dst.hash(), s, ValueType.SET, s.encoding());
        }
        long db4 = sd.beforeMutation(de);
        boolean added = set(de).add(member, maxIntset(ctx));
        if (added) {
            ctx.dirty(1);
        }
        changed(ctx, sd, de, db4, added ? KeyEvent.SADD : null);
        r.integer(1);
    }

    // ------------------------------------------------------------------ SSCAN

    static void sscan(CommandContext ctx) {
        long cursor = ScanArgs.cursor(ctx.argv[2]);
        ScanArgs args;
        long next;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.SET);
            args = ScanArgs.collection(ctx, e, false);
            if (args == null) {
                return;
            }
            SetValue s = set(e);
            SetValue.Cursor c = s.cursor();
            if (s.isIntset()) {
                while (c.next()) {
                    collect(args, c);
                }
                next = 0;
            } else {
                ScanArgs a = args;
                next = args.walk(cursor, cur -> s.scan(cur, slot -> {
                    a.gathered++;
                    c.load(slot);
                    collect(a, c);
                }));
            }
        }
        args.reply(ctx.reply, next);
    }

    private static void collect(ScanArgs args, SetValue.Cursor c) {
        if (args.matches(c.array(), 0, c.length())) {
            args.out.add(c.member());
        }
    }
}
