package io.cachalot.core.command.hashes;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.Keys;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.propagate.Propagated;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.ScanArgs;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.types.hash.HashValue;
import io.cachalot.core.util.LongDouble;
import io.cachalot.core.util.Numbers;


/** The hash commands; field expiry lives in {@link HashFieldExpiry}, HRANDFIELD in {@link HashRandomField}. */
public final class HashCommands implements CommandFamily {
    private static final CommandError NOT_INTEGER = new CommandError("ERR hash value is not an integer");
    private static final CommandError NOT_FLOAT = new CommandError("ERR hash value is not a float");
    private static final CommandError NAN_INCREMENT = new CommandError("ERR value is NaN or Infinity");
    private static final CommandError NAN_RESULT = new CommandError("ERR increment would produce NaN or Infinity");

    /** The family, for the engine's ServiceLoader. */
    public HashCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("hset", ctx -> hset(ctx, false));
        c.register("hmset", ctx -> hset(ctx, true));
        c.register("hsetnx", HashCommands::hsetnx);
        c.register("hget", HashCommands::hget);
        c.register("hmget", HashCommands::hmget);
        c.register("hgetall", ctx -> getAll(ctx, true, true));
        c.register("hkeys", ctx -> getAll(ctx, true, false));
        c.register("hvals", ctx -> getAll(ctx, false, true));
        c.register("hdel", HashCommands::hdel);
        c.register("hexists", HashCommands::hexists);
        c.register("hlen", HashCommands::hlen);
        c.register("hstrlen", HashCommands::hstrlen);
        c.register("hincrby", HashCommands::hincrby);
        c.register("hincrbyfloat", HashCommands::hincrbyfloat);
        c.register("hrandfield", HashRandomField::hrandfield);
        c.register("hscan", HashCommands::hscan);
        HashFieldExpiry.register(c);
    }

    // ------------------------------------------------------------------ writes

    static void hset(CommandContext ctx, boolean hmset) {
        if ((ctx.argc & 1) != 0) {
            throw new CommandError(Errors.wrongArgs(ctx.spec().fullName()));
        }
        byte[] key = ctx.argv[1];
        int created = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.write(ctx, k);
            if (e == null) {
                e = Hashes.create(k.segment(), key, k.hash());
            }
            HashValue hv = Hashes.hash(e);
            long before = k.segment().beforeMutation(e);
            for (int i = 2; i < ctx.argc; i += 2) {
                if (Hashes.put(ctx, hv, ctx.argv[i], ctx.argv[i + 1], false)) {
                    created++;
                }
            }
            Hashes.changed(k.segment(), e, before);
            ctx.dirty((ctx.argc - 2) / 2);
            // replied before the event, as Redis
            if (hmset) {
                ctx.reply.ok();
            } else {
                ctx.reply.integer(created);
            }
            ctx.notify(KeyEvent.HSET, key);
        }
    }

    static void hsetnx(CommandContext ctx) {
        byte[] key = ctx.argv[1];
        boolean set = false;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.write(ctx, k);
            if (e == null || !Hashes.hash(e).contains(ctx.argv[2])) {
                if (e == null) {
                    e = Hashes.create(k.segment(), key, k.hash());
                }
                HashValue hv = Hashes.hash(e);
                long before = k.segment().beforeMutation(e);
                Hashes.put(ctx, hv, ctx.argv[2], ctx.argv[3], false);
                Hashes.changed(k.segment(), e, before);
                ctx.dirty(1);
                ctx.notify(KeyEvent.HSET, key);
                set = true;
            }
        }
        ctx.reply.integer(set ? 1 : 0);
    }

    static void hdel(CommandContext ctx) {
        int deleted = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.write(ctx, k);
            if (e != null) {
                HashValue hv = Hashes.hash(e);
                long before = k.segment().beforeMutation(e);
                for (int i = 2; i < ctx.argc && !hv.isEmpty(); i++) {
                    if (hv.remove(ctx.argv[i])) {
                        deleted++;
                    }
                }
                Hashes.changed(k.segment(), e, before);
                ctx.dirty(deleted);
                if (deleted > 0) {
                    ctx.notify(KeyEvent.HDEL, k.key());
                }
                if (hv.isEmpty()) {
                    Keys.deleteEmptied(ctx, k.segment(), e);
                }
            }
        }
        ctx.reply.integer(deleted);
    }

    static void hincrby(CommandContext ctx) {
        long incr = ctx.longArg(3);
        byte[] key = ctx.argv[1];
        long result;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.write(ctx, k);
            long value = 0;
            if (e != null) {
                byte[] old = Hashes.hash(e).get(ctx.argv[2]);
                if (old != null) {
                    if (!Numbers.isLong(old)) {
                        throw NOT_INTEGER;
                    }
                    value = Numbers.parseLong(old);
                }
            }
            if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                    || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
                throw Errors.E_OVERFLOW;
            }
            result = value + incr;
            store(ctx, k.segment(), e, key, k.hash(), Numbers.toBytes(result));
            ctx.notify(KeyEvent.HINCRBY, key);
        }
        ctx.reply.integer(result);
    }

    static void hincrbyfloat(CommandContext ctx) {
        LongDouble incr = LongDouble.parse(ctx.argv[3]);
        if (incr == null) {
            throw Errors.E_NOT_FLOAT;
        }
        if (incr.isInfinite()) {
            throw NAN_INCREMENT;
        }
        byte[] key = ctx.argv[1];
        byte[] result;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.write(ctx, k);
            LongDouble value = LongDouble.ZERO;
            if (e != null) {
                byte[] old = Hashes.hash(e).get(ctx.argv[2]);
                if (old != null) {
                    value = LongDouble.parse(old);
                    if (value == null) {
                        throw NOT_FLOAT;
                    }
                }
            }
            LongDouble sum = value.add(incr);
            if (sum.isInfinite()) {
                throw NAN_RESULT;
            }
            result = sum.toHumanBytes();
            store(ctx, k.segment(), e, key, k.hash(), result);
            ctx.notify(KeyEvent.HINCRBYFLOAT, key);
            // the sum as text, so that a replay does not depend on float arithmetic; HSET clears
            // a field's time to live, which the increment kept
            if (ctx.propagating()) {
                ctx.propagate(Propagated.HSET, key, ctx.argv[2], result);
                long ttl = Hashes.hash(k.live()).ttl(ctx.argv[2]);
                if (ttl > 0) {
                    ctx.propagate(Propagated.HPEXPIREAT, key, Propagated.number(ttl), Propagated.FIELDS,
                            Propagated.number(1), ctx.argv[2]);
                }
            }
        }
        ctx.reply.bulk(result);
    }

    /** Stores an increment's result: the field keeps its expiry time and place, as Redis 7.4. */
    private static void store(CommandContext ctx, Segment seg, Entry e, byte[] key, int h, byte[] value) {
        if (e == null) {
            e = Hashes.create(seg, key, h);
        }
        HashValue hv = Hashes.hash(e);
        long before = seg.beforeMutation(e);
        Hashes.put(ctx, hv, ctx.argv[2], value, true);
        Hashes.changed(seg, e, before);
        ctx.dirty(1);
    }

    // ------------------------------------------------------------------ reads

    static void hget(CommandContext ctx) {
        byte[] v;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            v = e == null ? null : Hashes.hash(e).get(ctx.argv[2]);
        }
        if (v == null) {
            ctx.reply.nullBulk();
        } else {
            ctx.reply.bulk(v);
        }
    }

    static void hmget(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            Reply r = ctx.reply;
            r.array(ctx.argc - 2);
            HashValue hv = e == null ? null : Hashes.hash(e);
            for (int i = 2; i < ctx.argc; i++) {
                byte[] v = hv == null ? null : hv.get(ctx.argv[i]);
                if (v == null) {
                    r.nullBulk();
                } else {
                    r.bulk(v);
                }
            }
        }
    }

    static void getAll(CommandContext ctx, boolean fields, boolean values) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            Reply r = ctx.reply;
            boolean map = fields && values;
            if (e == null) {
                if (map) {
                    r.map(0);
                } else {
                    r.array(0);
                }
                return;
            }
            HashValue hv = Hashes.hash(e);
            if (map) {
                r.map(hv.size());
            } else {
                r.array(hv.size());
            }
            HashValue.Cursor c = hv.cursor();
            while (c.next()) {
                if (fields) {
                    r.bulk(c.fieldArray(), c.fieldOffset(), c.fieldLength());
                }
                if (values) {
                    r.bulk(c.valueArray(), c.valueOffset(), c.valueLength());
                }
            }
        }
    }

    static void hexists(CommandContext ctx) {
        boolean found;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            found = e != null && Hashes.hash(e).contains(ctx.argv[2]);
        }
        ctx.reply.integer(found ? 1 : 0);
    }

    static void hlen(CommandContext ctx) {
        int n;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            n = e == null ? 0 : Hashes.hash(e).size();
        }
        ctx.reply.integer(n);
    }

    static void hstrlen(CommandContext ctx) {
        int n;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            n = e == null ? 0 : Math.max(0, Hashes.hash(e).valueLength(ctx.argv[2]));
        }
        ctx.reply.integer(n);
    }

    // ------------------------------------------------------------------ HSCAN

    static void hscan(CommandContext ctx) {
        long cursor = ScanArgs.cursor(ctx.argv[2]);
        ScanArgs args;
        long next;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            args = ScanArgs.collection(ctx, e, true);
            if (args == null) {
                return;
            }
            HashValue hv = Hashes.hash(e);
            HashValue.Cursor c = hv.cursor();
            if (hv.isPacked()) {
                while (c.next()) {
                    collect(args, c);
                }
                next = 0;
            } else {
                ScanArgs a = args;
                int perField = args.noValues ? 1 : 2;
                next = args.walk(cursor, cur -> hv.scan(cur, slot -> {
                    a.gathered += perField;
                    hv.loadSlot(c, slot);
                    collect(a, c);
                }));
            }
        }
        args.reply(ctx.reply, next);
    }

    private static void collect(ScanArgs args, HashValue.Cursor c) {
        if (!args.matches(c.fieldArray(), c.fieldOffset(), c.fieldLength())) {
            return;
        }
        args.out.add(c.field());
        if (!args.noValues) {
            args.out.add(c.value());
        }
    }
}
