package io.cachalot.core.command;

import io.cachalot.core.keyspace.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;

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
        ctx.engine().dirty.increment();
        if (existing == null) {
            return seg.insert(key, hash, value, type, encoding);
        }
        seg.setValue(existing, value, type, encoding);
        if (!keepTtl && existing.hasExpiry()) {
            seg.setExpireAt(existing, Entry.NO_EXPIRY);
        }
        return existing;
    }

    /** Deletes a live entry. */
    public static void delete(CommandContext ctx, Segment seg, Entry e) {
        ctx.engine().dirty.increment();
        seg.remove(e);
    }
}
