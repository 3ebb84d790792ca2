package io.cachalot.core.keyspace;

import io.cachalot.core.types.MemorySize;

/**
 * The entry of a by-value JCache cache that keeps decoded values: besides the stored bytes, the
 * immutable object (a String or a Long) the application last decoded from them, so that reads
 * need not decode again. Set only by {@link Segment#memoize}, dropped by every change of the
 * value. Only an insert that asks for it creates one: the field would cost every other key
 * 8 bytes.
 */
final class MemoEntry extends Entry {
    Object memo;

    MemoEntry(byte[] key, int hash, Object value, byte type, byte encoding) {
        super(key, hash, value, type, encoding);
    }

    @Override
    public Object memo() {
        return memo;
    }

    @Override
    public long memoryUsage() {
        long m = super.memoryUsage() + MemorySize.ENTRY_VARIANT;
        return memo == null ? m : m + MemorySize.memo(memo);
    }
}
