package io.cachalot.provider.store;

/**
 * The entry an {@link CacheStore.EntryOperation} works on, valid only during the operation. An
 * entry found expired is removed before the operation sees it: {@link #exists()} is false and
 * {@link #expiredValue()} holds the value it had, so that the cache can fire its expired event.
 */
public interface StoreEntry {
    /** Expiry time meaning "never" for {@link #set} and {@link #setExpireAt}. */
    long ETERNAL = -1L;

    boolean exists();

    /** The stored value (encoded bytes or a referenced object); null when absent. */
    Object value();

    /** Whether {@link #value()} is encoded bytes (rather than an object held by reference). */
    boolean valueIsBytes();

    /** The object {@link CacheStore#memoize memoized} for the current bytes, or null. */
    default Object memo() {
        return null;
    }

    /** {@link CacheStore#memoize} for the current bytes: {@code decoded} is immutable, never a {@code byte[]}. */
    default void memoize(Object decoded) {
    }

    /** Absolute expiry in Unix milliseconds, or {@link #ETERNAL}. */
    long expireAt();

    /** The value of an entry found expired by this access (and removed), otherwise null. */
    Object expiredValue();

    /** Whether {@link #expiredValue()} is encoded bytes. */
    boolean expiredIsBytes();

    /** The current time in Unix milliseconds, read once per operation (when first needed). */
    long now();

    /**
     * Creates or replaces the value, with an absolute expiry time or {@link #ETERNAL}: bytes in a
     * store of encoded values, any object in a store of references.
     */
    void set(Object value, long expireAt);

    /** Changes the expiry of an existing entry. */
    void setExpireAt(long expireAt);

    void remove();

    /** Records an access for the eviction policy. */
    void touch();

    /**
     * Counts this operation's look-up as a read of the store's keyspace (for the embedded engine,
     * INFO keyspace_hits or keyspace_misses, as a GET would): a hit when the entry exists.
     */
    default void countLookup() {
    }
}
