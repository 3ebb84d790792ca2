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
import io.cachalot.core.types.stream.Consumer;
import io.cachalot.core.types.stream.ConsumerGroup;
import io.cachalot.core.types.stream.PendingEntry;
import io.cachalot.core.types.stream.StreamId;
import io.cachalot.core.types.stream.StreamValue;
import io.cachalot.core.util.Bytes;

import java.util.Map;

/** XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP, as Redis 7.0 answers them. */
public final class StreamInfoCommand implements CommandFamily {
    /** The family, for the engine's ServiceLoader. */
    public StreamInfoCommand() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("xinfo|stream", StreamInfoCommand::stream);
        c.register("xinfo|groups", StreamInfoCommand::groups);
        c.register("xinfo|consumers", StreamInfoCommand::consumers);
        c.register("xinfo|help", ctx -> Help.reply(ctx, "xinfo",
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream."));
    }

    private static void id(Reply r, StreamId id) {
        r.bulk(StreamCommands.idBytes(id.ms, id.seq));
    }

    private static void lag(Reply r, StreamValue s, ConsumerGroup g) {
        long lag = s.lag(g);
        if (lag == Long.MIN_VALUE) {
            r.nullBulk();
        } else {
            r.integer(lag);
        }
    }

    private static void entriesRead(Reply r, ConsumerGroup g) {
        if (g.entriesRead == ConsumerGroup.INVALID_ENTRIES_READ) {
            r.nullBulk();
        } else {
            r.integer(g.entriesRead);
        }
    }

    static void stream(CommandContext ctx) {
        boolean full = ctx.argc > 3;
        long count = 10;
        if (full) {
            int optc = ctx.argc - 3;
            if ((optc != 1 && optc != 3) || !ctx.argIs(3, "full") || (optc == 3 && !ctx.argIs(4, "count"))) {
                throw new CommandError(Errors.subcommandSyntax(ctx.argv[0], ctx.argv[1]));
            }
            if (optc == 3) {
                count = ctx.longArg(5);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        try (KeyLock k = ctx.lockKey(2)) {
            Entry e = k.read(ValueType.STREAM);
            if (e == null) {
                throw Errors.E_NO_SUCH_KEY;
            }
            StreamValue s = StreamCommands.stream(e);
            Reply r = ctx.reply;
            r.map(full ? 9 : 10);
            r.bulk("length");
            r.integer(s.length());
            r.bulk("radix-tree-keys");
            r.integer(s.nodeCount());
            r.bulk("radix-tree-nodes");
            r.integer(s.radixTreeNodes());
            r.bulk("last-generated-id");
            id(r, s.lastId());
            r.bulk("max-deleted-entry-id");
            id(r, s.maxDeletedId());
            r.bulk("entries-added");
            r.integer(s.entriesAdded());
            r.bulk("recorded-first-entry-id");
            id(r, s.firstId());
            if (!full) {
                r.bulk("groups");
                r.integer(s.groupCount());
                r.bulk("first-entry");
                edge(r, s, false);
                r.bulk("last-entry");
                edge(r, s, true);
                return;
            }
            r.bulk("entries");
            StreamCommands.replyRange(r, s, StreamId.MIN, StreamId.MAX, count, false);
            r.bulk("groups");
            r.array(s.groupCount());
            for (ConsumerGroup g : s.groups()) {
                r.map(7);
                r.bulk("name");
                r.bulk(g.name());
                r.bulk("last-delivered-id");
                id(r, g.lastId());
                r.bulk("entries-read");
                entriesRead(r, g);
                r.bulk("lag");
                lag(r, s, g);
                r.bulk("pel-count");
                r.integer(g.pending().size());
                r.bulk("pending");
                pendingRows(r, g.pending(), count, true);
                r.bulk("consumers");
                r.array(g.consumers().size());
                for (Consumer c : g.consumers().values()) {
                    r.map(4);
                    r.bulk("name");
                    r.bulk(c.name());
                    r.bulk("seen-time");
                    r.integer(c.seenTime);
                    r.bulk("pel-count");
                    r.integer(c.pending().size());
                    r.bulk("pending");
                    pendingRows(r, c.pending(), count, false);
                }
            }
        }
    }

    /** The first {@code count} (0: all) pending entries as [id, (owner,) delivery time, count]. */
    private static void pendingRows(Reply r, java.util.TreeMap<StreamId, PendingEntry> pending, long count, boolean owner) {
        int n = count == 0 || count >= pending.size() ? pending.size() : (int) count;
        r.array(n);
        int i = 0;
        for (Map.Entry<StreamId, PendingEntry> pe : pending.entrySet()) {
            if (i++ == n) {
                break;
            }
            r.array(owner ? 4 : 3);
            id(r, pe.getKey());
            if (owner) {
                r.bulk(pe.getValue().consumer().name());
            }
            r.integer(pe.getValue().deliveryTime);
            r.integer(pe.getValue().deliveryCount);
        }
    }

    /** The first or last entry as [id, [field, value ...]], or a null. */
    private static void edge(Reply r, StreamValue s, boolean last) {
        StreamValue.Cursor c = s.cursor(0, 0, -1L, -1L, last);
        if (c.next()) {
            StreamCommands.replyEntry(r, c);
        } else {
            r.nullBulk();
        }
    }

    static void groups(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(2)) {
            Entry e = k.read(ValueType.STREAM);
            if (e == null) {
                throw Errors.E_NO_SUCH_KEY;
            }
            StreamValue s = StreamCommands.stream(e);
            Reply r = ctx.reply;
            r.array(s.groupCount());
            for (ConsumerGroup g : s.groups()) {
                r.map(6);
                r.bulk("name");
                r.bulk(g.name());
                r.bulk("consumers");
                r.integer(g.consumers().size());
                r.bulk("pending");
                r.integer(g.pending().size());
                r.bulk("last-delivered-id");
                id(r, g.lastId());
                r.bulk("entries-read");
                entriesRead(r, g);
                r.bulk("lag");
                lag(r, s, g);
            }
        }
    }

    static void consumers(CommandContext ctx) {
        try (KeyLock k = ctx.lockKey(2)) {
            Entry e = k.read(ValueType.STREAM);
            if (e == null) {
                throw Errors.E_NO_SUCH_KEY;
            }
            ConsumerGroup g = StreamCommands.stream(e).group(ctx.argv[3]);
            if (g == null) {
                throw new CommandError("NOGROUP No such consumer group '" + Bytes.cString(ctx.argv[3])
                        + "' for key name '" + Bytes.cString(ctx.argv[2]) + "'");
            }
            Reply r = ctx.reply;
            r.array(g.consumers().size());
            for (Consumer c : g.consumers().values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(c.name());
                r.bulk("pending");
                r.integer(c.pending().size());
                r.bulk("idle");
                r.integer(Math.max(0, ctx.now - c.seenTime));
            }
        }
    }
}
