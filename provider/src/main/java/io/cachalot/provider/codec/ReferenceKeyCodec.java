package io.cachalot.provider.codec;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys of a store-by-reference cache: encoded by the default codec when it can (readable or
 * serialized, so equal keys meet in the engine); a key that cannot be serialized gets a number
 * of its own, remembered by equality for as long as the cache lives ({@code \0ref:<n>}).
 */
public final class ReferenceKeyCodec<K> implements Codec<K> {
    private final Codec<K> delegate;
    private final ConcurrentHashMap<K, byte[]> ids = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    public ReferenceKeyCodec(Codec<K> delegate) {
        this.delegate = delegate;
    }

    @Override
    public byte[] encode(K key) {
        byte[] known = ids.get(key);
        if (known != null) {
            return known;
        }
        try {
            return delegate.encode(key);
        } catch (IllegalArgumentException notSerializable) {
            return ids.computeIfAbsent(key,
                    k -> ("\0ref:" + next.incrementAndGet()).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Only keys of the delegate's form decode; numbered keys are read from the stored reference instead. */
    @Override
    public K decode(byte[] bytes) {
        return delegate.decode(bytes);
    }

    /** Forgets the numbered keys (the cache was cleared). */
    public void clear() {
        ids.clear();
    }
}
