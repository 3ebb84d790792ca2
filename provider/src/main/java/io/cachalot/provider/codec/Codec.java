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
}
