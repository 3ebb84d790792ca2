package io.cachalot.core.command.hashes;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.Keys;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.propagate.Propagated;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.types.hash.HashValue;
import io.cachalot.core.util.Numbers;

/**
 * Per-field expiry, as Redis 7.4: HEXPIRE HPEXPIRE HEXPIREAT HPEXPIREAT set it (per field -2 no
 * such field, 0 condition not met, 1 set, 2 deleted because the time is not in the future),
 * HTTL HPTTL HEXPIRETIME HPEXPIRETIME read it (-2 no such field, -1 none), HPERSIST removes it
 * (-2, -1, 1). A missing key answers -2 for every field.
 *
 * <p>One deliberate difference from Redis 7.4: an expired field is gone for every command (it is
 * removed when its hash is looked up), where Redis still counts it in HLEN and lets HDEL, HSET and
 * HEXPIRE see it until it is reclaimed.
 */
final class HashFieldExpiry {
    /** The largest expiry time Redis accepts: 2^46-1 ms. */
    static final long MAX_TIME = (1L << 46) - 1;

    private static final CommandError NEGATIVE = new CommandError("ERR invalid expire time, must be >= 0");
    private static final CommandError NO_FIELDS =
            new CommandError("ERR Mandatory argument FIELDS is missing or not at the right position");
    private static final CommandError SET_NUMFIELDS =
            new CommandError("ERR Parameter `numFields` should be greater than 0");
    private static final CommandError GET_NUMFIELDS =
            new CommandError("ERR Number of fields must be a positive integer");
    private static final CommandError NUMFIELDS_MISMATCH =
            new CommandError("ERR The `numfields` parameter must match the number of arguments");

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 3;
    private static final int LT = 4;

    private enum Query { TTL, PTTL, EXPIRETIME, PEXPIRETIME }

    private HashFieldExpiry() {
    }

    static void register(CommandCatalog c) {
        c.register("hexpire", ctx -> expire(ctx, true, true));
        c.register("hpexpire", ctx -> expire(ctx, false, true));
        c.register("hexpireat", ctx -> expire(ctx, true, false));
        c.register("hpexpireat", ctx -> expire(ctx, false, false));
        c.register("httl", ctx -> query(ctx, Query.TTL));
        c.register("hpttl", ctx -> query(ctx, Query.PTTL));
        c.register("hexpiretime", ctx -> query(ctx, Query.EXPIRETIME));
        c.register("hpexpiretime", ctx -> query(ctx, Query.PEXPIRETIME));
        c.register("hpersist", HashFieldExpiry::persist);
    }

    private static void replyAllMissing(Reply r, int n) {
        r.array(n);
        for (int i = 0; i < n; i++) {
            r.integer(-2);
        }
    }

    /** Validates {@code FIELDS numfields field...} at {@code at}; returns numfields. */
    private static int fields(CommandContext ctx, int at, CommandError badCount) {
        if (!ctx.argIs(at, "fields")) {
            throw NO_FIELDS;
        }
        byte[] b = ctx.argv[at + 1];
        if (!Numbers.isLong(b)) {
            throw badCount;
        }
        long n = Numbers.parseLong(b);
        if (n < 1) {
            throw badCount;
        }
        if (n != ctx.argc - at - 2) {
            throw NUMFIELDS_MISMATCH;
        }
        return (int) n;
    }

