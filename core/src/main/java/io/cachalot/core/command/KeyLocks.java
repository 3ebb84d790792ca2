package io.cachalot.core.command;

import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.LockSet;
import io.cachalot.core.util.Bytes;

/**
 * Locks the segments of several keys of the current database at once, in the global lock order
 * (the dispatcher releases them after the command). Returns each key's hash.
 */
public final class KeyLocks {
    private KeyLocks() {
    }

    public static int[] lock(CommandContext ctx, byte[][] keys) {
        Database db = ctx.db();
        LockSet locks = ctx.locks();
        int[] hashes = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            hashes[i] = Bytes.hash(keys[i]);
            locks.add(db, hashes[i]);
        }
        locks.lock();
        return hashes;
    }

    /** Arguments {@code from} (inclusive) to {@code to} (exclusive) as an array. */
    public static byte[][] args(CommandContext ctx, int from, int to) {
        byte[][] keys = new byte[to - from][];
        System.arraycopy(ctx.argv, from, keys, 0, keys.length);
        return keys;
    }
}
