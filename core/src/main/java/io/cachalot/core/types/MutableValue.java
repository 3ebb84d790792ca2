package io.cachalot.core.types;

/**
 * A value type that is modified in place (lists, hashes, sets ...). It reports its estimated
 * footprint and can produce an independent copy, which point-in-time snapshots take before a
 * writer changes it. Strings are plain immutable {@code byte[]} and need neither.
 *
 * <p>Values whose elements carry their own expiry time (hash fields, Redis 7.4) say so through
 * the sub-expiry methods, so that the segment can reclaim expired elements nobody reads.
 */
public interface MutableValue extends MemorySize.Sized {
    MutableValue copy();

    /** Whether some element has an expiry time. */
    default boolean hasSubExpiry() {
        return false;
    }

    /** The earliest element expiry time (may be a little early), {@link Long#MAX_VALUE} for none. */
    default long nextSubExpiry() {
        return Long.MAX_VALUE;
    }

    /** Removes the elements expired at {@code now}; returns how many. */
    default int expireSubElements(long now) {
        return 0;
    }

    default boolean isEmpty() {
        return false;
    }

    /** The number of elements (LLEN, SCARD, ZCARD, HLEN). */
    long length();
}
