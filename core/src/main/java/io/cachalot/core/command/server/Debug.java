package io.cachalot.core.command.server;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Help;
import io.cachalot.core.debug.Digest;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

/**
 * DEBUG: the subcommands that tests and tools use (SLEEP, OBJECT, SET-ACTIVE-EXPIRE, DIGEST,
 * DIGEST-VALUE, OOM). DEBUG is one command with its own subcommand parsing, as in Redis; it is refused
 * unless enable-debug-command allows it.
 */
final class Debug {
    private Debug() {
    }

    static void debug(CommandContext ctx) {
        byte[] sub = ctx.argv[1];
        int argc = ctx.argc;
        if (Bytes.equalsIgnoreCase(sub, "help") && argc == 2) {
            Help.reply(ctx, "debug",
                    "DIGEST",
                    "    Output a hex signature representing the current DB content.",
                    "DIGEST-VALUE <key> [<key> ...]",
                    "    Output a hex signature of the values of all the specified keys.",
                    "OBJECT <key>",
                    "    Show low level info about `key` and associated value.",
                    "OOM",
                    "    Crash the server simulating an out-of-memory error.",
                    "PAUSE-CRON <0|1>",
                    "    Stop periodic cron job processing.",
                    "RELOAD [option ...]",
                    "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
                    "    * MERGE: conflicting keys will be loaded from RDB.",
                    "    * NOFLUSH: the existing database will not be removed before load, but",
                    "      conflicting keys will generate an exception and kill the server.",
                    "    * NOSAVE: the database will be loaded from an existing RDB file.",
                    "    Examples:",
                    "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
                    "      the database.",
                    "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
                    "      existing RDB file.",
                    "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
                    "      file to the database.",
                    "SET-ACTIVE-EXPIRE <0|1>",
                    "    Setting it to 0 disables expiring keys in background when they are not",
                    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                    "    default.",
                    "SLEEP <seconds>",
                    "    Stop the server for <seconds>. Decimals allowed.");
        } else if (Bytes.equalsIgnoreCase(sub, "sleep") && argc == 3) {
            double seconds = strtod(ctx.argv[2]);
            long micros = (long) (seconds * 1_000_000);
            if (micros > 0) {
                try {
                    Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ctx.reply.ok();
        } else if (Bytes.equalsIgnoreCase(sub, "reload")) {
            reload(ctx);
        } else if (Bytes.equalsIgnoreCase(sub, "loadaof") && argc == 2) {
            // as Redis: the AOF as written so far, loaded into an emptied keyspace
            try {
                ctx.engine().loadAof();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Debug.class).warn("DEBUG LOADAOF: {}", e.getMessage());
                throw new CommandError("ERR Error loading the AOF: " + e.getMessage());
            }
            org.slf4j.LoggerFactory.getLogger(Debug.class).warn("Append Only File loaded by DEBUG LOADAOF");
            ctx.reply.ok();
        } else if (Bytes.equalsIgnoreCase(sub, "pause-cron") && argc == 3) {
            ctx.engine().setCronPaused(atoi(ctx.argv[2]) != 0);
            ctx.reply.ok();
        } else if (Bytes.equalsIgnoreCase(sub, "set-active-expire") && argc == 3) {
            ctx.engine().setActiveExpireEnabled(atoi(ctx.argv[2]) != 0);
            ctx.reply.ok();
        } else if (Bytes.equalsIgnoreCase(sub, "protocol") && argc == 3) {
            protocol(ctx);
        } else if (Bytes.equalsIgnoreCase(sub, "set-disable-deny-scripts") && argc == 3) {
            ctx.engine().scriptFacts().setDenyScriptDisabled(atoi(ctx.argv[2]) != 0);
            ctx.reply.ok();
        } else if (Bytes.equalsIgnoreCase(sub, "oom") && argc == 2) {
            // as Redis' DEBUG OOM: what a JVM out of heap does (the server exits; embedded, a log line)
            ctx.engine().hooks().outOfMemory("DEBUG OOM", new OutOfMemoryError("DEBUG OOM (simulated)"));
            ctx.reply.ok();
        } else if (Bytes.equalsIgnoreCase(sub, "object") && argc == 3) {
            object(ctx);
        } else if (Bytes.equalsIgnoreCase(sub, "digest") && argc == 2) {
            byte[] d;
            ctx.keyspace().lockAll();
            try {
                d = new Digest().dataset(ctx.keyspace());
            } finally {
                ctx.keyspace().unlockAll();
            }
            ctx.reply.status(Digest.hex(d));
        } else if (Bytes.equalsIgnoreCase(sub, "digest-value") && argc >= 2) {
            digestValue(ctx);
        } else {
            throw new CommandError(Errors.subcommandSyntax(ctx.argv[0], sub));
        }
    }

    private static void object(CommandContext ctx) {
        byte[] key = ctx.argv[2];
        String line;
        try (KeyLock k = ctx.lockKey(2)) {
            Entry e = k.segment().find(key, k.hash());
            if (e == null) {
                throw Errors.E_NO_SUCH_KEY;
            }
            long refcount = e.encoding() == io.cachalot.core.types.Encoding.INT && e.sharedInteger()
                    ? Integer.MAX_VALUE : 1;
            line = "Value at:0x" + Integer.toHexString(System.identityHashCode(e.value()))
                    + " refcount:" + refcount
                    + " encoding:" + Bytes.latin1(e.encoding().nameBytes())
                    + " serializedlength:" + serializedLength(e)
                    + " lru:" + ((Integer.toUnsignedLong(e.lru()) * 4 / 1000) & 0xFFFFFF)
                    + " lru_seconds_idle:" + ctx.keyspace().idleMillis(e, ctx.now) / 1000;
        }
        ctx.reply.status(line);
    }

    /** The RDB length of a string value without compression: an int encoding or a length prefix plus bytes. */
    private static long serializedLength(Entry e) {
        if (!e.isType(ValueType.STRING)) {
            return 0;
        }
        byte[] b = e.bytes();
        if (b.length <= 11 && Numbers.isLong(b)) {
            long v = Numbers.parseLong(b);
            if (v >= -128 && v <= 127) {
                return 2;
            }
            if (v >= -32768 && v <= 32767) {
                return 3;
            }
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return 5;
            }
        }
        long len = b.length;
        long prefix = len < 64 ? 1 : len < 16384 ? 2 : len <= 0xFFFFFFFFL ? 5 : 9;
        return prefix + len;
    }

