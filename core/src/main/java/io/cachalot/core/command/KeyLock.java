package io.cachalot.core.command;

import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.util.Bytes;

/**
 * One key of a command with its segment locked: the skeleton every single-key handler shares,
 * as Redis' lookupKeyRead/lookupKeyWrite. Open it with {@link CommandContext#lockKey} in a
 * try-with-resources; the lock is released when the block ends. One per context, reused: a
 * handler holds at most one at a time (multi-key commands use a LockSet).
 *
 * <pre>
 * try (KeyLock k = ctx.lockKey(1)) {
 *     Entry e = k.read(ValueType.LIST);   // null when absent, WRONGTYPE when another type
 *     ...
 * }
 * </pre>
 */
public final class KeyLock implements AutoCloseable {
    private final CommandContext ctx;
    private byte[] key;
    private int hash;
    private Segment seg;
    /** False for one key of a {@link KeyPair}, whose lock set holds the locks. */
    private boolean ownsLock;

    KeyLock(CommandContext ctx) {
        this.ctx = ctx;
    }

    KeyLock open(byte[] key) {
        if (seg != null) {
            throw new IllegalStateException("a KeyLock of this command is already open");
        }
        int h = Bytes.hash(key);
        this.key = key;
        this.hash = h;
        this.seg = ctx.db().lock(h);
        this.ownsLock = true;
        return this;
    }

    /** A key of a pair: its segment is (or is about to be) locked by the context's lock set. */
    KeyLock attach(byte[] key, int hash, Segment seg) {
        this.key = key;
        this.hash = hash;
        this.seg = seg;
        this.ownsLock = false;
        return this;
    }

    public byte[] key() {
        return key;
    }

    public int hash() {
        return hash;
    }

    /** The key's segment, locked. */
    public Segment segment() {
        return seg;
    }

    /** A read look-up ({@link Lookup#read}): counts a hit or miss and records the access. */
    public Entry read() {
        return Lookup.read(ctx, seg, key, hash);
    }

    /** {@link #read()} of a key that must hold {@code type}: null when absent, WRONGTYPE otherwise. */
    public Entry read(ValueType type) {
        return Lookup.read(ctx, seg, key, hash, type);
    }

    /** A read that does not record the access but counts a hit or miss ({@link Lookup#readNoTouch}). */
    public Entry readNoTouch() {
        return Lookup.readNoTouch(ctx, seg, key, hash);
    }

    /**
     * {@link #read(ValueType)} that answers a null bulk string when the key is absent, as Redis'
     * lookupKeyReadOrReply: the handler returns when this returns null.
     */
    public Entry readOrNullBulk(ValueType type) {
        Entry e = read(type);
        if (e == null) {
            ctx.reply.nullBulk();
        }
        return e;
    }

    /** {@link #read(ValueType)} that answers an empty array when the key is absent. */
    public Entry readOrEmptyArray(ValueType type) {
        Entry e = read(type);
        if (e == null) {
            ctx.reply.array(0);
        }
        return e;
    }

    /** A write look-up ({@link Lookup#write}): records the access, counts nothing. */
    public Entry write() {
        return Lookup.write(ctx, seg, key, hash);
    }

    /** {@link #write()} of a key that must hold {@code type}: null when absent, WRONGTYPE otherwise. */
    public Entry write(ValueType type) {
        return Lookup.write(ctx, seg, key, hash, type);
    }

    /** {@link #write(ValueType)} that answers 0 when the key is absent (lookupKeyWriteOrReply). */
    public Entry writeOrZero(ValueType type) {
        Entry e = write(type);
        if (e == null) {
            ctx.reply.integer(0);
        }
        return e;
    }

    /** The live entry without Redis' look-up side effects (before an overwrite). */
    public Entry live() {
        return seg.findLive(key, hash, ctx.now);
    }

    /** Stores a whole value ({@link Keys#store}) over {@code existing}, the live entry or null. */
    public Entry store(Entry existing, Object value, ValueType type, Encoding encoding, boolean keepTtl) {
        return Keys.store(ctx, seg, key, hash, existing, value, type, encoding, keepTtl);
    }

    /** Deletes the live entry {@code e} of this key ({@link Keys#delete}). */
    public void delete(Entry e) {
        Keys.delete(ctx, seg, e);
    }

    @Override
    public void close() {
        Segment s = seg;
        seg = null;
        key = null;
        if (ownsLock) {
            s.unlock();
        }
    }
}
