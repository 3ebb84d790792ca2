package io.cachalot.core.command;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.string.StringEncoding;

/** Storing and deleting keys with Redis' setKey/dbDelete semantics. The caller holds the lock. */
public final class Keys {
    private Keys() {
    }

    /**
     * Stores a value under a key whose current live entry is {@code existing} (or null): the
     * value replaces any old one of any type, and the time to live is cleared unless
     * {@code keepTtl}.
     */
    public static Entry store(CommandContext ctx, Segment seg, byte[] key, int hash, Entry existing,
                              Object value, ValueType type, Encoding encoding, boolean keepTtl) {
        ctx.dirty(1);
        Entry e = seg.store(key, hash, existing, value, type, encoding, keepTtl);
        markShared(ctx, e);
        return e;
    }

    /**
     * Stores a computed result under {@code dst} of the current database (a *STORE command's
     * destination, whose lock the caller holds): it replaces any value and TTL, or, when
     * {@code value} is null, {@code dst} is deleted. A stored result is announced as {@code event}.
     */
    public static void replaceOrDelete(CommandContext ctx, byte[] dst, Object value, ValueType type,
                                       Encoding encoding, KeyEvent event) {
        int h = io.cachalot.core.util.Bytes.hash(dst);
        Segment seg = ctx.db().segment(h);
        Entry existing = Lookup.write(ctx, seg, dst, h);
        if (value != null) {
            store(ctx, seg, dst, h, existing, value, type, encoding, false);
            ctx.notify(event, dst);
        } else if (existing != null) {
            delete(ctx, seg, existing);
        }
    }

    /**
     * Deletes a collection that a command left empty (its removals were counted as changes
     * already), announced as "del" after the command's own event, as Redis.
     */
    public static void deleteEmptied(CommandContext ctx, Segment seg, Entry e) {
        seg.remove(e);
        ctx.notify(KeyEvent.DEL, e.key());
    }

    /**
     * LLEN, SCARD, ZCARD: replies the number of elements of argument 1's collection of
     * {@code type}, 0 when the key is absent (WRONGTYPE for another type).
     */
    public static void replyLength(CommandContext ctx, ValueType type) {
        long n;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(type);
            n = e == null ? 0 : ((io.cachalot.core.types.MutableValue) e.value()).length();
        }
        ctx.reply.integer(n);
    }

    /** Records whether the (new) value is one of the integers Redis shares. */
    public static void markShared(CommandContext ctx, Entry e) {
        e.setSharedInteger(e.isType(ValueType.STRING) && e.encoding() == Encoding.INT
                && StringEncoding.shared(e.bytes(), e.encoding(), ctx.sharedIntegers()));
    }

    /** Deletes a live entry of the current database by a command, which Redis announces as "del". */
    public static void delete(CommandContext ctx, Segment seg, Entry e) {
        ctx.dirty(1);
        seg.remove(e);
        ctx.notify(KeyEvent.DEL, e.key());
    }
}