    private static void digestValue(CommandContext ctx) {
        Digest digest = new Digest();
        ctx.reply.array(ctx.argc - 2);
        for (int j = 2; j < ctx.argc; j++) {
            byte[] key = ctx.argv[j];
            int h = Bytes.hash(key);
            byte[] d = new byte[20];
            try (Segment seg = ctx.db().lock(h)) {
                // A debug command sees logically expired keys too, as Redis' dictFind here.
                Entry e = seg.find(key, h);
                if (e != null) {
                    digest.mixValue(d, e);
                }
            }
            ctx.reply.status(Digest.hex(d));
        }
    }

    /** C's atoi: optional spaces and sign, then digits; 0 when none. */
    static long atoi(byte[] b) {
        int i = 0;
        while (i < b.length && (b[i] == ' ' || (b[i] >= 9 && b[i] <= 13))) {
            i++;
        }
        boolean neg = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            neg = b[i] == '-';
            i++;
        }
        long v = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        return neg ? -v : v;
    }

    /** C's strtod on the longest valid prefix; 0 when there is none. */
    static double strtod(byte[] b) {
        String s = Bytes.latin1(b).trim();
        for (int end = s.length(); end > 0; end--) {
            try {
                return Double.parseDouble(s.substring(0, end));
            } catch (NumberFormatException ignored) {
                // try a shorter prefix
            }
        }
        return 0;
    }

    /** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis 7.0. */
    private static void reload(CommandContext ctx) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int j = 2; j < ctx.argc; j++) {
            if (ctx.argIs(j, "merge")) {
                merge = true;
            } else if (ctx.argIs(j, "noflush")) {
                flush = false;
            } else if (ctx.argIs(j, "nosave")) {
                save = false;
            } else {
                throw new CommandError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        try {
            ctx.engine().persistence().reload(save, flush, merge);
        } catch (io.cachalot.core.persist.Persistence.SaveException e) {
            throw new CommandError("ERR");
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Debug.class).warn("DEBUG RELOAD: {}", e.toString());
            throw new CommandError("ERR Error trying to load the RDB dump");
        }
        org.slf4j.LoggerFactory.getLogger(Debug.class).warn("DB reloaded by DEBUG RELOAD");
        ctx.reply.ok();
    }

    /** DEBUG PROTOCOL: one reply of each RESP3 type, as Redis sends them (to test clients and scripts). */
    private static void protocol(CommandContext ctx) {
        var r = ctx.reply;
        byte[] name = ctx.argv[2];
        if (Bytes.equalsIgnoreCase(name, "string")) {
            r.bulk("Hello World");
        } else if (Bytes.equalsIgnoreCase(name, "integer")) {
            r.integer(12345);
        } else if (Bytes.equalsIgnoreCase(name, "double")) {
            r.doubleValue(3.141);
        } else if (Bytes.equalsIgnoreCase(name, "bignum")) {
            r.bigNumber("1234567999999999999999999999999999999");
        } else if (Bytes.equalsIgnoreCase(name, "null")) {
            r.nullBulk();
        } else if (Bytes.equalsIgnoreCase(name, "array")) {
            r.array(3);
            for (int j = 0; j < 3; j++) {
                r.integer(j);
            }
        } else if (Bytes.equalsIgnoreCase(name, "set")) {
            r.set(3);
            for (int j = 0; j < 3; j++) {
                r.integer(j);
            }
        } else if (Bytes.equalsIgnoreCase(name, "map")) {
            r.map(3);
            for (int j = 0; j < 3; j++) {
                r.integer(j);
                r.bool(j == 1);
            }
        } else if (Bytes.equalsIgnoreCase(name, "attrib")) {
            if (r.protocol() >= 3) {
                r.attribute(1);
                r.bulk("key-popularity");
                r.array(2);
                r.bulk("key:123");
                r.integer(90);
            }
            r.bulk("Some real reply following the attribute");
        } else if (Bytes.equalsIgnoreCase(name, "push")) {
            r.push(2);
            r.bulk("server-cpu-usage");
            r.integer(42);
            r.bulk("Some real reply following the push reply");
        } else if (Bytes.equalsIgnoreCase(name, "true")) {
            r.bool(true);
        } else if (Bytes.equalsIgnoreCase(name, "false")) {
            r.bool(false);
        } else if (Bytes.equalsIgnoreCase(name, "verbatim")) {
            r.verbatim("txt", Bytes.ascii("This is a verbatim\nstring"));
        } else {
            r.error("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }
}
