package io.cachalot.core.propagate;

import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.types.hash.HashValue;
import io.cachalot.core.types.list.QuickList;
import io.cachalot.core.types.set.SetValue;
import io.cachalot.core.types.zset.ZSetValue;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Doubles;

/**
 * A key's whole state as the commands that rebuild it, as Redis' AOF rewrite writes them: SET,
 * RPUSH, SADD, ZADD and HMSET with at most 64 elements per command, then PEXPIREAT when the key
 * has a time to live (a string with one is a single {@code SET … PXAT}) (HPEXPIREAT per field for hash fields that have one). Used for an AOF base
 * without an RDB preamble and for changes made outside any command (a JCache put).
 */
public final class CommandForm {
    /** Redis' AOF_REWRITE_ITEMS_PER_CMD. */
    static final int ITEMS_PER_COMMAND = 64;

    private static final byte[] ONE = Bytes.ascii("1");

    private CommandForm() {
    }

    /** Whether {@code e}'s value has a command form (by-reference JCache objects have none). */
    public static boolean has(Entry e) {
        switch (e.type()) {
            case STRING:
                return e.value() instanceof byte[] || e.value() instanceof io.cachalot.core.types.InPlaceString;
            case LIST:
            case SET:
            case ZSET:
            case HASH:
            case STREAM:
                return true;
            default:
                return false;
        }
    }

    /** Appends the commands that rebuild {@code e} (its type must have a form: {@link #has}). */
    public static void write(CommandBuffer out, Entry e) {
        byte[] key = e.key();
        Object v = e.value();
        ValueType type = e.type();
        switch (type) {
            case STRING:
                if (e.expireAt() != Entry.NO_EXPIRY) {
                    // one command, so that a cache's put with an expiry needs no MULTI
                    out.header('*', 5).bulk(Propagated.SET).bulk(key).bulk(e.bytes()).bulk(Propagated.PXAT).bulk(e.expireAt());
                    return;
                }
                out.header('*', 3).bulk(Propagated.SET).bulk(key).bulk(e.bytes());
                break;
            case LIST:
                writeList(out, key, (QuickList) v);
                break;
            case SET:
                writeSet(out, key, (SetValue) v);
                break;
            case ZSET:
                writeZset(out, key, (ZSetValue) v);
                break;
            case HASH:
                writeHash(out, key, (HashValue) v);
                break;
            case STREAM:
                writeStream(out, key, (io.cachalot.core.types.stream.StreamValue) v);
                break;
            default:
                throw new IllegalArgumentException("no command form for " + type);
        }
        if (e.expireAt() != Entry.NO_EXPIRY) {
            out.header('*', 3).bulk(Propagated.PEXPIREAT).bulk(key).bulk(e.expireAt());
        }
    }

    private static void writeList(CommandBuffer out, byte[] key, QuickList q) {
        long left = q.length();
        if (left == 0) {
            return;
        }
        QuickList.Cursor c = q.at(0);
        do {
            int n = (int) Math.min(left, ITEMS_PER_COMMAND);
            out.header('*', n + 2).bulk(Propagated.RPUSH).bulk(key);
            for (int i = 0; i < n; i++) {
                out.bulk(c.array(), c.offset(), c.length());
                c.next();
            }
            left -= n;
        } while (left > 0);
    }

    private static void writeSet(CommandBuffer out, byte[] key, SetValue s) {
        int left = s.size();
        SetValue.Cursor c = s.cursor();
        while (left > 0) {
            int n = Math.min(left, ITEMS_PER_COMMAND);
            out.header('*', n + 2).bulk(Propagated.SADD).bulk(key);
            for (int i = 0; i < n; i++) {
                c.next();
                out.bulk(c.array(), 0, c.length());
            }
            left -= n;
        }
    }

    private static final byte[] XADD = Bytes.ascii("XADD");
    private static final byte[] XSETID = Bytes.ascii("XSETID");
    private static final byte[] MAXLEN = Bytes.ascii("MAXLEN");
    private static final byte[] ZERO = Bytes.ascii("0");
    private static final byte[] ENTRIESADDED = Bytes.ascii("ENTRIESADDED");
    private static final byte[] MAXDELETEDID = Bytes.ascii("MAXDELETEDID");
    private static final byte[] XGROUP = Bytes.ascii("XGROUP");
    private static final byte[] CREATE = Bytes.ascii("CREATE");
    private static final byte[] CREATECONSUMER = Bytes.ascii("CREATECONSUMER");
    private static final byte[] ENTRIESREAD = Bytes.ascii("ENTRIESREAD");
    private static final byte[] XCLAIM = Bytes.ascii("XCLAIM");
    private static final byte[] TIME = Bytes.ascii("TIME");
    private static final byte[] RETRYCOUNT = Bytes.ascii("RETRYCOUNT");
    private static final byte[] JUSTID = Bytes.ascii("JUSTID");
    private static final byte[] FORCE = Bytes.ascii("FORCE");

    private static byte[] id(long ms, long seq) {
        return io.cachalot.core.types.stream.StreamId.bytes(ms, seq);
    }

