package io.cachalot.core.command;

import io.cachalot.core.keyspace.Database;
import io.cachalot.core.util.Bytes;

/**
 * Two keys of a command (RENAME, LMOVE, LCS …) with both segments locked in the global order,
 * through the context's lock set: {@link KeyLock} for two. Open it with
 * {@link CommandContext#lockKeys} in a try-with-resources; the same key twice is fine (the
 * segment locks are re-entrant). One per context, reused.
 */
public final class KeyPair implements AutoCloseable {
    private final CommandContext ctx;
    private final KeyLock first;
    private final KeyLock second;

    KeyPair(CommandContext ctx) {
        this.ctx = ctx;
        this.first = new KeyLock(ctx);
        this.second = new KeyLock(ctx);
    }

    KeyPair open(byte[] a, byte[] b) {
        Database db = ctx.db();
        int ha = Bytes.hash(a);
        int hb = Bytes.hash(b);
        ctx.locks().add(db, ha).add(db, hb).lock();
        first.attach(a, ha, db.segment(ha));
        second.attach(b, hb, db.segment(hb));
        return this;
    }

    public KeyLock first() {
        return first;
    }

    public KeyLock second() {
        return second;
    }

    @Override
    public void close() {
        first.close();
        second.close();
        ctx.locks().unlock();
    }
}
