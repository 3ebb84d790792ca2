package io.cachalot.provider.store.remote;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies of a remote cache's values in this JVM, kept coherent by the server's client tracking:
 * the connection tracks the cache's key prefix (BCAST), and every invalidation the server pushes
 * drops a copy. A copy is installed only when no invalidation and no write of this JVM came
 * between the read that fetched it and its installation (each read registers itself first, and
 * anything that touches the key unregisters it). Bounded by a number of entries: past it, an
 * arbitrary copy goes (the map's own order).
 */
final class NearCache {
    /** A value and when it expires (ms, or -1 for never). */
    private record Copy(byte[] value, long expireAt) {
    }

    private final int maxEntries;
    private final ConcurrentHashMap<ByteBuffer, Copy> copies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ByteBuffer, Object> reading = new ConcurrentHashMap<>();

    NearCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The copy of {@code key}'s value, or null (none, or expired). */
    byte[] get(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        Copy c = copies.get(k);
        if (c == null) {
            return null;
        }
        if (c.expireAt >= 0 && c.expireAt <= System.currentTimeMillis()) {
            copies.remove(k, c);
            return null;
        }
        return c.value;
    }

    /**
     * A read (or this JVM's own write) of {@code key} on the server begins: the token to install
     * its result with.
     */
    Object beginRead(byte[] key) {
        Object token = new Object();
        reading.put(ByteBuffer.wrap(key), token);
        return token;
    }

    /** The read ended: its value becomes the copy unless something touched the key meanwhile. */
    void endRead(byte[] key, Object token, byte[] value, long expireAt) {
        ByteBuffer k = ByteBuffer.wrap(key);
        // under the key's bin in the reading map: an invalidation removing the token either came
        // first (nothing installed) or waits and then drops what was installed
        reading.computeIfPresent(k, (kk, t) -> {
            if (t == token && value != null) {
                install(k, value, expireAt);
            }
            return t == token ? null : t;
        });
    }

    /** The server says the key changed (or this JVM cannot tell): the copy goes. */
    void invalidate(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        reading.remove(k);
        copies.remove(k);
    }

    /** Everything goes (a flush on the server, or the connection was lost and invalidations with it). */
    void clear() {
        reading.clear();
        copies.clear();
    }

    private void install(ByteBuffer k, byte[] value, long expireAt) {
        if (copies.size() >= maxEntries && !copies.containsKey(k)) {
            Iterator<ByteBuffer> it = copies.keySet().iterator();
            if (it.hasNext()) {
                it.next();
                it.remove();
            }
        }
        copies.put(k, new Copy(value, expireAt));
    }
}
