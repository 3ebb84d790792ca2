package io.cachalot.provider.store;

import io.cachalot.core.util.DecimalKey;

import java.util.Iterator;

/**
 * Where a JCache (or Spring) cache keeps its entries: one store per cache. The JCache semantics
 * (expiry policy, events, loader/writer, statistics) live above it, so the embedded engine and a
 * remote RESP server plug in under the same cache code.
 *
 * <p>Keys are store keys: {@link #keyPrefix()} followed by the cache's encoding of its key (the
 * cache builds them in one array, see {@code Codec#encode(Object, byte[])}); values are what the
 * cache stores: encoded bytes, or an object held by reference when {@link #supportsReferences()}.
 */
public interface CacheStore extends AutoCloseable {
    /**
     * Runs {@code op} on the entry of {@code key} atomically: no other change to that entry
     * happens between the operation's reads and writes. The operation may call back into code of
     * the application (loader, writer, expiry policy); it must not run other operations of this
     * store on other keys while it holds the entry.
     */
    <R> R compute(byte[] key, EntryOperation<R> op);

    /**
     * {@link #compute(byte[], EntryOperation)} on the key for {@code n} in {@code key}'s form (a
     * form of this store's {@link #keyPrefix()} followed by a number's digits),
     * 0 &lt;= n &lt; {@link DecimalKey#LIMIT}: a store that finds such keys by the number writes the
     * key out only to create the entry. {@code keyObject} is the application's key for it, an
     * immutable Long or Integer: a store may keep it with an entry it creates and find that entry
     * by its identity later (see {@link #peek(DecimalKey, long, Object)}).
     */
    default <R> R compute(DecimalKey key, long n, Object keyObject, EntryOperation<R> op) {
        return compute(key.toBytes(n), op);
    }

    /**
     * The value of a live entry, read without taking the entry (a store may answer null whenever
     * it cannot tell cheaply, or when the value is not of the store's kind — bytes in a store of
     * encoded values, an object in a store of references: the caller then uses {@link #compute}). Records the access for
     * eviction; changes nothing else, so only reads that would leave the entry as it is use it.
     * In a store of encoded values, the answer is the object {@link #memoize memoized} for the
     * current bytes when there is one, else the bytes.
     */
    Object peek(byte[] key);

    /**
     * Offers {@code decoded}, an immutable object (never a {@code byte[]}) decoded from the bytes
     * {@code value} that {@link #peek} just answered for {@code key}, for later peeks to answer
     * instead of those bytes for as long as the entry holds them. A store may decline (this one
     * by default does): callers decode whatever bytes they get. Returns whether it was kept.
     */
    default boolean memoize(byte[] key, byte[] value, Object decoded) {
        return false;
    }

    /** Whether {@link #memoize} may keep anything (false: callers need not offer). */
    default boolean memoizes() {
        return false;
    }

    /**
     * {@link #peek(byte[])} of the key for {@code n} in {@code key}'s form (a form of this store's
     * {@link #keyPrefix()} followed by a number's digits), 0 &lt;= n &lt; {@link DecimalKey#LIMIT}:
     * a store that hashes and compares such keys directly needs no array for the look-up.
     * {@code keyObject}, the application's immutable Long or Integer for the key, finds an entry
     * created with that very object without comparing key bytes, where the store keeps them.
     */
    default Object peek(DecimalKey key, long n, Object keyObject) {
        return peek(key.toBytes(n));
    }

    /** The bytes every key of this store starts with (a copy). */
    byte[] keyPrefix();

    /** Entries stored now (entries expired but not yet reclaimed may be counted). */
    long size();

    /** The keys, weakly consistent: keys added or removed during the walk may or may not appear. */
    Iterator<byte[]> keys();

    /** Removes every entry without notifying anyone; returns how many. */
    long clear();

    /**
     * Whether {@link #compute} holds only its entry, so that an operation may take long (run an
     * application's loader) without holding up other entries; and, for a store shared by several
     * JVMs, without another JVM changing the entry meanwhile. The embedded store holds a lock
     * stripe shared with other keys: loaders run outside it.
     */
    default boolean locksPerEntry() {
        return false;
    }

    /** Whether values may be Java objects held by reference (only in the application's JVM). */
    boolean supportsReferences();

    /** Receives entries that expired without being accessed (the store's own background expiry). */
    void setExpiryListener(ExpiryListener listener);

    /** Receives the number of entries the store evicted to stay within its bounds. */
    void setEvictionListener(EvictionListener listener);

    /**
     * Receives the changes made to this store's entries elsewhere — by other JVMs sharing a remote
     * store, or by the server's expiry there — while set (null stops it). Only a store that others
     * share reports anything; the embedded store reports its own expiry through
     * {@link #setExpiryListener} instead.
     */
    default void setForeignChangeListener(ForeignChangeListener listener) {
    }

    @Override
    void close();

    /** What a change made elsewhere did to an entry. */
    enum ForeignChange { CREATED, UPDATED, REMOVED, EXPIRED }

    /** Told of a change made elsewhere (on a thread of the store's; be quick). */
    @FunctionalInterface
    interface ForeignChangeListener {
        /** {@code oldValue}/{@code newValue}: encoded bytes, null when there is none or it is not known (expiry). */
        void changed(ForeignChange change, byte[] key, byte[] oldValue, byte[] newValue);
    }

    /** An atomic operation on one entry. */
    @FunctionalInterface
    interface EntryOperation<R> {
        R apply(StoreEntry entry);
    }

    /** Told of an entry expired in the background (may be called on any thread, under a lock: be quick). */
    @FunctionalInterface
    interface ExpiryListener {
        /** {@code bytes}: whether {@code value} is encoded bytes rather than a referenced object. */
        void expired(byte[] key, Object value, boolean bytes);
    }

    /** Told how many entries were evicted after a write. */
    @FunctionalInterface
    interface EvictionListener {
        void evicted(long count);
    }
}
