package io.cachalot.core.types;

/**
 * A string value that commands change in place (the bit commands, HyperLogLog), unlike the
 * immutable {@code byte[]} of other strings: whoever reads it outside its command gets a copy.
 * The keyspace and persistence know strings through this; {@code types.string.MutableString}
 * is the implementation.
 */
public interface InPlaceString extends MutableValue {
    /** A copy of the string's bytes. */
    byte[] toBytes();
}
