package io.cachalot.provider;

import io.cachalot.core.util.DecimalKey;
import io.cachalot.provider.store.CacheStore;

import java.util.Arrays;

/**
 * The paths of a cache whose keys are whole numbers stored as decimal text (Long and Integer
 * keys). On a hit, the store key, the cache's prefix followed by the digits, is looked up as a
 * {@link DecimalKey} ({@link CacheStore#peek(DecimalKey, long, Object)}), hashed from the number and
 * compared with the stored key's digits without the number being written out as text. Every
 * instruction on a hit counts: the processor overlaps the cache misses of consecutive gets only
 * while the instructions between them fit its window (docs/benchmarks.md, MissOverlap). The
 * operations that take the entry ({@link #compute}) find it the same way, so only one that
 * creates the entry writes its key out.
 */
final class NumberKeyLookup {
    /** The class of the keys this look-up serves (Long or Integer). */
    final Class<?> keyType;
    private final DecimalKey positive;
    private final DecimalKey negative;

    private NumberKeyLookup(Class<?> keyType, DecimalKey positive, DecimalKey negative) {
        this.keyType = keyType;
        this.positive = positive;
        this.negative = negative;
    }

    /**
     * A look-up for keys of {@code keyType} after {@code prefix}, or null when there are no number
     * keys ({@code keyType} null) or the prefix does not suit {@link DecimalKey} (too long, or
     * ending in a digit).
     */
    static NumberKeyLookup of(byte[] prefix, Class<?> keyType) {
        if (keyType == null) {
            return null;
        }
        byte[] minus = Arrays.copyOf(prefix, prefix.length + 1);
        minus[prefix.length] = '-';
        DecimalKey positive = DecimalKey.of(prefix);
        DecimalKey negative = DecimalKey.of(minus);
        return positive == null || negative == null ? null : new NumberKeyLookup(keyType, positive, negative);
    }

    /**
     * The store's {@link CacheStore#peek} of the key {@code prefix + decimal(v)}, or null: a miss,
     * or a number of 16 digits and more (the caller then takes its general path, which answers both).
     * {@code key} is the application's key object, of {@link #keyType}, whose value is {@code v}.
     */
    Object peek(CacheStore store, Object key, long v) {
        if (v >= 0) {
            return v < DecimalKey.LIMIT ? store.peek(positive, v, key) : null;
        }
        return v > -DecimalKey.LIMIT ? store.peek(negative, -v, key) : null;
    }

    /** Whether {@link #compute} serves {@code v}: fewer than 16 digits. */
    boolean covers(long v) {
        return v < DecimalKey.LIMIT && v > -DecimalKey.LIMIT;
    }

    /**
     * The store's {@link CacheStore#compute(DecimalKey, long, Object, CacheStore.EntryOperation)}
     * on the key for {@code v} ({@link #covers}); {@code key} as in {@link #peek}.
     */
    <R> R compute(CacheStore store, Object key, long v, CacheStore.EntryOperation<R> op) {
        return v >= 0 ? store.compute(positive, v, key, op) : store.compute(negative, -v, key, op);
    }
}