    static void expire(CommandContext ctx, boolean seconds, boolean relative) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.write(ctx, k);
            long base = relative ? ctx.now : 0;
            long at = ctx.longArg(2);
            if (at < 0) {
                throw NEGATIVE;
            }
            String name = ctx.spec().fullName();
            if (seconds) {
                if (at > MAX_TIME / 1000) {
                    throw new CommandError(Errors.invalidExpire(name));
                }
                at *= 1000;
            }
            if (at > MAX_TIME - base) {
                throw new CommandError(Errors.invalidExpire(name));
            }
            at += base;
            int cond = condition(ctx);
            int fieldsAt = cond == 0 ? 3 : 4;
            int n = fields(ctx, fieldsAt, SET_NUMFIELDS);
            Reply r = ctx.reply;
            if (e == null) {
                replyAllMissing(r, n);
                return;
            }
            HashValue hv = Hashes.hash(e);
            long before = k.segment().beforeMutation(e);
            if (hv.isPacked()) {
                hv.markExpiryAware();
            }
            r.array(n);
            int changed = 0;
            int removedFields = 0;
            // logged as what happened: HDEL of the fields deleted, HPEXPIREAT (absolute) of the others
            boolean propagating = ctx.propagating();
            java.util.ArrayList<byte[]> deleted = null;
            java.util.ArrayList<byte[]> timed = null;
            for (int i = fieldsAt + 2; i < ctx.argc; i++) {
                byte[] field = ctx.argv[i];
                long prev = hv.ttl(field);
                int result;
                if (prev < 0) {
                    result = -2;
                } else if (!conditionMet(cond, prev, at)) {
                    result = 0;
                } else if (at <= ctx.now) {
                    hv.remove(field);
                    ctx.keyspace().stats().expiredFields.increment();
                    removedFields++;
                    result = 2;
                    changed++;
                    if (propagating) {
                        if (deleted == null) {
                            deleted = new java.util.ArrayList<>();
                        }
                        deleted.add(field);
                    }
                } else {
                    hv.setTtl(field, at);
                    result = 1;
                    changed++;
                    if (propagating) {
                        if (timed == null) {
                            timed = new java.util.ArrayList<>();
                        }
                        timed.add(field);
                    }
                }
                r.integer(result);
            }
            Hashes.changed(k.segment(), e, before);
            ctx.dirty(changed);
            if (deleted != null) {
                byte[][] a = new byte[2 + deleted.size()][];
                a[0] = Propagated.HDEL;
                a[1] = k.key();
                for (int i = 0; i < deleted.size(); i++) {
                    a[2 + i] = deleted.get(i);
                }
                ctx.propagate(a);
            }
            if (timed != null) {
                byte[][] a = new byte[5 + timed.size()][];
                a[0] = Propagated.HPEXPIREAT;
                a[1] = k.key();
                a[2] = Propagated.number(at);
                a[3] = Propagated.FIELDS;
                a[4] = Propagated.number(timed.size());
                for (int i = 0; i < timed.size(); i++) {
                    a[5 + i] = timed.get(i);
                }
                ctx.propagate(a);
            }
            if (changed > 0) {
                // Redis 7.4: "hdel" when a field went (a time in the past), else "hexpire"
                ctx.notify(removedFields > 0 ? KeyEvent.HDEL : KeyEvent.HEXPIRE, k.key());
            }
            if (hv.isEmpty()) {
                Keys.deleteEmptied(ctx, k.segment(), e);
            }
        }
    }

    /** NX XX GT LT at argument 3, or 0 (another word is left for the FIELDS check to reject). */
    private static int condition(CommandContext ctx) {
        if (ctx.argIs(3, "nx")) {
            return NX;
        }
        if (ctx.argIs(3, "xx")) {
            return XX;
        }
        if (ctx.argIs(3, "gt")) {
            return GT;
        }
        if (ctx.argIs(3, "lt")) {
            return LT;
        }
        return 0;
    }

    /** Redis' rules: no expiry counts as infinite, so LT sets one and GT and XX do not. */
    private static boolean conditionMet(int cond, long prev, long at) {
        boolean none = prev == HashValue.NO_TTL;
        switch (cond) {
            case NX:
                return none;
            case XX:
                return !none;
            case GT:
                return !none && at > prev;
            case LT:
                return none || at < prev;
            default:
                return true;
        }
    }

    static void query(CommandContext ctx, Query q) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.read(ctx, k);
            int n = fields(ctx, 2, GET_NUMFIELDS);
            Reply r = ctx.reply;
            if (e == null) {
                replyAllMissing(r, n);
                return;
            }
            HashValue hv = Hashes.hash(e);
            r.array(n);
            for (int i = 4; i < ctx.argc; i++) {
                long t = hv.ttl(ctx.argv[i]);
                if (t < 0) {
                    r.integer(-2);
                } else if (t == HashValue.NO_TTL) {
                    r.integer(-1);
                } else {
                    switch (q) {
                        case TTL:
                            r.integer((t + 999 - ctx.now) / 1000);
                            break;
                        case PTTL:
                            r.integer(t - ctx.now);
                            break;
                        case EXPIRETIME:
                            r.integer((t + 999) / 1000);
                            break;
                        default:
                            r.integer(t);
                            break;
                    }
                }
            }
        }
    }

    static void persist(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = Hashes.write(ctx, k);
            int n = fields(ctx, 2, GET_NUMFIELDS);
            Reply r = ctx.reply;
            if (e == null) {
                replyAllMissing(r, n);
                return;
            }
            HashValue hv = Hashes.hash(e);
            long before = k.segment().beforeMutation(e);
            r.array(n);
            boolean changed = false;
            for (int i = 4; i < ctx.argc; i++) {
                byte[] field = ctx.argv[i];
                long t = hv.ttl(field);
                if (t < 0) {
                    r.integer(-2);
                } else if (t == HashValue.NO_TTL) {
                    r.integer(-1);
                } else {
                    hv.setTtl(field, HashValue.NO_TTL);
                    changed = true;
                    r.integer(1);
                }
            }
            Hashes.changed(k.segment(), e, before);
            if (changed) {
                ctx.dirty(1);
                ctx.notify(KeyEvent.HPERSIST, k.key());
            }
        }
    }
}
