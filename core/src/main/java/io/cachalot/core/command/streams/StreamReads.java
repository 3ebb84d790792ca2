package io.cachalot.core.command.streams;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.Timeouts;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.listpack.Listpack;
import io.cachalot.core.types.stream.Consumer;
import io.cachalot.core.types.stream.ConsumerGroup;
import io.cachalot.core.types.stream.PendingEntry;
import io.cachalot.core.types.stream.StreamId;
import io.cachalot.core.types.stream.StreamValue;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

import java.util.Map;

/**
 * XREAD and XREADGROUP (Redis' xreadCommand and the stream half of its blocked-client
 * serving): one parser, the synchronous reply, and the wait. A group read delivers new entries
 * (">") into the group's pending list, or re-reads the consumer's own history (any other id);
 * its changes travel as the XCLAIM / XGROUP SETID / XGROUP CREATECONSUMER commands Redis
 * propagates, never as the XREADGROUP itself.
 */
final class StreamReads {
    /** Entries a blocked read without COUNT gets when served (XREAD_BLOCKED_DEFAULT_COUNT). */
    private static final long BLOCKED_DEFAULT_COUNT = 1000;
    private static final byte[] XCLAIM = Bytes.ascii("XCLAIM");
    private static final byte[] XGROUP = Bytes.ascii("XGROUP");
    private static final byte[] ZERO = Bytes.ascii("0");
    private static final byte[] TIME = Bytes.ascii("TIME");
    private static final byte[] RETRYCOUNT = Bytes.ascii("RETRYCOUNT");
    private static final byte[] FORCE = Bytes.ascii("FORCE");
    private static final byte[] JUSTID = Bytes.ascii("JUSTID");
    private static final byte[] LASTID = Bytes.ascii("LASTID");
    private static final byte[] SETID = Bytes.ascii("SETID");
    private static final byte[] ENTRIESREAD = Bytes.ascii("ENTRIESREAD");
    private static final byte[] CREATECONSUMER = Bytes.ascii("CREATECONSUMER");

    private StreamReads() {
    }

