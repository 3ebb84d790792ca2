package io.cachalot.core.keyspace;

import io.cachalot.core.types.MemorySize;

/**
 * The entry of a by-reference JCache cache whose keys are Longs or Integers: it also keeps the
 * application's immutable key object, so that the cache's look-ups match it by identity before
 * comparing key bytes, as a map holding its callers' keys does. Only
 * {@link Segment#insert(byte[], int, Object, ValueType, Encoding, Object, byte)} with a key object
 * creates one; every other key is a plain {@link Entry}.
 */
final class ReferenceKeyEntry extends Entry {
    /** Which keys {@link #keyObject} stands for ({@link Keyspace#keyOwner}), never 0. */
    final byte keyOwner;
    /** The application's key object; final, like the key it stands for. */
    final Object keyObject;

    ReferenceKeyEntry(byte[] key, int hash, Object value, byte type, byte encoding, Object keyObject, byte keyOwner) {
        super(key, hash, value, type, encoding);
        this.keyObject = keyObject;
        this.keyOwner = keyOwner;
    }

    /** Whether {@code e} keeps {@code keyObject} for {@code keyOwner}, an owner. */
    static boolean owns(Entry e, Object keyObject, byte keyOwner) {
        return e instanceof ReferenceKeyEntry && ((ReferenceKeyEntry) e).keyObject == keyObject
                && ((ReferenceKeyEntry) e).keyOwner == keyOwner;
    }

    @Override
    public long memoryUsage() {
        return super.memoryUsage() + MemorySize.ENTRY_VARIANT + MemorySize.memo(keyObject);
    }
}
