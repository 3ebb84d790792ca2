package io.cachalot.provider.codec;

/**
 * Turns keys or values into the bytes a store-by-value cache keeps, and back. Decoding must
 * produce an independent copy: store-by-value caches hand out a fresh object on every read.
 *
 * @param <T> the type encoded
 */
public interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);

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