    /**
     * XREAD [COUNT n] [BLOCK ms] STREAMS key ... id ... and XREADGROUP GROUP g c [COUNT n]
     * [BLOCK ms] [NOACK] STREAMS key ... id ...: with BLOCK and nothing to read, the client waits,
     * XREAD's "$" ids fixed to what they meant, and is served again when one of the streams is
     * written (a key turned into another type does not wake it).
     */
    static void read(CommandContext ctx, boolean xreadgroup) {
        long deadline = -1;
        long count = 0;
        int streamsArg = 0;
        int streams = 0;
        boolean noack = false;
        byte[] groupName = null;
        byte[] consumerName = null;
        for (int i = 1; i < ctx.argc; i++) {
            int more = ctx.argc - i - 1;
            if (ctx.argIs(i, "block") && more > 0) {
                if (ctx.isScriptClient()) {
                    throw new CommandError("ERR " + Bytes.latin1(ctx.argv[0])
                            + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                deadline = Timeouts.deadlineMillis(ctx, i);
            } else if (ctx.argIs(i, "count") && more > 0) {
                i++;
                count = Math.max(0, ctx.longArg(i));
            } else if (ctx.argIs(i, "streams") && more > 0) {
                streamsArg = i + 1;
                streams = ctx.argc - streamsArg;
                if (streams % 2 != 0) {
                    throw new CommandError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                }
                streams /= 2;
                break;
            } else if (ctx.argIs(i, "group") && more >= 2) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupName = ctx.argv[i + 1];
                consumerName = ctx.argv[i + 2];
                i += 2;
            } else if (ctx.argIs(i, "noack")) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        if (streamsArg == 0) {
            throw Errors.E_SYNTAX;
        }
        if (xreadgroup && groupName == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        byte[][] keys = new byte[streams][];
        for (int i = 0; i < streams; i++) {
            keys[i] = ctx.argv[streamsArg + i];
        }
        int[] hashes = KeyLocks.lock(ctx, keys);
        boolean retry = ctx.isRetry();
        Entry[] entries = new Entry[streams];
        StreamId[] after = new StreamId[streams];
        ConsumerGroup[] groups = groupName == null ? null : new ConsumerGroup[streams];
        for (int i = 0; i < streams; i++) {
            Segment seg = ctx.db().segment(hashes[i]);
            Entry e = Lookup.read(ctx, seg, keys[i], hashes[i]);
            if (e == null || !e.isType(ValueType.STREAM)) {
                if (retry) {
                    if (groupName != null) {
                        // a group reader whose stream was deleted or replaced: its group is gone with it
                        throw new CommandError("UNBLOCKED the stream key no longer exists");
                    }
                    if (e != null) {
                        // a reader woken by a key that is no stream now keeps waiting, as in Redis
                        return;
                    }
                } else if (e != null) {
                    throw Errors.E_WRONGTYPE;
                }
            }
            entries[i] = e;
            if (groups != null) {
                groups[i] = e == null ? null : StreamCommands.stream(e).group(groupName);
                if (groups[i] == null) {
                    if (retry) {
                        throw new CommandError("NOGROUP the consumer group this client was blocked on no longer exists");
                    }
                    throw new CommandError("NOGROUP No such key '" + Bytes.cString(keys[i]) + "' or consumer group '"
                            + Bytes.cString(groupName) + "' in XREADGROUP with GROUP option");
                }
            }
            byte[] idArg = ctx.argv[streamsArg + streams + i];
            if (idArg.length == 1 && idArg[0] == '$') {
                if (xreadgroup) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read "
                            + "the history of this consumer by specifying a proper ID, or use the > ID to get new "
                            + "messages. The $ ID would just return an empty result set.");
                }
                after[i] = e == null ? StreamId.MIN : StreamCommands.stream(e).lastId();
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!xreadgroup) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                }
                // the largest id marks ">", as in Redis: the group's last id is read when serving
                after[i] = StreamId.MAX;
            } else {
                after[i] = StreamCommands.parseId(idArg, 0, true, null);
            }
        }