    /**
     * A stream as Redis' rewriteStreamObject gives it: an XADD per entry with its id (an empty
     * stream: one XADD MAXLEN 0 that creates it), then XSETID with the last id, the number of
     * entries ever added and the largest deleted id, then per consumer group XGROUP CREATE, an
     * XCLAIM per pending entry and XGROUP CREATECONSUMER per consumer that owns none.
     */
    private static void writeStream(CommandBuffer out, byte[] key, io.cachalot.core.types.stream.StreamValue s) {
        io.cachalot.core.types.stream.StreamValue.Cursor c = s.cursor(0, 0, -1L, -1L, false);
        boolean any = false;
        while (c.next()) {
            any = true;
            io.cachalot.core.types.listpack.Listpack lp = c.listpack();
            out.header('*', 3 + 2 * c.fieldCount()).bulk(XADD).bulk(key).bulk(id(c.ms(), c.seq()));
            for (int i = 0; i < c.fieldCount(); i++) {
                out.bulk(lp.bytesAt(c.fieldAt()));
                out.bulk(lp.bytesAt(c.valueAt()));
                c.advanceField();
            }
        }
        io.cachalot.core.types.stream.StreamId last = s.lastId();
        if (!any) {
            // 0-1, as Redis: any id works (XSETID follows), and the last id may be 0-0
            out.header('*', 7).bulk(XADD).bulk(key).bulk(MAXLEN).bulk(ZERO).bulk(id(0, 1))
                    .bulk(Bytes.ascii("x")).bulk(Bytes.ascii("y"));
        }
        io.cachalot.core.types.stream.StreamId del = s.maxDeletedId();
        out.header('*', 7).bulk(XSETID).bulk(key).bulk(id(last.ms, last.seq)).bulk(ENTRIESADDED)
                .bulk(s.entriesAdded()).bulk(MAXDELETEDID).bulk(id(del.ms, del.seq));
        for (io.cachalot.core.types.stream.ConsumerGroup g : s.groups()) {
            io.cachalot.core.types.stream.StreamId gl = g.lastId();
            out.header('*', 7).bulk(XGROUP).bulk(CREATE).bulk(key).bulk(g.name()).bulk(id(gl.ms, gl.seq))
                    .bulk(ENTRIESREAD).bulk(g.entriesRead);
            for (io.cachalot.core.types.stream.Consumer owner : g.consumers().values()) {
                if (owner.pending().isEmpty()) {
                    out.header('*', 5).bulk(XGROUP).bulk(CREATECONSUMER).bulk(key).bulk(g.name()).bulk(owner.name());
                    continue;
                }
                // rioWriteStreamPendingEntry: the entry, its owner, time and count, exactly
                for (java.util.Map.Entry<io.cachalot.core.types.stream.StreamId, io.cachalot.core.types.stream.PendingEntry> pe
                        : owner.pending().entrySet()) {
                    out.header('*', 12).bulk(XCLAIM).bulk(key).bulk(g.name()).bulk(owner.name()).bulk(ZERO)
                            .bulk(id(pe.getKey().ms, pe.getKey().seq)).bulk(TIME).bulk(pe.getValue().deliveryTime)
                            .bulk(RETRYCOUNT).bulk(pe.getValue().deliveryCount).bulk(JUSTID).bulk(FORCE);
                }
            }
        }
    }

    private static void writeZset(CommandBuffer out, byte[] key, ZSetValue z) {
        int left = z.size();
        if (left == 0) {
            return;
        }
        ZSetValue.Cursor c = z.cursor();
        c.seek(0);
        while (left > 0) {
            int n = Math.min(left, ITEMS_PER_COMMAND);
            out.header('*', 2 * n + 2).bulk(Propagated.ZADD).bulk(key);
            for (int i = 0; i < n; i++) {
                out.bulk(Doubles.format17gBytes(c.score()));
                out.bulk(c.memberArray(), c.memberOffset(), c.memberLength());
                c.next();
            }
            left -= n;
        }
    }

    private static void writeHash(CommandBuffer out, byte[] key, HashValue h) {
        int left = h.size();
        HashValue.Cursor c = h.cursor();
        while (left > 0) {
            int n = Math.min(left, ITEMS_PER_COMMAND);
            out.header('*', 2 * n + 2).bulk(Propagated.HMSET).bulk(key);
            for (int i = 0; i < n; i++) {
                c.next();
                out.bulk(c.fieldArray(), c.fieldOffset(), c.fieldLength());
                out.bulk(c.valueArray(), c.valueOffset(), c.valueLength());
            }
            left -= n;
        }
        if (h.hasTtls()) {
            HashValue.Cursor f = h.cursor();
            while (f.next()) {
                byte[] field = java.util.Arrays.copyOfRange(f.fieldArray(), f.fieldOffset(), f.fieldOffset() + f.fieldLength());
                long at = h.ttl(field);
                if (at > 0) {
                    out.header('*', 6).bulk(Propagated.HPEXPIREAT).bulk(key).bulk(at).bulk(Propagated.FIELDS).bulk(ONE).bulk(field);
                }
            }
        }
    }
}
