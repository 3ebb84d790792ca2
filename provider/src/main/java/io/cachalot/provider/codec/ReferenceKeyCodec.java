package io.cachalot.provider.codec;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys of a store-by-reference cache: encoded by the default codec when it can (readable or
 * serialized, so equal keys meet in the engine); a key that cannot be serialized gets a number
 * of its own, remembered by equality for as long as the cache lives ({@code \0ref:<n>}), and
 * decodes back to the very instance.
 */
public final class ReferenceKeyCodec<K> implements Codec<K> {
    private final Codec<K> delegate;
    private final ConcurrentHashMap<K, byte[]> ids = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, K> byId = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    public ReferenceKeyCodec(Codec<K> delegate) {
        this.delegate = delegate;
    }

    /** The codec of keys that are not numbered. */
    public Codec<K> delegate() {
        return delegate;
    }

    @Override
    public byte[] encode(K key) {
        return encode(key, new byte[0]);
    }

    @Override
    public byte[] encode(K key, byte[] prefix) {
        byte[] known = ids.isEmpty() ? null : ids.get(key);
        if (known == null) {
            try {
                return delegate.encode(key, prefix);
            } catch (IllegalArgumentException notSerializable) {
                known = ids.computeIfAbsent(key, k -> {
                    String id = "\0ref:" + next.incrementAndGet();
                    byId.put(id, k);
                    return id.getBytes(StandardCharsets.US_ASCII);
                });
            }
        }
        byte[] out = new byte[prefix.length + known.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(known, 0, out, prefix.length, known.length);
        return out;
    }

    @Override
    public K decode(byte[] bytes) {
        return delegate.decode(bytes);
    }

    @Override
    public K decode(byte[] bytes, int offset) {
        if (bytes.length > offset && bytes[offset] == 0 && !byId.isEmpty()) {
            K k = byId.get(new String(bytes, offset, bytes.length - offset, StandardCharsets.US_ASCII));
            if (k != null) {
                return k;
            }
        }
        return delegate.decode(bytes, offset);
    }

    /** Forgets the numbered keys (the cache was cleared). */
    public void clear() {
        ids.clear();
        byId.clear();
    }
}
