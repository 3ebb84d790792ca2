package io.cachalot.core.keyspace;

/**
 * A value type that is modified in place (lists, hashes, sets ...). It reports its estimated
 * footprint and can produce an independent copy, which point-in-time snapshots take before a
 * writer changes it. Strings are plain immutable {@code byte[]} and need neither.
 */
public interface MutableValue extends MemorySize.Sized {
    MutableValue copy();
}