        Reply r = ctx.reply;
        long n = retry && count == 0 ? BLOCKED_DEFAULT_COUNT : count;
        if (groups == null ? serveReads(r, keys, entries, after, n) : serveGroups(ctx, keys, hashes, entries, after,
                groups, groupName, consumerName, n, noack, retry)) {
            return;
        }
        if (retry) {
            return;
        }
        if (deadline >= 0) {
            // "$" means the last id as of now: the waiting command keeps what it meant
            byte[][] argv = java.util.Arrays.copyOf(ctx.argv, ctx.argc);
            for (int i = 0; i < streams; i++) {
                byte[] idArg = argv[streamsArg + streams + i];
                if (idArg.length == 1 && idArg[0] == '$') {
                    argv[streamsArg + streams + i] = StreamCommands.idBytes(after[i].ms, after[i].seq);
                }
            }
            ctx.argv = argv;
            if (ctx.blocking().block(ctx, keys, deadline)) {
                return;
            }
        }
        r.nullArray();
    }

    /** XREAD's synchronous reply: the streams with entries after their id; false (nothing written) when none has. */
    private static boolean serveReads(Reply r, byte[][] keys, Entry[] entries, StreamId[] after, long count) {
        int streams = keys.length;
        int ready = 0;
        boolean[] serve = new boolean[streams];
        for (int i = 0; i < streams; i++) {
            if (entries[i] != null) {
                StreamValue s = StreamCommands.stream(entries[i]);
                if (s.length() > 0 && lastValidId(s).compareTo(after[i]) > 0) {
                    serve[i] = true;
                    ready++;
                }
            }
        }
        if (ready == 0) {
            return false;
        }
        header(r, ready);
        for (int i = 0; i < streams; i++) {
            if (serve[i]) {
                if (r.protocol() == 2) {
                    r.array(2);
                }
                r.bulk(keys[i]);
                StreamCommands.replyRange(r, StreamCommands.stream(entries[i]), start(after[i]), StreamId.MAX, count, false);
            }
        }
        return true;
    }

    private static void header(Reply r, int streams) {
        if (r.protocol() == 2) {
            r.array(streams);
        } else {
            r.map(streams);
        }
    }

    /** The first id after {@code after} (streamIncrID, which wraps the largest id to 0-0). */
    private static StreamId start(StreamId after) {
        StreamId s = after.next();
        return s == null ? StreamId.MIN : s;
    }

    /**
     * XREADGROUP's reply, stream after stream as Redis decides them: a history read is always
     * served, a ">" read when the stream moved past the group's last id (as that id stands after
     * the streams before it were served: a key may appear twice). False when nothing was served.
     */
    private static boolean serveGroups(CommandContext ctx, byte[][] keys, int[] hashes, Entry[] entries, StreamId[] after,
            ConsumerGroup[] groups, byte[] groupName, byte[] consumerName, long count, boolean noack, boolean retry) {
        io.cachalot.core.command.RecordingReply body = new io.cachalot.core.command.RecordingReply(ctx.reply.protocol());
        Reply out = ctx.reply;
        ctx.reply = body;
        int served = 0;
        try {
            for (int i = 0; i < keys.length; i++) {
                if (entries[i] == null) {
                    continue;
                }
                StreamValue s = StreamCommands.stream(entries[i]);
                boolean history = !after[i].equals(StreamId.MAX);
                StreamId from = after[i];
                if (!history) {
                    StreamId last = groups[i].lastId();
                    // a waiting reader is served once the stream's last id passed the group's
                    boolean ready = retry ? s.lastId().compareTo(last) > 0
                            : s.length() > 0 && lastValidId(s).compareTo(last) > 0;
                    if (!ready) {
                        continue;
                    }
                    from = last;
                }
                served++;
                if (body.protocol() == 2) {
                    body.array(2);
                }
                body.bulk(keys[i]);
                Segment seg = ctx.db().segment(hashes[i]);
                long before = seg.beforeUnsignalledMutation(entries[i]);
                Consumer c = consumer(ctx, groups[i], keys[i], groupName, consumerName, noack);
                if (history) {
                    replyHistory(body, s, c, start(from), count, ctx.now);
                } else {
                    replyNew(ctx, s, keys[i], groupName, groups[i], c, start(from), count, noack);
                }
                seg.afterMutation(entries[i], before);
                ctx.dirty(1);
            }
        } finally {
            ctx.reply = out;
        }
        ctx.propagateOnlyEffects();
        if (served == 0) {
            return false;
        }
        header(out, served);
        body.replayTo(out);
        return true;
    }

    /** The last live entry's id (streamLastValidID); the stream is not empty. */
    private static StreamId lastValidId(StreamValue s) {
        StreamValue.Cursor c = s.cursor(0, 0, -1L, -1L, true);
        return c.next() ? c.id() : StreamId.MIN;
    }

    /**
     * The consumer named {@code name}, seen now, or created with its event (streamLookupConsumer,
     * streamCreateConsumer); a reader's new consumer travels as XGROUP CREATECONSUMER when NOACK
     * gives no XCLAIM to carry it.
     */
    static Consumer consumer(CommandContext ctx, ConsumerGroup g, byte[] key, byte[] groupName, byte[] name,
            boolean noack) {
        Consumer c = g.consumer(name);
        if (c != null) {
            c.seenTime = ctx.now;
            return c;
        }
        c = g.createConsumer(name, ctx.now);
        ctx.dirty(1);
        ctx.notify(KeyEvent.XGROUP_CREATECONSUMER, key);
        if (noack && ctx.propagating()) {
            ctx.propagate(XGROUP, CREATECONSUMER, key, groupName, name);
        }
        return c;
    }

    /**
     * New entries from {@code start} for a group (streamReplyWithRange with a group): the group's
     * last id and read counter move, each entry becomes pending for {@code c} unless NOACK.
     */
    private static void replyNew(CommandContext ctx, StreamValue s, byte[] key, byte[] groupName, ConsumerGroup g,
            Consumer c, StreamId start, long count, boolean noack) {
        Reply r = ctx.reply;
        StreamValue.Cursor cur = s.cursor(start.ms, start.seq, -1L, -1L, false);
        long n = 0;
        while ((count == 0 || n < count) && cur.next()) {
            n++;
        }
        r.array((int) n);
        cur = s.cursor(start.ms, start.seq, -1L, -1L, false);
        boolean moved = false;
        for (long i = 0; i < n && cur.next(); i++) {
            long ms = cur.ms();
            long seq = cur.seq();
            moved |= s.advanceGroup(g, ms, seq);
            StreamCommands.replyEntry(r, cur);
            if (!noack) {
                StreamId id = new StreamId(ms, seq);
                PendingEntry p = g.deliver(id, c, ctx.now);
                if (ctx.propagating()) {
                    ctx.propagate(claimEffect(key, groupName, c, StreamCommands.idBytes(ms, seq), p, g));
                }
            }
        }
        if (noack && moved && ctx.propagating()) {
            StreamId last = g.lastId();
            ctx.propagate(XGROUP, SETID, key, groupName, StreamCommands.idBytes(last.ms, last.seq), ENTRIESREAD,
                    Numbers.toBytes(g.entriesRead));
        }
    }

    /**
     * XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last: how a pending
     * entry's change travels (streamPropagateXCLAIM).
     */
    static byte[][] claimEffect(byte[] key, byte[] groupName, Consumer c, byte[] id, PendingEntry p, ConsumerGroup g) {
        StreamId last = g.lastId();
        return new byte[][] {XCLAIM, key, groupName, c.name(), ZERO, id, TIME,
                Numbers.toBytes(p.deliveryTime), RETRYCOUNT, Numbers.toBytes(p.deliveryCount), FORCE, JUSTID, LASTID,
                StreamCommands.idBytes(last.ms, last.seq)};
    }

    /** XGROUP SETID key group last ENTRIESREAD n (streamPropagateGroupID). */
    static byte[][] setIdEffect(byte[] key, byte[] groupName, ConsumerGroup g) {
        StreamId last = g.lastId();
        return new byte[][] {XGROUP, SETID, key, groupName, StreamCommands.idBytes(last.ms, last.seq), ENTRIESREAD,
                Numbers.toBytes(g.entriesRead)};
    }

    /**
     * The consumer's own pending entries from {@code start} (streamReplyWithRangeFromConsumerPEL):
     * each delivered again (time, count), an entry deleted since shown as its id and a null.
     */
    private static void replyHistory(Reply r, StreamValue s, Consumer c, StreamId start, long count, long now) {
        java.util.NavigableMap<StreamId, PendingEntry> tail = c.pending().tailMap(start, true);
        long n = count == 0 ? tail.size() : Math.min(count, tail.size());
        r.array((int) n);
        long i = 0;
        for (Map.Entry<StreamId, PendingEntry> pe : tail.entrySet()) {
            if (i++ == n) {
                break;
            }
            StreamId id = pe.getKey();
            StreamValue.Cursor cur = s.cursor(id.ms, id.seq, id.ms, id.seq, false);
            if (cur.next()) {
                StreamCommands.replyEntry(r, cur);
                pe.getValue().deliveryTime = now;
                pe.getValue().deliveryCount++;
            } else {
                r.array(2);
                r.bulk(StreamCommands.idBytes(id.ms, id.seq));
                r.nullArray();
            }
        }
    }
}
