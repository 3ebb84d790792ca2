package io.cachalot.core.command.keys;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.persist.rdb.DumpPayload;
import io.cachalot.core.persist.rdb.RdbFormatException;
import io.cachalot.core.persist.rdb.RdbValues;

/** DUMP and RESTORE: a value in Redis' serialized form (RDB encoding, version, CRC-64), both ways. */
final class DumpRestore {
    private static final CommandError BUSYKEY = new CommandError("BUSYKEY Target key name already exists.");
    private static final CommandError BAD_FOOTER = new CommandError("ERR DUMP payload version or checksum are wrong");
    private static final CommandError BAD_FORMAT = new CommandError("ERR Bad data format");
    private static final CommandError BAD_TTL = new CommandError("ERR Invalid TTL value, must be >= 0");
    private static final CommandError BAD_IDLETIME = new CommandError("ERR Invalid IDLETIME value, must be >= 0");
    /** DUMP or MIGRATE of a by-reference cache's application object. */
    static final CommandError NO_FORM = new CommandError(
            "ERR the key holds an application object of a by-reference cache, which has no serialized form");
    private static final CommandError BAD_FREQ = new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");

    private DumpRestore() {
    }

    static void dump(CommandContext ctx) {
        byte[] payload;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read();
            if (e == null) {
                ctx.reply.nullBulk();
                return;
            }
            if (!RdbValues.hasRdbForm(e.type())) {
                throw NO_FORM;
            }
            payload = DumpPayload.create(e.type(), e.value(), ctx.settings());
        }
        ctx.reply.bulk(payload);
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency], as Redis 7.0 checks it. */
    static void restore(CommandContext ctx) {
        boolean replace = false;
        boolean absTtl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < ctx.argc; j++) {
            boolean more = ctx.argc - j - 1 >= 1;
            if (ctx.argIs(j, "replace")) {
                replace = true;
            } else if (ctx.argIs(j, "absttl")) {
                absTtl = true;
            } else if (ctx.argIs(j, "idletime") && more && freq == -1) {
                idle = ctx.longArg(++j);
                if (idle < 0) {
                    throw BAD_IDLETIME;
                }
            } else if (ctx.argIs(j, "freq") && more && idle == -1) {
                freq = ctx.longArg(++j);
                if (freq < 0 || freq > 255) {
                    throw BAD_FREQ;
                }
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry existing = k.write();
            if (!replace && existing != null) {
                throw BUSYKEY;
            }
            long ttl = ctx.longArg(2);
            if (ttl < 0) {
                throw BAD_TTL;
            }
            RdbValues.Loaded v;
            try {
                v = DumpPayload.read(ctx.arg(3), ctx.settings(), true);
            } catch (DumpPayload.BadFooterException e) {
                throw BAD_FOOTER;
            } catch (RdbFormatException e) {
                throw BAD_FORMAT;
            }
            if (ttl != 0 && !absTtl) {
                ttl += ctx.now;
            }
            if (ttl != 0 && ttl <= ctx.now) {
                // already expired: nothing is created, and a replaced key is gone
                if (existing != null) {
                    k.delete(existing);
                    if (ctx.propagating()) {
                        ctx.propagate(io.cachalot.core.propagate.Propagated.DEL, ctx.argv[1]);
                    }
                }
                ctx.reply.ok();
                return;
            }
            if (existing != null) {
                // REPLACE deletes the old key and adds the new one, as Redis (keyspace event "new")
                k.segment().remove(existing);
            }
            Entry e = k.store(null, v.value(), v.type(), v.encoding(), false);
            if (ttl != 0) {
                k.segment().setExpireAt(e, ttl);
                if (!absTtl) {
                    // logged with the absolute time, as Redis
                    byte[][] a = java.util.Arrays.copyOf(ctx.argv, ctx.argc + 1);
                    a[2] = io.cachalot.core.propagate.Propagated.number(ttl);
                    a[ctx.argc] = io.cachalot.core.propagate.Propagated.ABSTTL;
                    if (ctx.propagating()) {
                        ctx.propagate(a);
                    }
                }
            }
            ctx.keyspace().setAccess(e, ctx.now, idle, freq);
            ctx.notify(io.cachalot.core.pubsub.KeyEvent.RESTORE, ctx.argv[1]);
        }
        ctx.reply.ok();
    }
}
