package io.cachalot.core.blocking;

import io.cachalot.core.util.Bytes;

import java.util.Arrays;

/** A key of a database that clients wait on. */
public final class BlockKey {
    final int db;
    final byte[] key;
    private final int hash;

    public BlockKey(int db, byte[] key) {
        this.db = db;
        this.key = key;
        this.hash = Bytes.hash(key) * 31 + db;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockKey && ((BlockKey) o).db == db && Arrays.equals(((BlockKey) o).key, key);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
