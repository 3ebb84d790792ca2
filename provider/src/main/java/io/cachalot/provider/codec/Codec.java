package io.cachalot.provider.codec;

/**
 * Turns keys or values into the bytes a store-by-value cache keeps, and back. Decoding must
 * produce an independent copy: store-by-value caches hand out a fresh object on every read,
 * unless the codec declares its objects {@link #immutable()}.
 *
 * @param <T> the type encoded
 */
public interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);

    /**
     * Whether {@link #decode} returns immutable objects (as {@code String} and the boxed numbers
     * are): a store-by-value cache may then keep the object decoded from a value and hand that
     * same object to every read until the value changes, since no reader can alter it. False
     * unless overridden: mutable values are decoded afresh for every read.
     */
    default boolean immutable() {
        return false;
    }

    /** {@code prefix} followed by the encoding, in one array (a codec may write both at once). */
    default byte[] encode(T value, byte[] prefix) {
        byte[] v = encode(value);
        byte[] out = new byte[prefix.length + v.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(v, 0, out, prefix.length, v.length);
        return out;
    }

    /** Decodes {@code bytes} from {@code offset} on (the part after a key prefix). */
    default T decode(byte[] bytes, int offset) {
        return decode(offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, bytes.length));
    }
}
