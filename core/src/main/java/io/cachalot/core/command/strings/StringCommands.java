package io.cachalot.core.command.strings;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.propagate.Propagated;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeySpec;
import io.cachalot.core.command.meta.MetaNode;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.LockSet;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.string.StringEncoding;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.LongDouble;
import io.cachalot.core.util.Numbers;

import java.util.Arrays;
import java.util.List;

/** The string commands: GET, SET and its variants, counters, ranges, MGET/MSET, LCS. */
public final class StringCommands implements CommandFamily {
    static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    /** The family, for the engine's ServiceLoader. */
    public StringCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("get", StringCommands::get);
        c.register("set", StringCommands::set);
        c.register("setnx", StringCommands::setnx);
        c.register("setex", ctx -> setex(ctx, false));
        c.register("psetex", ctx -> setex(ctx, true));
        c.register("getset", StringCommands::getset);
        c.register("getdel", StringCommands::getdel);
        c.register("getex", StringCommands::getex);
        c.register("mget", StringCommands::mget);
        c.register("mset", ctx -> mset(ctx, false));
        c.register("msetnx", ctx -> mset(ctx, true));
        c.register("append", StringCommands::append);
        c.register("strlen", StringCommands::strlen);
        c.register("incr", ctx -> incrBy(ctx, 1));
        c.register("decr", ctx -> incrBy(ctx, -1));
        c.register("incrby", ctx -> incrBy(ctx, ctx.longArg(2)));
        c.register("decrby", StringCommands::decrby);
        c.register("incrbyfloat", StringCommands::incrbyfloat);
        c.register("getrange", StringCommands::getrange);
        c.register("substr", StringCommands::getrange);
        c.register("setrange", StringCommands::setrange);
        c.register("lcs", Lcs::lcs);
        c.getKeysProc("set", StringCommands::setKeys);
    }

    /** SET's key is overwritten (OW) unless GET makes it read-write and accessed (Redis' setGetKeys). */
    static boolean setKeys(byte[][] argv, int argc, KeySpec.IntList positions, List<MetaNode> flags) {
        positions.add(1);
        for (int i = 3; i < argc; i++) {
            if (cstrEquals(argv[i], "get")) {
                flags.add(MetaNode.statusSet("RW", "access", "update"));
                return true;
            }
        }
        flags.add(MetaNode.statusSet("OW", "update"));
        return true;
    }

    // ------------------------------------------------------------------ GET family

    static void get(CommandContext ctx) {
        byte[] value;
        int off = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read();
            if (e == null) {
                value = null;
            } else if (!e.isType(ValueType.STRING)) {
                throw Errors.E_WRONGTYPE;
            } else {
                value = e.stringArray();
                off = e.stringOffset();
            }
        }
        // String values (packed with their key or not) are never changed in place, so the copy
        // happens outside the lock.
        if (value == null) {
            ctx.reply.nullBulk();
        } else {
            ctx.reply.bulk(value, off, value.length - off);
        }
    }

    /** Replies a string entry's value from where it is stored (packed with its key or not), without a copy. */
    private static void replyString(CommandContext ctx, Entry e) {
        byte[] a = e.stringArray();
        int off = e.stringOffset();
        ctx.reply.bulk(a, off, a.length - off);
    }

    /** GET as part of another command: replies the value (or null); WRONGTYPE throws. */
    private static void replyOldValue(CommandContext ctx, KeyLock k) {
        Entry e = k.read();
        if (e == null) {
            ctx.reply.nullBulk();
        } else if (!e.isType(ValueType.STRING)) {
            throw Errors.E_WRONGTYPE;
        } else {
            replyString(ctx, e);
        }
    }

    static void getdel(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.readOrNullBulk(ValueType.STRING);
            if (e == null) {
                return;
            }
            replyString(ctx, e);
            k.delete(e);
            if (ctx.propagating()) {
                ctx.propagate(Propagated.DEL, ctx.argv[1]);
            }
        }
    }

    static void getset(CommandContext ctx) {
        byte[] value = ctx.argv[2];
        try (KeyLock k = ctx.lockKey(1)) {
            replyOldValue(ctx, k);
            k.store(k.live(), value, ValueType.STRING, StringEncoding.of(value), false);
            ctx.notify(KeyEvent.SET, ctx.argv[1]);
        }
    }

    // ------------------------------------------------------------------ SET family

    static final int NX = 1;
    static final int XX = 1 << 1;
    static final int EX = 1 << 2;
    static final int PX = 1 << 3;
    static final int KEEPTTL = 1 << 4;
    static final int GET = 1 << 5;
    static final int EXAT = 1 << 6;
    static final int PXAT = 1 << 7;
    static final int PERSIST = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    /**
     * Parses SET's or GETEX's options from argument {@code from}, with Redis' exact rules for
     * which combinations are accepted (a repeated EX is fine, EX with PX is a syntax error).
     * Returns the flags in the low 16 bits and the index of the expire argument above them.
     */
    static long parseOptions(CommandContext ctx, int from, boolean isSet) {
        int flags = 0;
        int expireArg = 0;
        for (int j = from; j < ctx.argc; j++) {
            byte[] opt = ctx.argv[j];
            boolean hasNext = j < ctx.argc - 1;
            if (isSet && cstrEquals(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (isSet && cstrEquals(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (isSet && cstrEquals(opt, "get")) {
                flags |= GET;
            } else if (isSet && cstrEquals(opt, "keepttl") && (flags & (PERSIST | ANY_EXPIRE)) == 0) {
                flags |= KEEPTTL;
            } else if (!isSet && cstrEquals(opt, "persist") && (flags & (ANY_EXPIRE | KEEPTTL)) == 0) {
                flags |= PERSIST;
            } else if (cstrEquals(opt, "ex") && (flags & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) == 0 && hasNext) {
                flags |= EX;
                expireArg = ++j;
            } else if (cstrEquals(opt, "px") && (flags & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) == 0 && hasNext) {
                flags |= PX;
                expireArg = ++j;
            } else if (cstrEquals(opt, "exat") && (flags & (KEEPTTL | PERSIST | EX | PX | PXAT)) == 0 && hasNext) {
                flags |= EXAT;
                expireArg = ++j;
            } else if (cstrEquals(opt, "pxat") && (flags & (KEEPTTL | PERSIST | EX | EXAT | PX)) == 0 && hasNext) {
                flags |= PXAT;
                expireArg = ++j;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        return ((long) expireArg << 16) | flags;
    }

    /** Compares as C's strcasecmp on the argument read up to its first NUL, as Redis does here. */
    private static boolean cstrEquals(byte[] arg, String lower) {
        int n = lower.length();
        for (int i = 0; i < n; i++) {
            if (i >= arg.length || Bytes.toLower(arg[i]) != lower.charAt(i)) {
                return false;
            }
        }
        return arg.length == n || arg[n] == 0;
    }

    /**
     * The absolute expiry time (Unix ms) for a SET/GETEX-style expire argument, with Redis'
     * validation; relative units (EX, PX) are added to the command's time.
     */
    static long expireAt(CommandContext ctx, int flags, int argIndex) {
        long ms = ctx.longArg(argIndex);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
            throw new CommandError(Errors.invalidExpire(ctx.spec().fullName()));
        }
        if (seconds) {
            ms *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            ms += ctx.now;
        }
        if (ms <= 0) {
            throw new CommandError(Errors.invalidExpire(ctx.spec().fullName()));
        }
        return ms;
    }

    static void set(CommandContext ctx) {
        int flags = 0;
        long at = Entry.NO_EXPIRY;
        if (ctx.argc > 3) {
            long parsed = parseOptions(ctx, 3, true);
            flags = (int) (parsed & 0xFFFF);
            int expireArg = (int) (parsed >>> 16);
            if (expireArg != 0) {
                at = expireAt(ctx, flags, expireArg);
            }
        }
        setGeneric(ctx, flags, ctx.argv[1], ctx.argv[2], at, null);
    }

    /**
     * The common part of SET, SETNX, SETEX, PSETEX. {@code abortReply} replaces the null reply when
     * NX/XX prevent the write (SETNX answers 0); on success SETNX answers 1, others OK.
     */
    private static void setGeneric(CommandContext ctx, int flags, byte[] key, byte[] value, long at,
                                   long[] intReplies) {
        try (KeyLock k = ctx.lockKey(key)) {
            if ((flags & GET) != 0) {
                replyOldValue(ctx, k);
            }
            Entry e = k.write();
            boolean found = e != null;
            if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
                if ((flags & GET) == 0) {
                    if (intReplies != null) {
                        ctx.reply.integer(intReplies[1]);
                    } else {
                        ctx.reply.nullBulk();
                    }
                }
                return;
            }
            e = k.store(e, value, ValueType.STRING, StringEncoding.of(value), (flags & KEEPTTL) != 0);
            ctx.notify(KeyEvent.SET, key);
            if (at != Entry.NO_EXPIRY) {
                k.segment().setExpireAt(e, at);
                ctx.notify(KeyEvent.EXPIRE, key);
                // logged with its absolute time, as Redis: SET key value PXAT ms
                if (ctx.propagating()) {
                    ctx.propagate(Propagated.SET, key, value, Propagated.PXAT, Propagated.number(at));
                }
            } else if ((flags & GET) != 0) {
                if ((flags & KEEPTTL) != 0) {
                    if (ctx.propagating()) {
                        ctx.propagate(Propagated.SET, key, value, Propagated.KEEPTTL);
                    }
                } else {
                    if (ctx.propagating()) {
                        ctx.propagate(Propagated.SET, key, value);
                    }
                }
            }
            if ((flags & GET) == 0) {
                if (intReplies != null) {
                    ctx.reply.integer(intReplies[0]);
                } else {
                    ctx.reply.ok();
                }
            }
        }
    }

    private static final long[] ONE_ZERO = {1, 0};

    static void setnx(CommandContext ctx) {
        setGeneric(ctx, NX, ctx.argv[1], ctx.argv[2], Entry.NO_EXPIRY, ONE_ZERO);
    }

    static void setex(CommandContext ctx, boolean millis) {
        int flags = millis ? PX : EX;
        long at = expireAt(ctx, flags, 2);
        setGeneric(ctx, flags, ctx.argv[1], ctx.argv[3], at, null);
    }

    static void getex(CommandContext ctx) {
        int flags = 0;
        int expireArg = 0;
        if (ctx.argc > 2) {
            long parsed = parseOptions(ctx, 2, false);
            flags = (int) (parsed & 0xFFFF);
            expireArg = (int) (parsed >>> 16);
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.readOrNullBulk(ValueType.STRING);
            if (e == null) {
                return;
            }
            long at = expireArg != 0 ? expireAt(ctx, flags, expireArg) : Entry.NO_EXPIRY;
            replyString(ctx, e);
            if ((flags & (EXAT | PXAT)) != 0 && at <= ctx.now) {
                k.delete(e);
                if (ctx.propagating()) {
                    ctx.propagate(Propagated.DEL, ctx.argv[1]);
                }
            } else if (expireArg != 0) {
                k.segment().setExpireAt(e, at);
                ctx.dirty(1);
                ctx.notify(KeyEvent.EXPIRE, ctx.argv[1]);
                if (ctx.propagating()) {
                    ctx.propagate(Propagated.PEXPIREAT, ctx.argv[1], Propagated.number(at));
                }
            } else if ((flags & PERSIST) != 0 && e.hasExpiry()) {
                k.segment().setExpireAt(e, Entry.NO_EXPIRY);
                ctx.dirty(1);
                ctx.notify(KeyEvent.PERSIST, ctx.argv[1]);
                if (ctx.propagating()) {
                    ctx.propagate(Propagated.PERSIST, ctx.argv[1]);
                }
            }
        }
    }

    // ------------------------------------------------------------------ multi-key

    static void mget(CommandContext ctx) {
        int n = ctx.argc - 1;
        Database db = ctx.db();
        int[] hashes = new int[n];
        LockSet locks = ctx.locks();
        for (int i = 0; i < n; i++) {
            hashes[i] = Bytes.hash(ctx.argv[i + 1]);
            locks.add(db, hashes[i]);
        }
        // where each value is stored (packed with its key or not): stored arrays are never
        // changed in place, so they are replied after the locks are released, without a copy
        byte[][] values = new byte[n][];
        int[] offsets = new int[n];
        locks.lock();
        try {
            for (int i = 0; i < n; i++) {
                Entry e = Lookup.read(ctx, db.segment(hashes[i]), ctx.argv[i + 1], hashes[i]);
                if (e != null && e.isType(ValueType.STRING)) {
                    values[i] = e.stringArray();
                    offsets[i] = e.stringOffset();
                }
            }
        } finally {
            locks.unlock();
        }
        Reply r = ctx.reply;
        r.array(n);
        for (int i = 0; i < n; i++) {
            byte[] v = values[i];
            if (v == null) {
                r.nullBulk();
            } else {
                r.bulk(v, offsets[i], v.length - offsets[i]);
            }
        }
    }

    static void mset(CommandContext ctx, boolean nx) {
        if ((ctx.argc % 2) == 0) {
            throw new CommandError(Errors.wrongArgs(ctx.spec().fullName()));
        }
        Database db = ctx.db();
        int pairs = (ctx.argc - 1) / 2;
        int[] hashes = new int[pairs];
        LockSet locks = ctx.locks();
        for (int i = 0; i < pairs; i++) {
            hashes[i] = Bytes.hash(ctx.argv[1 + 2 * i]);
            locks.add(db, hashes[i]);
        }
        locks.lock();
        try {
            if (nx) {
                for (int i = 0; i < pairs; i++) {
                    if (Lookup.write(ctx, db.segment(hashes[i]), ctx.argv[1 + 2 * i], hashes[i]) != null) {
                        ctx.reply.integer(0);
                        return;
                    }
                }
            }
            for (int i = 0; i < pairs; i++) {
                byte[] key = ctx.argv[1 + 2 * i];
                byte[] value = ctx.argv[2 + 2 * i];
                Segment seg = db.segment(hashes[i]);
                Entry e = Lookup.write(ctx, seg, key, hashes[i]);
                Keys.store(ctx, seg, key, hashes[i], e, value, ValueType.STRING, StringEncoding.of(value), false);
                ctx.notify(KeyEvent.SET, key);
            }
        } finally {
            locks.unlock();
        }
        if (nx) {
            ctx.reply.integer(1);
        } else {
            ctx.reply.ok();
        }
    }

    // ------------------------------------------------------------------ modification

    static void checkStringLength(CommandContext ctx, long size, long append) {
        long total = size + append;
        if (total > ctx.settings().protoMaxBulkLen.value() || total < size || total < append) {
            throw new CommandError(STRING_TOO_LONG);
        }
    }

    static void append(CommandContext ctx) {
        byte[] add = ctx.argv[2];
        long len;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write();
            if (e == null) {
                k.store(null, add, ValueType.STRING, StringEncoding.of(add), false);
                len = add.length;
            } else {
                if (!e.isType(ValueType.STRING)) {
                    throw Errors.E_WRONGTYPE;
                }
                byte[] old = e.bytes();
                checkStringLength(ctx, old.length, add.length);
                // Values are immutable (snapshots share them): appending builds a new array.
                byte[] v = Arrays.copyOf(old, old.length + add.length);
                System.arraycopy(add, 0, v, old.length, add.length);
                k.segment().setValue(e, v, ValueType.STRING, Encoding.RAW);
                ctx.dirty(1);
                len = v.length;
            }
            ctx.notify(KeyEvent.APPEND, ctx.argv[1]);
        }
        ctx.reply.integer(len);
    }

    static void strlen(CommandContext ctx) {
        long len;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read();
            if (e == null) {
                len = 0;
            } else if (!e.isType(ValueType.STRING)) {
                throw Errors.E_WRONGTYPE;
            } else {
                len = InPlace.length(e); // without copying a string bit commands change in place
            }
        }
        ctx.reply.integer(len);
    }

    static void decrby(CommandContext ctx) {
        long by = ctx.longArg(2);
        if (by == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        incrBy(ctx, -by);
    }

    static void incrBy(CommandContext ctx, long by) {
        long value;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write();
            long old = 0;
            if (e != null) {
                if (!e.isType(ValueType.STRING)) {
                    throw Errors.E_WRONGTYPE;
                }
                byte[] b = e.stringArray(); // read in place, packed or not
                int off = e.stringOffset();
                if (!Numbers.isLong(b, off, b.length - off)) {
                    throw Errors.E_NOT_INTEGER;
                }
                old = Numbers.parseLong(b, off, b.length - off);
            }
            if ((by < 0 && old < 0 && by < Long.MIN_VALUE - old) || (by > 0 && old > 0 && by > Long.MAX_VALUE - old)) {
                throw Errors.E_OVERFLOW;
            }
            value = old + by;
            byte[] v = Numbers.toBytes(value);
            if (e == null) {
                k.store(null, v, ValueType.STRING, Encoding.INT, false);
            } else {
                k.segment().setValue(e, v, ValueType.STRING, Encoding.INT);
                Keys.markShared(ctx, e);
                ctx.dirty(1);
            }
            ctx.notify(KeyEvent.INCRBY, ctx.argv[1]);
        }
        ctx.reply.integer(value);
    }

    static void incrbyfloat(CommandContext ctx) {
        byte[] result;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write();
            LongDouble value;
            if (e == null) {
                value = LongDouble.ZERO;
            } else {
                if (!e.isType(ValueType.STRING)) {
                    throw Errors.E_WRONGTYPE;
                }
                value = parseLongDouble(e);
            }
            LongDouble incr = LongDouble.parse(ctx.argv[2]);
            if (incr == null) {
                throw Errors.E_NOT_FLOAT;
            }
            LongDouble sum = value.add(incr);
            if (sum.isInfinite()) {
                throw new CommandError("ERR increment would produce NaN or Infinity");
            }
            result = sum.toHumanBytes();
            if (e == null) {
                k.store(null, result, ValueType.STRING, StringEncoding.byLength(result), false);
            } else {
                k.segment().setValue(e, result, ValueType.STRING, StringEncoding.byLength(result));
                ctx.dirty(1);
            }
            ctx.notify(KeyEvent.INCRBYFLOAT, ctx.argv[1]);
            // the sum as text, so that a replay does not depend on float arithmetic
            if (ctx.propagating()) {
                ctx.propagate(Propagated.SET, ctx.argv[1], result, Propagated.KEEPTTL);
            }
        }
        ctx.reply.bulk(result);
    }

    private static LongDouble parseLongDouble(Entry e) {
        byte[] b = e.bytes();
        if (e.encoding() == Encoding.INT) {
            return LongDouble.of(Numbers.parseLong(b));
        }
        LongDouble v = LongDouble.parse(b);
        if (v == null) {
            throw Errors.E_NOT_FLOAT;
        }
        return v;
    }

    static void getrange(CommandContext ctx) {
        long start = ctx.longArg(2);
        long end = ctx.longArg(3);
        byte[] s;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read();
            if (e == null) {
                s = Bytes.EMPTY;
            } else if (!e.isType(ValueType.STRING)) {
                throw Errors.E_WRONGTYPE;
            } else {
                s = e.bytes();
            }
        }
        long len = s.length;
        if (start < 0 && end < 0 && start > end) {
            ctx.reply.bulk(Bytes.EMPTY);
            return;
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            ctx.reply.bulk(Bytes.EMPTY);
        } else {
            ctx.reply.bulk(s, (int) start, (int) (end - start + 1));
        }
    }

    static void setrange(CommandContext ctx) {
        long offset = ctx.longArg(2);
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        byte[] value = ctx.argv[3];
        long len;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write();
            if (e == null) {
                if (value.length == 0) {
                    ctx.reply.integer(0);
                    return;
                }
                checkStringLength(ctx, offset, value.length);
                byte[] v = newString(offset + value.length);
                System.arraycopy(value, 0, v, (int) offset, value.length);
                k.store(null, v, ValueType.STRING, Encoding.RAW, false);
                len = v.length;
            } else {
                if (!e.isType(ValueType.STRING)) {
                    throw Errors.E_WRONGTYPE;
                }
                byte[] old = e.bytes();
                if (value.length == 0) {
                    ctx.reply.integer(old.length);
                    return;
                }
                checkStringLength(ctx, offset, value.length);
                byte[] v = newString(Math.max(old.length, offset + value.length));
                System.arraycopy(old, 0, v, 0, old.length);
                System.arraycopy(value, 0, v, (int) offset, value.length);
                k.segment().setValue(e, v, ValueType.STRING, Encoding.RAW);
                ctx.dirty(1);
                len = v.length;
            }
            ctx.notify(KeyEvent.SETRANGE, ctx.argv[1]);
        }
        ctx.reply.integer(len);
    }

    /** A zero-filled string of {@code len} bytes, refused with Redis' OOM-style error beyond Java arrays. */
    private static byte[] newString(long len) {
        if (len > Integer.MAX_VALUE - 8) {
            throw new CommandError(STRING_TOO_LONG);
        }
        try {
            return new byte[(int) len];
        } catch (OutOfMemoryError oom) {
            throw new CommandError(Errors.OOM);
        }
    }
}
