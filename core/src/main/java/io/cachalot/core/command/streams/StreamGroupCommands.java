package io.cachalot.core.command.streams;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Help;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.stream.Consumer;
import io.cachalot.core.types.stream.ConsumerGroup;
import io.cachalot.core.types.stream.PendingEntry;
import io.cachalot.core.types.stream.StreamId;
import io.cachalot.core.types.stream.StreamValue;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

import java.util.ArrayList;
import java.util.Map;

/**
 * The consumer-group commands of Redis' t_stream.c: XGROUP (CREATE, SETID, DESTROY,
 * CREATECONSUMER, DELCONSUMER, HELP), XACK, XPENDING, XCLAIM and XAUTOCLAIM. XCLAIM and
 * XAUTOCLAIM propagate one exact XCLAIM per entry they changed, as Redis does.
 */
public final class StreamGroupCommands implements CommandFamily {
    /** The family, for the engine's ServiceLoader. */
    public StreamGroupCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("xgroup|create", StreamGroupCommands::xgroup);
        c.register("xgroup|setid", StreamGroupCommands::xgroup);
        c.register("xgroup|destroy", StreamGroupCommands::xgroup);
        c.register("xgroup|createconsumer", StreamGroupCommands::xgroup);
        c.register("xgroup|delconsumer", StreamGroupCommands::xgroup);
        c.register("xgroup|help", ctx -> Help.reply(ctx, "xgroup",
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter."));
        c.register("xack", StreamGroupCommands::xack);
        c.register("xpending", StreamGroupCommands::xpending);
        c.register("xclaim", StreamGroupCommands::xclaim);
        c.register("xautoclaim", StreamGroupCommands::xautoclaim);
    }

    /** The group argv[2] names in stream {@code e} (argv[1]), or -NOGROUP when the key or the group is missing. */
    private static ConsumerGroup requireGroup(CommandContext ctx, Entry e) {
        ConsumerGroup g = e == null ? null : StreamCommands.stream(e).group(ctx.argv[2]);
        if (g == null) {
            throw new CommandError("NOGROUP No such key '" + Bytes.cString(ctx.argv[1]) + "' or consumer group '"
                    + Bytes.cString(ctx.argv[2]) + "'");
        }
        return g;
    }

    /** getLongLongFromObjectOrReply with Redis' own message. */
    private static long longArg(CommandContext ctx, int i, String error) {
        byte[] b = ctx.argv[i];
        if (!Numbers.isLong(b)) {
            throw new CommandError("ERR " + error);
        }
        return Numbers.parseLong(b);
    }

    // ------------------------------------------------------------------ XGROUP

    static void xgroup(CommandContext ctx) {
        boolean create = ctx.argIs(1, "create");
        boolean setid = ctx.argIs(1, "setid");
        boolean mkstream = false;
        long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
        for (int i = 5; i < ctx.argc; ) {
            if (create && ctx.argIs(i, "mkstream")) {
                mkstream = true;
                i++;
            } else if ((create || setid) && ctx.argIs(i, "entriesread") && i + 1 < ctx.argc) {
                entriesRead = ctx.longArg(i + 1);
                if (entriesRead < 0 && entriesRead != ConsumerGroup.INVALID_ENTRIES_READ) {
                    throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw new CommandError(Errors.subcommandSyntax(ctx.argv[0], ctx.argv[1]));
            }
        }
        byte[] key = ctx.argv[2];
        byte[] name = ctx.argv[3];
        try (KeyLock k = ctx.lockKey(2)) {
            Entry e = k.write(ValueType.STREAM);
            StreamValue s = e == null ? null : StreamCommands.stream(e);
            ConsumerGroup g = null;
            if (!mkstream) {
                if (s == null) {
                    throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE "
                            + "you may want to use the MKSTREAM option to create an empty stream automatically.");
                }
                g = s.group(name);
                if (g == null && !create && !ctx.argIs(1, "destroy")) {
                    throw new CommandError("NOGROUP No such consumer group '" + Bytes.cString(name) + "' for key name '"
                            + Bytes.cString(key) + "'");
                }
            }
            if (create) {
                if (ctx.argc > 8) {
                    throw new CommandError(Errors.subcommandSyntax(ctx.argv[0], ctx.argv[1]));
                }
                byte[] idArg = ctx.argv[4];
                StreamId id;
                if (idArg.length == 1 && idArg[0] == '$') {
                    id = s == null ? StreamId.MIN : s.lastId();
                } else {
                    id = StreamCommands.parseId(idArg, 0, true, null);
                }
                if (s == null) {
                    s = new StreamValue();
                    e = k.segment().insert(key, k.hash(), s, ValueType.STREAM, Encoding.STREAM);
                }
                long before = k.segment().beforeUnsignalledMutation(e);
                g = s.createGroup(name, id.ms, id.seq, entriesRead);
                k.segment().afterMutation(e, before);
                if (g == null) {
                    throw new CommandError("BUSYGROUP Consumer Group name already exists");
                }
                ctx.reply.ok();
                ctx.dirty(1);
                ctx.notify(KeyEvent.XGROUP_CREATE, key);
            } else if (setid) {
                if (ctx.argc != 5 && ctx.argc != 7) {
                    throw new CommandError(Errors.subcommandSyntax(ctx.argv[0], ctx.argv[1]));
                }
                byte[] idArg = ctx.argv[4];
                StreamId id = idArg.length == 1 && idArg[0] == '$' ? s.lastId()
                        : StreamCommands.parseId(idArg, 0, false, null);
                long before = k.segment().beforeUnsignalledMutation(e);
                g.setLastId(id.ms, id.seq);
                g.entriesRead = entriesRead;
                k.segment().afterMutation(e, before);
                ctx.reply.ok();
                ctx.dirty(1);
                ctx.notify(KeyEvent.XGROUP_SETID, key);
            } else if (ctx.argIs(1, "destroy")) {
                if (g == null) {
                    ctx.reply.integer(0);
                    return;
                }
                long before = k.segment().beforeUnsignalledMutation(e);
                s.destroyGroup(name);
                k.segment().afterMutation(e, before);
                // the readers blocked on this group wake up to -NOGROUP
                ctx.blocking().signalReady(ctx, key);
                ctx.reply.integer(1);
                ctx.dirty(1);
                ctx.notify(KeyEvent.XGROUP_DESTROY, key);
            } else if (ctx.argIs(1, "createconsumer")) {
                long before = k.segment().beforeUnsignalledMutation(e);
                Consumer c = g.createConsumer(ctx.argv[4], ctx.now);
                k.segment().afterMutation(e, before);
                if (c != null) {
                    ctx.dirty(1);
                    ctx.notify(KeyEvent.XGROUP_CREATECONSUMER, key);
                }
                ctx.reply.integer(c == null ? 0 : 1);
            } else {
                Consumer c = g.consumer(ctx.argv[4]);
                long pending = 0;
                if (c != null) {
                    long before = k.segment().beforeUnsignalledMutation(e);
                    pending = g.deleteConsumer(c);
                    k.segment().afterMutation(e, before);
                    ctx.dirty(1);
                    ctx.notify(KeyEvent.XGROUP_DELCONSUMER, key);
                }
                ctx.reply.integer(pending);
            }
        }
    }

    // ------------------------------------------------------------------ XACK

    /** XACK key group id ...: the pending entries acknowledged (all ids are checked first). */
    static void xack(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.STREAM);
            ConsumerGroup g = e == null ? null : StreamCommands.stream(e).group(ctx.argv[2]);
            if (g == null) {
                ctx.reply.integer(0);
                return;
            }
            StreamId[] ids = new StreamId[ctx.argc - 3];
            for (int j = 3; j < ctx.argc; j++) {
                ids[j - 3] = StreamCommands.parseId(ctx.argv[j], 0, true, null);
            }
            long acked = 0;
            long before = k.segment().beforeUnsignalledMutation(e);
            for (StreamId id : ids) {
                if (g.ack(id)) {
                    acked++;
                }
            }
            k.segment().afterMutation(e, before);
            ctx.dirty(acked);
            ctx.reply.integer(acked);
        }
    }

    // ------------------------------------------------------------------ XPENDING

    /** XPENDING key group [[IDLE ms] start end count [consumer]]. */
    static void xpending(CommandContext ctx) {
        int argc = ctx.argc;
        boolean summary = argc == 3;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw Errors.E_SYNTAX;
        }
        StreamId start = null;
        StreamId end = null;
        long count = 0;
        long minIdle = 0;
        byte[] consumerName = null;
        if (argc >= 6) {
            int from = 3;
            if (ctx.argIs(3, "idle")) {
                minIdle = ctx.longArg(4);
                if (argc < 8) {
                    throw Errors.E_SYNTAX;
                }
                from += 2;
            }
            count = Math.max(0, ctx.longArg(from + 2));
            start = StreamCommands.intervalStart(ctx.argv[from]);
            end = StreamCommands.intervalEnd(ctx.argv[from + 1]);
            if (from + 3 < argc) {
                consumerName = ctx.argv[from + 3];
            }
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.STREAM);
            ConsumerGroup g = requireGroup(ctx, e);
            Reply r = ctx.reply;
            if (summary) {
                r.array(4);
                r.integer(g.pending().size());
                if (g.pending().isEmpty()) {
                    r.nullBulk();
                    r.nullBulk();
                    r.nullArray();
                    return;
                }
                StreamId first = g.pending().firstKey();
                StreamId last = g.pending().lastKey();
                r.bulk(StreamCommands.idBytes(first.ms, first.seq));
                r.bulk(StreamCommands.idBytes(last.ms, last.seq));
                int owners = 0;
                for (Consumer c : g.consumers().values()) {
                    if (!c.pending().isEmpty()) {
                        owners++;
                    }
                }
                r.array(owners);
                for (Consumer c : g.consumers().values()) {
                    if (!c.pending().isEmpty()) {
                        r.array(2);
                        r.bulk(c.name());
                        r.bulk(Numbers.toBytes(c.pending().size()));
                    }
                }
                return;
            }
            java.util.NavigableMap<StreamId, PendingEntry> pel;
            if (consumerName != null) {
                Consumer c = g.consumer(consumerName);
                if (c == null) {
                    r.array(0);
                    return;
                }
                pel = c.pending();
            } else {
                pel = g.pending();
            }
            long now = ctx.now;
            java.util.NavigableMap<StreamId, PendingEntry> range = start.compareTo(end) <= 0
                    ? pel.subMap(start, true, end, true) : java.util.Collections.emptyNavigableMap();
            // counted first, then written: the reply's length comes before its rows
            long n = 0;
            for (PendingEntry p : range.values()) {
                if (n == count) {
                    break;
                }
                if (minIdle == 0 || now - p.deliveryTime >= minIdle) {
                    n++;
                }
            }
            r.array((int) n);
            long written = 0;
            for (Map.Entry<StreamId, PendingEntry> pe : range.entrySet()) {
                if (written == n) {
                    break;
                }
                PendingEntry p = pe.getValue();
                if (minIdle != 0 && now - p.deliveryTime < minIdle) {
                    continue;
                }
                written++;
                r.array(4);
                r.bulk(StreamCommands.idBytes(pe.getKey().ms, pe.getKey().seq));
                r.bulk(p.consumer().name());
                r.integer(Math.max(0, now - p.deliveryTime));
                r.integer(p.deliveryCount);
            }
        }
    }

    // ------------------------------------------------------------------ XCLAIM, XAUTOCLAIM

    /**
     * XCLAIM key group consumer min-idle-time id ... [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE]
     * [JUSTID] [LASTID id].
     */
    static void xclaim(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.STREAM);
            ConsumerGroup g = requireGroup(ctx, e);
            StreamValue s = StreamCommands.stream(e);
            long minIdle = Math.max(0, longArg(ctx, 4, "Invalid min-idle-time argument for XCLAIM"));
            ArrayList<StreamId> ids = new ArrayList<>();
            int j = 5;
            for (; j < ctx.argc; j++) {
                StreamId id = tryParseStrictId(ctx.argv[j]);
                if (id == null) {
                    break;
                }
                ids.add(id);
            }
            int lastIdArg = j - 1;
            long now = ctx.now;
            long deliveryTime = -1;
            long retryCount = -1;
            boolean force = false;
            boolean justId = false;
            StreamId lastId = StreamId.MIN;
            for (; j < ctx.argc; j++) {
                int more = ctx.argc - 1 - j;
                if (ctx.argIs(j, "force")) {
                    force = true;
                } else if (ctx.argIs(j, "justid")) {
                    justId = true;
                } else if (ctx.argIs(j, "idle") && more > 0) {
                    j++;
                    deliveryTime = now - longArg(ctx, j, "Invalid IDLE option argument for XCLAIM");
                } else if (ctx.argIs(j, "time") && more > 0) {
                    j++;
                    deliveryTime = longArg(ctx, j, "Invalid TIME option argument for XCLAIM");
                } else if (ctx.argIs(j, "retrycount") && more > 0) {
                    j++;
                    retryCount = longArg(ctx, j, "Invalid RETRYCOUNT option argument for XCLAIM");
                } else if (ctx.argIs(j, "lastid") && more > 0) {
                    j++;
                    lastId = StreamCommands.parseId(ctx.argv[j], 0, true, null);
                } else {
                    throw new CommandError("ERR Unrecognized XCLAIM option '" + Bytes.cString(ctx.argv[j]) + "'");
                }
            }
            long before = k.segment().beforeUnsignalledMutation(e);
            boolean propagateLastId = false;
            if (lastId.compareTo(g.lastId()) > 0) {
                g.setLastId(lastId.ms, lastId.seq);
                propagateLastId = true;
            }
            if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
            byte[] key = ctx.argv[1];
            byte[] groupName = ctx.argv[2];
            Consumer c = null;
            ArrayList<StreamId> claimed = new ArrayList<>();
            for (int a = 5; a <= lastIdArg; a++) {
                StreamId id = ids.get(a - 5);
                PendingEntry p = g.pending().get(id);
                if (!s.contains(id.ms, id.seq)) {
                    if (p != null) {
                        // the entry is gone: so goes its pending entry, and so it travels
                        if (ctx.propagating()) {
                            ctx.propagate(StreamReads.claimEffect(key, groupName, p.consumer(), ctx.argv[a], p, g));
                        }
                        propagateLastId = false;
                        ctx.dirty(1);
                        g.ack(id);
                    }
                    continue;
                }
                if (force && p == null) {
                    p = g.createUnowned(id, now);
                }
                if (p == null) {
                    continue;
                }
                if (p.consumer() != null && minIdle != 0 && now - p.deliveryTime < minIdle) {
                    continue;
                }
                if (c == null) {
                    c = StreamReads.consumer(ctx, g, ctx.argv[1], ctx.argv[2], ctx.argv[3], false);
                }
                p.deliveryTime = deliveryTime;
                if (retryCount >= 0) {
                    p.deliveryCount = retryCount;
                } else if (!justId) {
                    p.deliveryCount++;
                }
                g.transfer(id, p, c);
                claimed.add(id);
                if (ctx.propagating()) {
                    ctx.propagate(StreamReads.claimEffect(key, groupName, c, ctx.argv[a], p, g));
                }
                propagateLastId = false;
                ctx.dirty(1);
            }
            if (propagateLastId) {
                if (ctx.propagating()) {
                    ctx.propagate(StreamReads.setIdEffect(key, groupName, g));
                }
                ctx.dirty(1);
            }
            k.segment().afterMutation(e, before);
            ctx.propagateOnlyEffects();
            Reply r = ctx.reply;
            r.array(claimed.size());
            for (StreamId id : claimed) {
                replyClaimed(r, s, id, justId);
            }
        }
    }

    private static void replyClaimed(Reply r, StreamValue s, StreamId id, boolean justId) {
        if (justId) {
            r.bulk(StreamCommands.idBytes(id.ms, id.seq));
        } else {
            StreamValue.Cursor cur = s.cursor(id.ms, id.seq, id.ms, id.seq, false);
            cur.next();
            StreamCommands.replyEntry(r, cur);
        }
    }

    /** A strict id, or null when the argument is not one (XCLAIM's options follow the ids). */
    private static StreamId tryParseStrictId(byte[] b) {
        try {
            return StreamCommands.parseId(b, 0, true, null);
        } catch (CommandError notAnId) {
            return null;
        }
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID]. */
    static void xautoclaim(CommandContext ctx) {
        long minIdle = Math.max(0, longArg(ctx, 4, "Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamCommands.intervalStart(ctx.argv[5]);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < ctx.argc; j++) {
            int more = ctx.argc - 1 - j;
            if (ctx.argIs(j, "count") && more > 0) {
                byte[] b = ctx.argv[j + 1];
                long max = Long.MAX_VALUE / 16;
                if (!Numbers.isLong(b) || Numbers.parseLong(b) < 1 || Numbers.parseLong(b) > max) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                count = Numbers.parseLong(b);
                j++;
            } else if (ctx.argIs(j, "justid")) {
                justId = true;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.STREAM);
            ConsumerGroup g = requireGroup(ctx, e);
            StreamValue s = StreamCommands.stream(e);
            byte[] key = ctx.argv[1];
            byte[] groupName = ctx.argv[2];
            long now = ctx.now;
            long attempts = count * 10;
            long before = k.segment().beforeUnsignalledMutation(e);
            Consumer c = null;
            ArrayList<StreamId> claimed = new ArrayList<>();
            ArrayList<StreamId> deleted = new ArrayList<>();
            // a walk of the group's list as Redis' iterator walks it (one seek, re-seek after a removal)
            StreamId at = start;
            boolean inclusive = true;
            boolean eof = false;
            while (attempts-- > 0 && count > 0) {
                Map.Entry<StreamId, PendingEntry> pe = inclusive ? g.pending().ceilingEntry(at) : g.pending().higherEntry(at);
                if (pe == null) {
                    eof = true;
                    break;
                }
                at = pe.getKey();
                inclusive = false;
                StreamId id = pe.getKey();
                PendingEntry p = pe.getValue();
                if (!s.contains(id.ms, id.seq)) {
                    if (ctx.propagating()) {
                        ctx.propagate(StreamReads.claimEffect(key, groupName, p.consumer(),
                                StreamCommands.idBytes(id.ms, id.seq), p, g));
                    }
                    ctx.dirty(1);
                    g.ack(id);
                    deleted.add(id);
                    count--;
                    continue;
                }
                if (minIdle != 0 && now - p.deliveryTime < minIdle) {
                    continue;
                }
                if (c == null) {
                    c = StreamReads.consumer(ctx, g, ctx.argv[1], ctx.argv[2], ctx.argv[3], false);
                }
                p.deliveryTime = now;
                if (!justId) {
                    p.deliveryCount++;
                }
                g.transfer(id, p, c);
                claimed.add(id);
                count--;
                if (ctx.propagating()) {
                    ctx.propagate(StreamReads.claimEffect(key, groupName, c, StreamCommands.idBytes(id.ms, id.seq), p, g));
                }
                ctx.dirty(1);
            }
            StreamId next = StreamId.MIN;
            if (!eof) {
                Map.Entry<StreamId, PendingEntry> pe = inclusive ? g.pending().ceilingEntry(at) : g.pending().higherEntry(at);
                if (pe != null) {
                    next = pe.getKey();
                }
            }
            k.segment().afterMutation(e, before);
            ctx.propagateOnlyEffects();
            Reply r = ctx.reply;
            r.array(3);
            r.bulk(StreamCommands.idBytes(next.ms, next.seq));
            r.array(claimed.size());
            for (StreamId id : claimed) {
                replyClaimed(r, s, id, justId);
            }
            r.array(deleted.size());
            for (StreamId id : deleted) {
                r.bulk(StreamCommands.idBytes(id.ms, id.seq));
            }
        }
    }
}
