package io.cachalot.core.command.hashes;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.hash.HashValue;

/**
 * Look-ups and bookkeeping shared by the hash commands (and SORT's {@code ->} patterns). Fields
 * whose own expiry time has passed are removed when their hash is looked up, so every command sees
 * only live fields; a hash left empty is deleted. The caller holds the key's segment lock.
 */
public final class Hashes {
    private Hashes() {
    }

    public static HashValue hash(Entry e) {
        return (HashValue) e.value();
    }

    /** A read look-up of a hash key: null when absent (or only expired fields), WRONGTYPE otherwise. */
    public static Entry read(CommandContext ctx, KeyLock k) {
        return purge(ctx, k.segment(), k.read(ValueType.HASH));
    }

    /** A write look-up of a hash key. */
    public static Entry write(CommandContext ctx, KeyLock k) {
        return purge(ctx, k.segment(), k.write(ValueType.HASH));
    }

    /** Removes the expired fields of {@code e}'s hash; null (and the key deleted) when none is left. */
    public static Entry purge(CommandContext ctx, Segment seg, Entry e) {
        if (e == null) {
            return null;
        }
        HashValue hv = hash(e);
        if (!hv.mayHaveExpired(ctx.now)) {
            return e;
        }
        long before = seg.beforeMutation(e);
        int n = hv.removeExpired(ctx.now, null);
        seg.afterMutation(e, before);
        ctx.keyspace().stats().expiredFields.add(n);
        if (n > 0) {
            ctx.notify(KeyEvent.HEXPIRED, e.key());
        }
        if (hv.isEmpty()) {
            ctx.dirty(1);
            Keys.deleteEmptied(ctx, seg, e);
            return null;
        }
        return e;
    }

    /** Adds an empty hash under a key known to be absent; the caller fills it. */
    static Entry create(Segment seg, byte[] key, int h) {
        return seg.insert(key, h, new HashValue(), ValueType.HASH, Encoding.LISTPACK);
    }

    /** After changing a hash in place: accounts memory, reports the encoding, tracks field expiry. */
    static void changed(Segment seg, Entry e, long sizeBefore) {
        seg.afterMutation(e, sizeBefore);
        HashValue hv = hash(e);
        Encoding enc = hv.encoding();
        if (e.encoding() != enc) {
            seg.setEncoding(e, enc);
        }
        if (hv.hasSubExpiry()) {
            seg.trackSubExpiry(e);
        }
    }

    /**
     * Sets a field as Redis' hashTypeSet: a field or value longer than hash-max-listpack-value, or
     * one field more than hash-max-listpack-entries, turns a packed hash into a table. Returns
     * true when the field is new.
     */
    static boolean put(CommandContext ctx, HashValue hv, byte[] field, byte[] value, boolean keepTtl) {
        if (hv.isPacked()) {
            long max = ctx.settings().hashMaxListpackValue.value();
            if (field.length > max || value.length > max) {
                hv.toTable();
            }
        }
        boolean created = hv.put(field, value, keepTtl);
        if (created && hv.isPacked() && hv.size() > ctx.settings().hashMaxListpackEntries.value()) {
            hv.toTable();
        }
        return created;
    }
}
