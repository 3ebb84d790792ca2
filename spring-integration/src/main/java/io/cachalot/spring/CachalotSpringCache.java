package io.cachalot.spring;

import io.cachalot.provider.codec.Codec;
import io.cachalot.provider.store.CacheStore;
import io.cachalot.provider.store.StoreEntry;
import org.springframework.cache.support.AbstractValueAdaptingCache;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A Spring {@link org.springframework.cache.Cache} whose entries live in a {@link CacheStore}
 * (one engine key per entry, {@code <name>::<key>}). Values are encoded by the manager's codec:
 * Java-serialized by default, or JSON ({@code JsonCodec}); null results are Spring's
 * {@code NullValue} when null values are allowed (JSON {@code null} with the JSON codec). {@link #get(Object, Callable)} and
 * {@link #retrieve(Object, Supplier)} load a missing key once at a time: callers for the same key
 * wait for the loading one and get its value or its failure; a failure caches nothing.
 */
public final class CachalotSpringCache extends AbstractValueAdaptingCache {
    private final String name;
    private final CacheStore store;
    private final Codec<Object> valueCodec;
    private final byte[] prefix;
    private final long ttlMillis;
    private final long ttiMillis;
    /**
     * With both a time-to-live and a time-to-idle, each value starts with its write time (8 bytes),
     * so that an access never pushes the expiry past write time + time-to-live.
     */
    private final boolean stampWrites;
    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder puts = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder removals = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder evictions = new java.util.concurrent.atomic.LongAdder();
    /** Loads in flight, by key text: single flight per key. */
    private final ConcurrentHashMap<String, CompletableFuture<Object>> loading = new ConcurrentHashMap<>();

    CachalotSpringCache(String name, CacheStore store, Codec<Object> valueCodec, CachalotCacheConfig config) {
        super(config.allowNullValues());
        this.name = name;
        this.store = store;
        this.valueCodec = valueCodec;
        this.prefix = store.keyPrefix();
        this.ttlMillis = config.timeToLive().toMillis();
        this.ttiMillis = config.timeToIdle().toMillis();
        this.stampWrites = ttlMillis > 0 && ttiMillis > 0;
        store.setEvictionListener(evictions::add);
    }

    /** Look-ups that found an entry (get, get with a loader, retrieve). */
    public long hitCount() {
        return hits.sum();
    }

    public long missCount() {
        return misses.sum();
    }

    /** Entries written (put, putIfAbsent that stored, loaded values). */
    public long putCount() {
        return puts.sum();
    }

    /** Entries removed by evict/evictIfPresent. */
    public long removalCount() {
        return removals.sum();
    }

    /** Entries evicted to stay within the cache's bounds. */
    public long evictionCount() {
        return evictions.sum();
    }

    /** Entries stored now (those expired but not yet reclaimed included). */
    public long size() {
        return store.size();
    }

    @Override
    public String getName() {
        return name;
    }

    /** The store holding the entries. */
    @Override
    public CacheStore getNativeCache() {
        return store;
    }

    private byte[] key(Object key) {
        return CacheKeys.bytes(prefix, key);
    }

    /** The expiry a write gives an entry. */
    private long writeExpiry(StoreEntry e) {
        long d = stampWrites ? Math.min(ttlMillis, ttiMillis) : ttlMillis > 0 ? ttlMillis : ttiMillis;
        return d > 0 ? e.now() + d : StoreEntry.ETERNAL;
    }

    /** The bytes to store for an encoded value written at {@code now}. */
    private byte[] pack(byte[] encoded, long now) {
        if (!stampWrites) {
            return encoded;
        }
        byte[] out = new byte[8 + encoded.length];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (now >>> (56 - 8 * i));
        }
        System.arraycopy(encoded, 0, out, 8, encoded.length);
        return out;
    }

    private Object unpack(byte[] stored) {
        return valueCodec.decode(stored, stampWrites ? 8 : 0);
    }

    private static long writeTime(byte[] stored) {
        long t = 0;
        for (int i = 0; i < 8; i++) {
            t = (t << 8) | (stored[i] & 0xFF);
        }
        return t;
    }

    @Override
    protected Object lookup(Object key) {
        Object v = find(key);
        if (v != null) {
            hits.increment();
        } else {
            misses.increment();
        }
        return v;
    }

    private Object find(Object key) {
        byte[] k = key(key);
        if (ttiMillis == 0) {
            Object hit = store.peek(k);
            if (hit != null) {
                return unpack((byte[]) hit);
            }
        }
        byte[] found = store.compute(k, e -> {
            if (!e.exists() || !e.valueIsBytes()) {
                return null;
            }
            byte[] v = (byte[]) e.value();
            if (ttiMillis > 0) {
                long idle = e.now() + ttiMillis; // an access restarts the idle time
                e.setExpireAt(stampWrites ? Math.min(idle, writeTime(v) + ttlMillis) : idle);
            }
            e.touch();
            return v;
        });
        return found == null ? null : unpack(found);
    }

    @Override
    public void put(Object key, Object value) {
        storeValue(key, toStoreValue(value));
    }

    private void storeValue(Object key, Object storeValue) {
        puts.increment();
        byte[] v = valueCodec.encode(storeValue);
        store.compute(key(key), e -> {
            e.set(pack(v, e.now()), writeExpiry(e));
            return null;
        });
    }

    @Override
    public ValueWrapper putIfAbsent(Object key, Object value) {
        byte[] v = valueCodec.encode(toStoreValue(value));
        byte[] existing = store.compute(key(key), e -> {
            if (e.exists() && e.valueIsBytes()) {
                return (byte[]) e.value();
            }
            e.set(pack(v, e.now()), writeExpiry(e));
            return null;
        });
        if (existing == null) {
            puts.increment();
        }
        return existing == null ? null : toValueWrapper(unpack(existing));
    }

    @Override
    public void evict(Object key) {
        evictIfPresent(key);
    }

    @Override
    public boolean evictIfPresent(Object key) {
        boolean removed = store.compute(key(key), e -> {
            boolean present = e.exists();
            e.remove();
            return present;
        });
        if (removed) {
            removals.increment();
        }
        return removed;
    }

    /** Removes every entry of this cache (in time proportional to the cache, not the database). */
    @Override
    public void clear() {
        store.clear();
    }

    @Override
    public boolean invalidate() {
        return store.clear() > 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        Object hit = lookup(key);
        if (hit != null) {
            return (T) fromStoreValue(hit);
        }
        String k = CacheKeys.text(key);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = loading.putIfAbsent(k, mine);
        if (running != null) {
            return (T) fromStoreValue(await(running));
        }
        try {
            Object again = find(key); // a load may have finished between the look-up and now
            if (again != null) {
                mine.complete(again);
                return (T) fromStoreValue(again);
            }
            if (store.locksPerEntry()) {
                return loadHoldingTheEntry(key, valueLoader, mine);
            }
            T value;
            try {
                value = valueLoader.call();
            } catch (Throwable ex) {
                ValueRetrievalException failure = new ValueRetrievalException(key, valueLoader, ex);
                mine.completeExceptionally(failure);
                throw failure;
            }
            Object stored;
            try {
                stored = toStoreValue(value);
            } catch (RuntimeException ex) {
                mine.completeExceptionally(ex);
                throw ex;
            }
            storeValue(key, stored);
            mine.complete(stored);
            return value;
        } finally {
            loading.remove(k, mine);
        }
    }

    /**
     * A store shared by several JVMs: the loader runs while the entry is held, so one instance
     * loads and the others, waiting for the entry, find its value (Spring's sync = true across JVMs).
     */
    @SuppressWarnings("unchecked")
    private <T> T loadHoldingTheEntry(Object key, Callable<T> valueLoader, CompletableFuture<Object> mine) {
        Object[] out = new Object[1];
        try {
            store.compute(key(key), e -> {
                if (e.exists() && e.valueIsBytes()) {
                    out[0] = unpack((byte[]) e.value()); // another instance loaded it meanwhile
                    return null;
                }
                T value;
                try {
                    value = valueLoader.call();
                } catch (Throwable ex) {
                    throw new ValueRetrievalException(key, valueLoader, ex);
                }
                Object stored = toStoreValue(value);
                puts.increment();
                e.set(pack(valueCodec.encode(stored), e.now()), writeExpiry(e));
                out[0] = stored;
                return null;
            });
        } catch (RuntimeException ex) {
            mine.completeExceptionally(ex);
            throw ex;
        }
        mine.complete(out[0]);
        return (T) fromStoreValue(out[0]);
    }

    private static Object await(CompletableFuture<Object> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw e;
        }
    }

    @Override
    public CompletableFuture<?> retrieve(Object key) {
        Object hit = lookup(key);
        if (hit == null) {
            return null;
        }
        return CompletableFuture.completedFuture(isAllowNullValues() ? toValueWrapper(hit) : fromStoreValue(hit));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        Object hit = lookup(key);
        if (hit != null) {
            return CompletableFuture.completedFuture((T) fromStoreValue(hit));
        }
        String k = CacheKeys.text(key);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = loading.putIfAbsent(k, mine);
        if (running == null) {
            CompletableFuture<T> load;
            try {
                load = valueLoader.get();
            } catch (RuntimeException ex) {
                loading.remove(k, mine);
                mine.completeExceptionally(ex);
                return mine.thenApply(v -> (T) v);
            }
            load.whenComplete((value, ex) -> {
                try {
                    if (ex != null) {
                        mine.completeExceptionally(ex);
                    } else {
                        Object stored = toStoreValue(value);
                        storeValue(key, stored);
                        mine.complete(stored);
                    }
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                } finally {
                    loading.remove(k, mine);
                }
            });
            running = mine;
        }
        return running.thenApply(v -> (T) fromStoreValue(v));
    }

    @Override
    public String toString() {
        return "CachalotSpringCache[" + name + " -> " + new String(prefix, StandardCharsets.UTF_8) + "*]";
    }
}
