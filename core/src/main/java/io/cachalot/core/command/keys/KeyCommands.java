package io.cachalot.core.command.keys;

import io.cachalot.core.command.KeyPair;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.propagate.Propagated;
import io.cachalot.core.command.CommandFlags;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Help;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.LockSet;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.types.string.StringEncoding;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Glob;
import io.cachalot.core.util.Numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Commands on keys of any type: deletion, existence, expiry, iteration, renaming, copying. */
public final class KeyCommands implements CommandFamily {
    /** The family, for the engine's ServiceLoader. */
    public KeyCommands() {
    }

    /** Key commands that touch only the keys they name, though their categories say @keyspace. */
    private static final String[] NAMED_KEYS_ONLY = {"del", "unlink", "exists", "type", "expire", "pexpire",
        "expireat", "pexpireat", "ttl", "pttl", "expiretime", "pexpiretime", "persist", "rename", "renamenx",
        "touch", "copy", "object|encoding", "object|refcount", "object|idletime", "object|freq"};

    @Override
    public void register(CommandCatalog c) {
        for (String name : NAMED_KEYS_ONLY) {
            c.addFlags(name, CommandFlags.NAMED_KEYS_ONLY);
        }
        c.addFlags("copy", CommandFlags.DB_OPTION);
        c.addFlags("move", CommandFlags.OTHER_KEYS);
        c.register("del", KeyCommands::del);
        c.register("unlink", KeyCommands::del);
        c.register("exists", KeyCommands::exists);
        c.register("type", KeyCommands::type);
        c.register("touch", KeyCommands::touch);
        c.register("expire", ctx -> expire(ctx, ctx.now, true));
        c.register("pexpire", ctx -> expire(ctx, ctx.now, false));
        c.register("expireat", ctx -> expire(ctx, 0, true));
        c.register("pexpireat", ctx -> expire(ctx, 0, false));
        c.register("ttl", ctx -> ttl(ctx, false, false));
        c.register("pttl", ctx -> ttl(ctx, true, false));
        c.register("expiretime", ctx -> ttl(ctx, false, true));
        c.register("pexpiretime", ctx -> ttl(ctx, true, true));
        c.register("persist", KeyCommands::persist);
        c.register("keys", KeyCommands::keys);
        c.register("scan", Scan::scan);
        c.register("randomkey", KeyCommands::randomkey);
        c.register("rename", ctx -> rename(ctx, false));
        c.register("renamenx", ctx -> rename(ctx, true));
        c.register("move", KeyCommands::move);
        c.register("copy", KeyCommands::copy);
        c.register("dump", DumpRestore::dump);
        c.register("restore", DumpRestore::restore);
        c.register("migrate", Migrate::migrate);
        c.getKeysProc("migrate", Migrate::keys);
        c.register("dbsize", ctx -> ctx.reply.integer(ctx.db().size()));
        c.register("flushdb", KeyCommands::flushdb);
        c.register("flushall", KeyCommands::flushall);
        c.register("swapdb", KeyCommands::swapdb);
        c.register("object|encoding", KeyCommands::objectEncoding);
        c.register("object|refcount", KeyCommands::objectRefcount);
        c.register("object|idletime", KeyCommands::objectIdletime);
        c.register("object|freq", KeyCommands::objectFreq);
        c.register("object|help", ctx -> Help.reply(ctx, "object",
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>."));
    }

    /** Locks the segments of arguments {@code from..argc-1} (keys of the current database). */
    private static int[] lockKeys(CommandContext ctx, int from) {
        Database db = ctx.db();
        int[] hashes = new int[ctx.argc - from];
        LockSet locks = ctx.locks();
        for (int i = from; i < ctx.argc; i++) {
            hashes[i - from] = Bytes.hash(ctx.argv[i]);
            locks.add(db, hashes[i - from]);
        }
        locks.lock();
        return hashes;
    }

    static void del(CommandContext ctx) {
        Database db = ctx.db();
        int[] hashes = lockKeys(ctx, 1);
        long deleted = 0;
        for (int i = 1; i < ctx.argc; i++) {
            Segment seg = db.segment(hashes[i - 1]);
            Entry e = seg.findLive(ctx.argv[i], hashes[i - 1], ctx.now);
            if (e != null) {
                Keys.delete(ctx, seg, e);
                deleted++;
            }
        }
        ctx.locks().unlock();
        ctx.reply.integer(deleted);
    }

    static void exists(CommandContext ctx) {
        Database db = ctx.db();
        int[] hashes = lockKeys(ctx, 1);
        long count = 0;
        for (int i = 1; i < ctx.argc; i++) {
            if (Lookup.readNoTouch(ctx, db.segment(hashes[i - 1]), ctx.argv[i], hashes[i - 1]) != null) {
                count++;
            }
        }
        ctx.locks().unlock();
        ctx.reply.integer(count);
    }

    static void touch(CommandContext ctx) {
        Database db = ctx.db();
        int[] hashes = lockKeys(ctx, 1);
        long count = 0;
        for (int i = 1; i < ctx.argc; i++) {
            Segment seg = db.segment(hashes[i - 1]);
            // TOUCH updates the access time even for a CLIENT NO-TOUCH client.
            Entry e = seg.findLive(ctx.argv[i], hashes[i - 1], ctx.now);
            if (e != null) {
                ctx.keyspace().stats().keyspaceHits.increment();
                ctx.keyspace().touch(e, ctx.now);
                count++;
            } else {
                ctx.keyspace().stats().keyspaceMisses.increment();
            }
        }
        ctx.locks().unlock();
        ctx.reply.integer(count);
    }

    static void type(CommandContext ctx) {
        String t;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.readNoTouch();
            t = e == null ? "none" : e.type().typeName();
        }
        ctx.reply.status(t);
    }

    // ------------------------------------------------------------------ expiry

    private static final int EXPIRE_NX = 1;
    private static final int EXPIRE_XX = 2;
    private static final int EXPIRE_GT = 4;
    private static final int EXPIRE_LT = 8;

    static void expire(CommandContext ctx, long base, boolean seconds) {
        int flags = 0;
        for (int j = 3; j < ctx.argc; j++) {
            if (ctx.argIs(j, "nx")) {
                flags |= EXPIRE_NX;
            } else if (ctx.argIs(j, "xx")) {
                flags |= EXPIRE_XX;
            } else if (ctx.argIs(j, "gt")) {
                flags |= EXPIRE_GT;
            } else if (ctx.argIs(j, "lt")) {
                flags |= EXPIRE_LT;
            } else {
                throw new CommandError("ERR Unsupported option " + Bytes.cString(ctx.argv[j]));
            }
        }
        if ((flags & EXPIRE_NX) != 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) != 0) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & EXPIRE_GT) != 0 && (flags & EXPIRE_LT) != 0) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        long when = ctx.longArg(2);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw new CommandError(Errors.invalidExpire(ctx.spec().fullName()));
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - base) {
            throw new CommandError(Errors.invalidExpire(ctx.spec().fullName()));
        }
        when += base;
        long result;
        try (KeyLock k = ctx.lockKey(1)) {
            result = applyExpire(ctx, k, when, flags);
        }
        ctx.reply.integer(result);
    }

    private static long applyExpire(CommandContext ctx, KeyLock k, long when, int flags) {
        Entry e = k.write();
        if (e == null) {
            return 0;
        }
        long current = e.expireAt();
        if ((flags & EXPIRE_NX) != 0 && current != Entry.NO_EXPIRY) {
            return 0;
        }
        if ((flags & EXPIRE_XX) != 0 && current == Entry.NO_EXPIRY) {
            return 0;
        }
        if ((flags & EXPIRE_GT) != 0 && (when <= current || current == Entry.NO_EXPIRY)) {
            return 0;
        }
        if ((flags & EXPIRE_LT) != 0 && current != Entry.NO_EXPIRY && when >= current) {
            return 0;
        }
        // logged as an absolute PEXPIREAT, or as the DEL it became, as Redis
        if (when <= ctx.now) {
            k.delete(e);
            if (ctx.propagating()) {
                ctx.propagate(Propagated.DEL, k.key());
            }
        } else {
            k.segment().setExpireAt(e, when);
            ctx.dirty(1);
            ctx.notify(KeyEvent.EXPIRE, k.key());
            if (ctx.propagating()) {
                ctx.propagate(Propagated.PEXPIREAT, k.key(), Propagated.number(when));
            }
        }
        return 1;
    }

    static void ttl(CommandContext ctx, boolean millis, boolean absolute) {
        long expire;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.readNoTouch();
            if (e == null) {
                ctx.reply.integer(-2);
                return;
            }
            expire = e.expireAt();
        }
        if (expire == Entry.NO_EXPIRY) {
            ctx.reply.integer(-1);
            return;
        }
        long ttl = absolute ? expire : expire - ctx.now;
        if (ttl < 0) {
            ttl = 0;
        }
        // ttl >= 0, so the rounding sum fits an unsigned long even for the largest times.
        ctx.reply.integer(millis ? ttl : Long.divideUnsigned(ttl + 500, 1000));
    }

    static void persist(CommandContext ctx) {
        long r = 0;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write();
            if (e != null && e.hasExpiry()) {
                k.segment().setExpireAt(e, Entry.NO_EXPIRY);
                ctx.dirty(1);
                ctx.notify(KeyEvent.PERSIST, k.key());
                r = 1;
            }
        }
        ctx.reply.integer(r);
    }

    // ------------------------------------------------------------------ iteration

    static void keys(CommandContext ctx) {
        Glob glob = new Glob(ctx.argv[1], false);
        Database db = ctx.db();
        long now = ctx.now;
        List<byte[]> out = new ArrayList<>();
        // KEYS is atomic, as in Redis: it holds every segment of the database while it runs.
        db.lockAll();
        try {
            for (int i = 0; i < db.segmentCount(); i++) {
                db.segmentAt(i).forEach(e -> {
                    if (!e.isExpired(now) && glob.matches(e.key())) {
                        out.add(e.key());
                    }
                });
            }
        } finally {
            db.unlockAll();
        }
        Reply r = ctx.reply;
        r.array(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    static void randomkey(CommandContext ctx) {
        byte[] k = ctx.db().randomKey(ThreadLocalRandom.current(), ctx.now);
        if (k == null) {
            ctx.reply.nullBulk();
        } else {
            ctx.reply.bulk(k);
        }
    }

    // ------------------------------------------------------------------ renaming, moving, copying

    /** Adds a copy of {@code src} under {@code key} in {@code seg}, keeping expiry and access data. */
    private static Entry transplant(Segment seg, byte[] key, int h, Entry src, Object value) {
        Entry n = seg.insert(key, h, value, src.type(), src.encoding());
        n.setLru(src.lru());
        n.setSharedInteger(src.sharedInteger());
        if (src.hasExpiry()) {
            seg.setExpireAt(n, src.expireAt());
        }
        return n;
    }

    static void rename(CommandContext ctx, boolean nx) {
        try (KeyPair p = ctx.lockKeys(1, 2)) {
            KeyLock from = p.first();
            KeyLock to = p.second();
            Entry e = from.write();
            if (e == null) {
                throw Errors.E_NO_SUCH_KEY;
            }
            if (java.util.Arrays.equals(from.key(), to.key())) {
                if (nx) {
                    ctx.reply.integer(0);
                } else {
                    ctx.reply.ok();
                }
                return;
            }
            Entry target = to.write();
            if (target != null) {
                if (nx) {
                    ctx.reply.integer(0);
                    return;
                }
                to.segment().remove(target);
            }
            transplant(to.segment(), to.key(), to.hash(), e, e.value());
            from.segment().remove(e);
            ctx.notify(KeyEvent.RENAME_FROM, from.key());
            ctx.notify(KeyEvent.RENAME_TO, to.key());
        }
        ctx.dirty(1);
        if (nx) {
            ctx.reply.integer(1);
        } else {
            ctx.reply.ok();
        }
    }

    /** Parses a database index argument: an int, then a valid index. */
    private static int dbIndexArg(CommandContext ctx, int i) {
        int id = ctx.intArg(i);
        if (id < 0 || id >= ctx.keyspace().databaseCount()) {
            throw Errors.E_DB_INDEX;
        }
        return id;
    }

    static void move(CommandContext ctx) {
        int dstId = dbIndexArg(ctx, 2);
        Database src = ctx.db();
        if (src.index() == dstId) {
            throw new CommandError(Errors.SAME_OBJECT);
        }
        Database dst = ctx.keyspace().db(dstId);
        byte[] key = ctx.argv[1];
        int h = Bytes.hash(key);
        LockSet locks = ctx.locks();
        locks.add(src, h).add(dst, h);
        locks.lock();
        Segment ss = src.segment(h);
        Segment ds = dst.segment(h);
        Entry e = Lookup.write(ctx, ss, key, h);
        if (e == null || Lookup.write(ctx, ds, key, h) != null) {
            ctx.reply.integer(0);
            return;
        }
        transplant(ds, key, h, e, e.value());
        ss.remove(e);
        ctx.dirty(1);
        ctx.notify(KeyEvent.MOVE_FROM, key, src.index());
        ctx.notify(KeyEvent.MOVE_TO, key, dstId);
        ctx.reply.integer(1);
    }

    static void copy(CommandContext ctx) {
        Database src = ctx.db();
        Database dst = src;
        boolean replace = false;
        for (int j = 3; j < ctx.argc; j++) {
            int additional = ctx.argc - j - 1;
            if (ctx.argIs(j, "replace")) {
                replace = true;
            } else if (ctx.argIs(j, "db") && additional >= 1) {
                dst = ctx.keyspace().db(dbIndexArg(ctx, j + 1));
                j++;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        byte[] from = ctx.argv[1];
        byte[] to = ctx.argv[2];
        if (src == dst && java.util.Arrays.equals(from, to)) {
            throw new CommandError(Errors.SAME_OBJECT);
        }
        int hf = Bytes.hash(from);
        int ht = Bytes.hash(to);
        LockSet locks = ctx.locks();
        locks.add(src, hf).add(dst, ht);
        locks.lock();
        Segment sf = src.segment(hf);
        Segment st = dst.segment(ht);
        Entry e = Lookup.read(ctx, sf, from, hf);
        if (e == null) {
            ctx.reply.integer(0);
            return;
        }
        Entry target = Lookup.write(ctx, st, to, ht);
        if (target != null) {
            if (!replace) {
                ctx.reply.integer(0);
                return;
            }
            st.remove(target);
        }
        Object v = e.value();
        if (v instanceof MutableValue) {
            v = ((MutableValue) v).copy();
        }
        Entry n = st.insert(to, ht, v, e.type(), e.encoding());
        if (e.hasExpiry()) {
            st.setExpireAt(n, e.expireAt());
        }
        ctx.dirty(1);
        ctx.notify(KeyEvent.COPY_TO, to, dst.index());
        ctx.reply.integer(1);
    }

    // ------------------------------------------------------------------ databases

    /** FLUSHDB/FLUSHALL's optional SYNC|ASYNC: both free at once here (the GC reclaims). */
    private static void flushMode(CommandContext ctx) {
        if (ctx.argc == 2) {
            if (!ctx.argIs(1, "sync") && !ctx.argIs(1, "async")) {
                throw Errors.E_SYNTAX;
            }
        } else if (ctx.argc > 2) {
            throw Errors.E_SYNTAX;
        }
    }

    static void flushdb(CommandContext ctx) {
        flushMode(ctx);
        Database db = ctx.db();
        long n = db.size();
        db.clear();
        ctx.dirty(n);
        ctx.reply.ok();
    }

    static void flushall(CommandContext ctx) {
        flushMode(ctx);
        Keyspace ks = ctx.keyspace();
        long n = 0;
        for (int i = 0; i < ks.databaseCount(); i++) {
            n += ks.db(i).size();
        }
        ks.clearAll();
        ctx.dirty(n + 1);
        ctx.reply.ok();
    }

    static void swapdb(CommandContext ctx) {
        long a = intArg(ctx, 1, "ERR invalid first DB index");
        long b = intArg(ctx, 2, "ERR invalid second DB index");
        Keyspace ks = ctx.keyspace();
        if (a < 0 || a >= ks.databaseCount() || b < 0 || b >= ks.databaseCount()) {
            throw Errors.E_DB_INDEX;
        }
        ks.swap((int) a, (int) b);
        ctx.dirty(1);
        ctx.reply.ok();
    }

    /** An int argument; {@code error} replaces the generic message for non-integers and out of int range. */
    private static long intArg(CommandContext ctx, int i, String error) {
        byte[] b = ctx.argv[i];
        if (!Numbers.isLong(b)) {
            throw new CommandError(error);
        }
        long v = Numbers.parseLong(b);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandError(error);
        }
        return v;
    }

    // ------------------------------------------------------------------ OBJECT

    /** What an OBJECT subcommand replies about a live entry (called under the key's lock). */
    @FunctionalInterface
    private interface ObjectQuery {
        void reply(CommandContext ctx, Entry e);
    }

    /**
     * Runs an OBJECT subcommand: looks the key up without updating its access time (but counting
     * the hit or miss, as Redis' LOOKUP_NOTOUCH), replies null when it is absent.
     */
    private static void object(CommandContext ctx, ObjectQuery query) {
        try (KeyLock k = ctx.lockKey(2)) {
            Entry e = Lookup.readNoTouchQuiet(ctx, k.segment(), k.key(), k.hash());
            if (e == null) {
                ctx.reply.nullBulk();
            } else {
                query.reply(ctx, e);
            }
        }
    }

    static void objectEncoding(CommandContext ctx) {
        object(ctx, (c, e) -> c.reply.bulk(e.encoding().nameBytes()));
    }

    static void objectRefcount(CommandContext ctx) {
        object(ctx, (c, e) -> c.reply.integer(e.encoding() == Encoding.INT && e.sharedInteger() ? Integer.MAX_VALUE : 1));
    }

    static void objectIdletime(CommandContext ctx) {
        object(ctx, (c, e) -> {
            if (c.keyspace().lfu()) {
                throw new CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
                        + "that when switching between policies at runtime LRU and LFU data will take some time to "
                        + "adjust.");
            }
            c.reply.integer(c.keyspace().idleMillis(e, c.now) / 1000);
        });
    }

    static void objectFreq(CommandContext ctx) {
        object(ctx, (c, e) -> {
            if (!c.keyspace().lfu()) {
                throw new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                        + "Please note that when switching between policies at runtime LRU and LFU data will take "
                        + "some time to adjust.");
            }
            c.reply.integer(c.keyspace().lfuDecrAndReturn(e, c.now));
        });
    }
}
