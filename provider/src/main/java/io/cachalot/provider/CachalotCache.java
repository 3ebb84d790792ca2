package io.cachalot.provider;

import io.cachalot.provider.codec.Codec;
import io.cachalot.provider.codec.Codecs;
import io.cachalot.provider.config.CachalotConfiguration;
import io.cachalot.provider.event.CachalotEntryEvent;
import io.cachalot.provider.event.EventDispatcher;
import io.cachalot.provider.management.CacheManagementBean;
import io.cachalot.provider.management.CacheStatistics;
import io.cachalot.provider.management.MBeans;
import io.cachalot.provider.processor.ProcessorEntry;
import io.cachalot.provider.store.CacheStore;
import io.cachalot.provider.store.StoreEntry;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.event.EventType;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A JSR-107 cache whose entries live in a {@link CacheStore} (by default the embedded engine,
 * one engine key per entry). Every operation on one key is atomic: it runs inside the store's
 * {@link CacheStore#compute}, which also calls the writer, loader and expiry policy; events are
 * delivered once the entry is released.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CachalotCache<K, V> implements Cache<K, V> {
    private final CachalotCacheManager manager;
    private final String name;
    private final CachalotConfiguration<K, V> config;
    private final CacheStore store;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final boolean byValue;
    private final ExpiryPolicy expiry;
    private final CacheLoader<K, V> loader;
    private final CacheWriter<K, V> writer;
    private final EventDispatcher<K, V> events;
    /** The {@link Events} of operations that began without listeners: collects nothing. */
    private final Events none = new Events(false);
    private final CacheStatistics stats = new CacheStatistics();
    private final CacheManagementBean management;
    private final Executor loadExecutor;
    /** The store's key prefix: store keys are built as prefix + encoded key in one array. */
    private final byte[] prefix;
    private volatile boolean statisticsEnabled;
    private volatile boolean closed;
    /**
     * Whether a read never changes the entry's expiry (the standard policies whose access
     * duration is always null), so that a hit can be served by {@link CacheStore#peek}. Custom
     * policies are asked on every access, as the specification counts on.
     */
    private final boolean readsLeaveExpiry;
    /** For keys written as decimal text (Long, Integer): hits skip the encoding. Null otherwise. */
    private final NumberKeyLookup numberKeys;
    /**
     * Whether a hit's decoded value is offered to the store to keep ({@link CacheStore#memoize}):
     * by value, with a codec of immutable objects, in a store that keeps them. Later hits then
     * return that object, as a by-reference cache would, instead of decoding again.
     */
    private final boolean memoize;

    @SuppressWarnings("unchecked")
    CachalotCache(CachalotCacheManager manager, String name, CachalotConfiguration<K, V> config, CacheStore store,
                  Codec<K> keyCodec, Codec<V> valueCodec, Executor loadExecutor) {
        this.manager = manager;
        this.name = name;
        this.config = config;
        this.store = store;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        this.byValue = config.isStoreByValue();
        this.loadExecutor = loadExecutor;
        this.prefix = store.keyPrefix();
        this.numberKeys = NumberKeyLookup.of(prefix, Codecs.decimalType(keyCodec));
        this.memoize = byValue && valueCodec.immutable() && store.memoizes();
        this.expiry = config.getExpiryPolicyFactory().create();
        Class<?> pc = expiry.getClass();
        this.readsLeaveExpiry = pc == javax.cache.expiry.EternalExpiryPolicy.class
                || pc == javax.cache.expiry.CreatedExpiryPolicy.class
                || pc == javax.cache.expiry.ModifiedExpiryPolicy.class;
        this.loader = config.getCacheLoaderFactory() == null ? null
                : (CacheLoader<K, V>) config.getCacheLoaderFactory().create();
        this.writer = config.getCacheWriterFactory() == null ? null
                : (CacheWriter<K, V>) config.getCacheWriterFactory().create();
        this.events = new EventDispatcher<>(name);
        for (CacheEntryListenerConfiguration<K, V> l : config.getCacheEntryListenerConfigurations()) {
            events.register(l);
        }
        this.management = new CacheManagementBean(this);
        this.statisticsEnabled = config.isStatisticsEnabled();
        store.setExpiryListener(this::expiredInBackground);
        listenForeignChanges();
        store.setEvictionListener(n -> {
            if (statisticsEnabled) {
                stats.evictions(n);
            }
        });
        if (config.isManagementEnabled()) {
            setManagementEnabled(true);
        }
        if (config.isStatisticsEnabled()) {
            setStatisticsEnabled(true);
        }
    }

    // ------------------------------------------------------------------ conversions

    private byte[] keyBytes(K key) {
        requireKey(key);
        return keyCodec.encode(key, prefix);
    }

    private static void requireKey(Object key) {
        if (key == null) {
            throw new NullPointerException("key");
        }
    }

    /**
     * {@code store.compute} on the entry of {@code key}: a Long or Integer key of fewer than 16
     * digits goes as its number ({@link NumberKeyLookup#compute}), so the key array is built only
     * when the operation creates the entry; any other key as its bytes.
     */
    private <R> R compute(K key, CacheStore.EntryOperation<R> op) {
        NumberKeyLookup nk = numberKeys;
        if (nk != null && key != null && key.getClass() == nk.keyType) {
            long v = ((Number) key).longValue();
            if (nk.covers(v)) {
                return nk.compute(store, key, v, op);
            }
        }
        return store.compute(keyBytes(key), op);
    }

    /** What the store keeps: the encoded bytes (by value), or the value object itself (by reference). */
    private Object stored(K key, V value) {
        return byValue ? valueCodec.encode(value) : value;
    }

    /**
     * The value of what the store holds: decoded bytes (a by-value cache, or bytes another client
     * wrote over RESP into a by-reference cache), or the object itself.
     */
    @SuppressWarnings("unchecked")
    private V value(Object stored, boolean bytes) {
        if (!bytes) {
            return (V) stored;
        }
        try {
            return valueCodec.decode((byte[]) stored);
        } catch (javax.cache.CacheException e) {
            throw e;
        } catch (RuntimeException e) {
            // e.g. text written over RESP that is not a number of a Long-valued cache
            throw new javax.cache.CacheException("cache " + name + ": a stored value cannot be decoded as "
                    + config.getValueType().getName() + ": " + e.getMessage(), e);
        }
    }

    /** The value of an existing entry: its memoized object when it has one, else decoded. */
    @SuppressWarnings("unchecked")
    private V current(StoreEntry e) {
        if (memoize) {
            Object m = e.memo();
            if (m != null) {
                return (V) m;
            }
        }
        return value(e.value(), e.valueIsBytes());
    }

    /** {@link #current}, memoizing what it decodes: for reads that leave the value as it is. */
    private V read(StoreEntry e) {
        V v = current(e);
        if (memoize && e.valueIsBytes() && e.memo() == null) {
            e.memoize(v);
        }
        return v;
    }

    private K key(byte[] bytes) {
        try {
            return keyCodec.decode(bytes, prefix.length);
        } catch (javax.cache.CacheException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new javax.cache.CacheException("cache " + name + ": key "
                    + new String(bytes, java.nio.charset.StandardCharsets.UTF_8) + " cannot be decoded as "
                    + config.getKeyType().getName(), e);
        }
    }

    private static boolean equalValues(Object a, Object b) {
        if (a instanceof byte[] && b instanceof byte[]) {
            return java.util.Arrays.equals((byte[]) a, (byte[]) b);
        }
        return a.equals(b);
    }

    // ------------------------------------------------------------------ expiry policy

    /** Absolute expiry for a new entry; a time at or before {@code now} means "do not create". */
    private long creationExpiry(StoreEntry e) {
        Duration d;
        try {
            d = expiry.getExpiryForCreation();
        } catch (Throwable t) {
            d = Duration.ETERNAL;
        }
        return absolute(d == null ? Duration.ETERNAL : d, e);
    }

    /** Absolute expiry after an update; {@code current} when the policy says null or fails. */
    private long updateExpiry(StoreEntry e) {
        long current = e.expireAt();
        try {
            Duration d = expiry.getExpiryForUpdate();
            return d == null ? current : absolute(d, e);
        } catch (Throwable t) {
            return current;
        }
    }

    private long accessExpiry(StoreEntry e) {
        long current = e.expireAt();
        try {
            Duration d = expiry.getExpiryForAccess();
            return d == null ? current : absolute(d, e);
        } catch (Throwable t) {
            return current;
        }
    }

    private static long absolute(Duration d, StoreEntry e) {
        if (d.isEternal()) {
            return StoreEntry.ETERNAL;
        }
        if (d.isZero()) {
            return e.now();
        }
        long ms = d.getTimeUnit().toMillis(d.getDurationAmount());
        return e.now() + Math.max(1, ms);
    }

    private static boolean expiredAt(long at, StoreEntry e) {
        return at != StoreEntry.ETERNAL && at <= e.now();
    }

    private void access(StoreEntry e) {
        long at = accessExpiry(e);
        if (at != e.expireAt()) {
            e.setExpireAt(at);
        }
        e.touch();
    }

    // ------------------------------------------------------------------ loader and writer

    private V load(K key) {
        try {
            return loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (Exception e) {
            throw new CacheLoaderException("CacheLoader failed for key " + key, e);
        }
    }

    private boolean readThrough() {
        return loader != null && config.isReadThrough();
    }

    private boolean writeThrough() {
        return writer != null && config.isWriteThrough();
    }

    private void write(K key, V value) {
        if (writeThrough()) {
            try {
                writer.write(new CachalotEntry<>(key, value));
            } catch (CacheWriterException e) {
                throw e;
            } catch (Exception e) {
                throw new CacheWriterException("CacheWriter failed for key " + key, e);
            }
        }
    }

    private void delete(K key) {
        if (writeThrough()) {
            try {
                writer.delete(key);
            } catch (CacheWriterException e) {
                throw e;
            } catch (Exception e) {
                throw new CacheWriterException("CacheWriter failed to delete key " + key, e);
            }
        }
    }

    // ------------------------------------------------------------------ events

    /** The events one operation produces, delivered after the entry is released. */
    private final class Events {
        /** False for {@link #none}: an operation that began without listeners collects nothing. */
        private final boolean collects;
        List<CachalotEntryEvent<K, V>> list;

        Events(boolean collects) {
            this.collects = collects;
        }

        void add(EventType type, K key, V value, V oldValue) {
            if (collects && events.active()) {
                if (list == null) {
                    list = new ArrayList<>(2);
                }
                list.add(new CachalotEntryEvent<>(CachalotCache.this, type, key, value, oldValue));
            }
        }

        /** The expired event of an entry that the access found expired. */
        void expiredOn(K key, StoreEntry e) {
            Object old = e.expiredValue();
            if (old != null && collects && events.active()) {
                V v = value(old, e.expiredIsBytes());
                add(EventType.EXPIRED, key, v, v);
            }
        }

        void fire() {
            events.dispatch(list);
        }
    }

    /**
     * The events of an operation about to begin: one shared instance that collects nothing when no
     * listener is registered (most caches), so such operations allocate none. A listener registered
     * while the operation runs may then miss its events, as if registered just after it.
     */
    private Events events() {
        return events.active() ? new Events(true) : none;
    }

    private void expiredInBackground(byte[] keyBytes, Object stored, boolean bytes) {
        if (!events.active() || closed) {
            return;
        }
        K k = key(keyBytes);
        V v = value(stored, bytes);
        List<CachalotEntryEvent<K, V>> one = new ArrayList<>(1);
        one.add(new CachalotEntryEvent<>(this, EventType.EXPIRED, k, v, v));
        events.dispatchBackground(one);
    }

    // ------------------------------------------------------------------ reads

    private long start() {
        return statisticsEnabled ? System.nanoTime() : 0;
    }

    private static final boolean WROTE = true;
    private static final boolean REMOVED = false;

    /**
     * The end of an operation that reads an entry and may then write or remove it: its statistics,
     * timed from {@code t0} (a hit or a miss; then, when {@code changed}, a put if {@code wrote} or a
     * removal), then the events collected under the entry's lock, fired now that it is released.
     */
    private void end(Events ev, long t0, boolean hit, boolean changed, boolean wrote) {
        if (statisticsEnabled) {
            long dt = System.nanoTime() - t0;
            stats.read(hit, dt);
            if (changed) {
                if (wrote) {
                    stats.wrote(dt);
                } else {
                    stats.removed(dt);
                }
            }
        }
        ev.fire();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key) {
        ensureOpen();
        if (key == null) {
            throw new NullPointerException("key");
        }
        long t0 = start();
        byte[] kb = null;
        if (readsLeaveExpiry) {
            Object hit;
            if (numberKeys != null && key.getClass() == numberKeys.keyType) {
                hit = numberKeys.peek(store, key, ((Number) key).longValue());
            } else {
                hit = store.peek(kb = keyBytes(key));
            }
            if (hit != null) {
                V v;
                if (byValue && hit instanceof byte[]) {
                    v = value(hit, true);
                    if (memoize) {
                        store.memoize(kb != null ? kb : keyBytes(key), (byte[]) hit, v);
                    }
                } else {
                    v = (V) hit; // by reference, or the object memoized for the bytes
                }
                if (statisticsEnabled) {
                    stats.hits(1);
                    stats.getTime(System.nanoTime() - t0);
                }
                return v;
            }
        }
        Events ev = events();
        CacheStore.EntryOperation<V> read = e -> readEntry(key, e, ev);
        V v = kb != null ? store.compute(kb, read) : compute(key, read); // kb: the peek's array, reused
        if (statisticsEnabled) {
            stats.getTime(System.nanoTime() - t0);
        }
        ev.fire();
        return v;
    }

    /** get: a hit applies the access expiry; a miss reads through the loader when configured. */
    private V readEntry(K key, StoreEntry e, Events ev) {
        ev.expiredOn(key, e);
        e.countLookup();
        if (e.exists()) {
            V v = read(e);
            access(e);
            if (statisticsEnabled) {
                stats.hits(1);
            }
            return v;
        }
        if (statisticsEnabled) {
            stats.misses(1);
        }
        if (!readThrough()) {
            return null;
        }
        V loaded = load(key);
        if (loaded == null) {
            return null;
        }
        long at = creationExpiry(e);
        if (!expiredAt(at, e)) {
            e.set(stored(key, loaded), at);
            ev.add(EventType.CREATED, key, loaded, null);
        }
        return loaded;
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        ensureOpen();
        requireKeys(keys);
        long t0 = start();
        Events ev = events();
        Map<K, V> out = new LinkedHashMap<>(keys.size() * 2);
        for (K key : keys) {
            V v = compute(key, e -> readEntry(key, e, ev));
            if (v != null) {
                out.put(key, v);
            }
        }
        if (statisticsEnabled) {
            stats.getTime(System.nanoTime() - t0);
        }
        ev.fire();
        return out;
    }

    @Override
    public boolean containsKey(K key) {
        ensureOpen();
        requireKey(key);
        Events ev = events();
        boolean r = compute(key, e -> {
            ev.expiredOn(key, e);
            e.countLookup();
            return e.exists();
        });
        ev.fire();
        return r;
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void put(K key, V value) {
        ensureOpen();
        requireValue(value);
        requireKey(key);
        long t0 = start();
        Events ev = events();
        boolean stored = compute(key, e -> putEntry(key, value, e, ev, true, false) != null);
        if (stored && statisticsEnabled) {
            stats.wrote(System.nanoTime() - t0);
        }
        ev.fire();
    }

    private static final Object NOT_STORED = null;
    private static final Object STORED = new Object();
    /** An existing entry was updated and its old value was not asked for. */
    private static final Object REPLACED = new Object();

    /**
     * Creates or updates an entry; returns null when the expiry policy made a new entry expire at
     * once (nothing stored), STORED for a new entry, otherwise the old value — decoded only when
     * {@code needOld} or a listener wants it (REPLACED otherwise).
     */
    private Object putEntry(K key, V value, StoreEntry e, Events ev, boolean useWriter, boolean needOld) {
        ev.expiredOn(key, e);
        if (!e.exists()) {
            if (useWriter) {
                write(key, value);
            }
            long at = creationExpiry(e);
            if (expiredAt(at, e)) {
                return NOT_STORED;
            }
            e.set(stored(key, value), at);
            ev.add(EventType.CREATED, key, value, null);
            return STORED;
        }
        V old = needOld || events.active() ? current(e) : null;
        if (useWriter) {
            write(key, value);
        }
        e.set(stored(key, value), updateExpiry(e));
        e.touch();
        ev.add(EventType.UPDATED, key, value, old);
        return old != null ? old : REPLACED;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getAndPut(K key, V value) {
        ensureOpen();
        requireValue(value);
        requireKey(key);
        long t0 = start();
        Events ev = events();
        Object r = compute(key, e -> putEntry(key, value, e, ev, true, true));
        boolean existed = r != NOT_STORED && r != STORED; // needOld: an update returns the old value
        end(ev, t0, existed, r != NOT_STORED, WROTE);
        return existed ? (V) r : null;
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        ensureOpen();
        if (map == null) {
            throw new NullPointerException("map");
        }
        for (Map.Entry<? extends K, ? extends V> en : map.entrySet()) {
            if (en.getKey() == null) {
                throw new NullPointerException("a key of the map is null");
            }
            if (en.getValue() == null) {
                throw new NullPointerException("the value of key " + en.getKey() + " is null");
            }
        }
        long t0 = start();
        Map<K, V> toStore = new LinkedHashMap<>(map);
        CacheWriterException failure = null;
        if (writeThrough()) {
            List<Cache.Entry<? extends K, ? extends V>> batch = new ArrayList<>(map.size());
            for (Map.Entry<K, V> en : toStore.entrySet()) {
                batch.add(new CachalotEntry<>(en.getKey(), en.getValue()));
            }
            try {
                writer.writeAll(batch);
            } catch (Exception ex) {
                failure = ex instanceof CacheWriterException ? (CacheWriterException) ex
                        : new CacheWriterException("CacheWriter.writeAll failed", ex);
            }
            // Entries the writer left in the batch were not written: they are not stored either.
            for (Cache.Entry<? extends K, ? extends V> left : batch) {
                if (failure != null) {
                    toStore.remove(left.getKey());
                }
            }
        }
        Events ev = events();
        long n = 0;
        for (Map.Entry<K, V> en : toStore.entrySet()) {
            K key = en.getKey();
            V value = en.getValue();
            if (compute(key, e -> putEntry(key, value, e, ev, false, false)) != null) {
                n++;
            }
        }
        if (statisticsEnabled && n > 0) {
            stats.puts(n);
            stats.putTime(System.nanoTime() - t0);
        }
        ev.fire();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        ensureOpen();
        requireValue(value);
        requireKey(key);
        long t0 = start();
        Events ev = events();
        int r = compute(key, e -> {
            ev.expiredOn(key, e);
            if (e.exists()) {
                return 0;
            }
            write(key, value);
            long at = creationExpiry(e);
            if (expiredAt(at, e)) {
                return 1;
            }
            e.set(stored(key, value), at);
            ev.add(EventType.CREATED, key, value, null);
            return 2;
        });
        end(ev, t0, r == 0, r == 2, WROTE);
        return r != 0;
    }

    @Override
    public boolean remove(K key) {
        ensureOpen();
        requireKey(key);
        long t0 = start();
        Events ev = events();
        boolean r = compute(key, e -> {
            ev.expiredOn(key, e);
            delete(key);
            if (!e.exists()) {
                return false;
            }
            V old = events.active() ? current(e) : null;
            e.remove();
            ev.add(EventType.REMOVED, key, old, old);
            return true;
        });
        if (r && statisticsEnabled) {
            stats.removed(System.nanoTime() - t0);
        }
        ev.fire();
        return r;
    }

    @Override
    public boolean remove(K key, V oldValue) {
        ensureOpen();
        requireValue(oldValue);
        requireKey(key);
        long t0 = start();
        Events ev = events();
        int r = ifValueEquals(key, oldValue, ev, (e, current) -> {
            delete(key);
            e.remove();
            ev.add(EventType.REMOVED, key, current, current);
        });
        end(ev, t0, r != ABSENT, r == MATCHED, REMOVED);
        return r == MATCHED;
    }

    private static final int ABSENT = 0;
    private static final int DIFFERENT = 1;
    private static final int MATCHED = 2;

    /**
     * remove(k, v) and replace(k, v, w): runs {@code onMatch} when the entry holds a value equal to
     * {@code expected}; a different value counts as an access. Returns ABSENT, DIFFERENT or MATCHED.
     */
    private int ifValueEquals(K key, V expected, Events ev,
                              java.util.function.BiConsumer<StoreEntry, V> onMatch) {
        return compute(key, e -> {
            ev.expiredOn(key, e);
            if (!e.exists()) {
                return ABSENT;
            }
            V current = current(e);
            if (!equalValues(current, expected)) {
                access(e);
                return DIFFERENT;
            }
            onMatch.accept(e, current);
            return MATCHED;
        });
    }

    @Override
    public V getAndRemove(K key) {
        ensureOpen();
        requireKey(key);
        long t0 = start();
        Events ev = events();
        V r = compute(key, e -> {
            ev.expiredOn(key, e);
            delete(key);
            if (!e.exists()) {
                return null;
            }
            V old = current(e);
            e.remove();
            ev.add(EventType.REMOVED, key, old, old);
            return old;
        });
        end(ev, t0, r != null, r != null, REMOVED);
        return r;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        ensureOpen();
        requireValue(oldValue);
        requireValue(newValue);
        requireKey(key);
        long t0 = start();
        Events ev = events();
        int r = ifValueEquals(key, oldValue, ev, (e, current) -> {
            write(key, newValue);
            e.set(stored(key, newValue), updateExpiry(e));
            e.touch();
            ev.add(EventType.UPDATED, key, newValue, current);
        });
        end(ev, t0, r != ABSENT, r == MATCHED, WROTE);
        return r == MATCHED;
    }

    @Override
    public boolean replace(K key, V value) {
        return getAndReplace(key, value, false) != null;
    }

    @Override
    public V getAndReplace(K key, V value) {
        return getAndReplace(key, value, true);
    }

    private V getAndReplace(K key, V value, boolean decodeOld) {
        ensureOpen();
        requireValue(value);
        requireKey(key);
        long t0 = start();
        Events ev = events();
        V r = compute(key, e -> {
            ev.expiredOn(key, e);
            if (!e.exists()) {
                return null;
            }
            V old = current(e);
            write(key, value);
            e.set(stored(key, value), updateExpiry(e));
            e.touch();
            ev.add(EventType.UPDATED, key, value, old);
            return old;
        });
        end(ev, t0, r != null, r != null, WROTE);
        return r;
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        ensureOpen();
        requireKeys(keys);
        removeKeys(new LinkedHashSet<K>(keys));
    }

    @Override
    public void removeAll() {
        ensureOpen();
        Set<K> keys = new LinkedHashSet<>();
        Iterator<byte[]> it = store.keys();
        while (it.hasNext()) {
            byte[] kb = it.next();
            K k = store.compute(kb, e -> e.exists() || e.expiredValue() != null
                    ? key(kb) : null);
            if (k != null) {
                keys.add(k);
            }
        }
        removeKeys(keys);
    }

    /** removeAll: the writer deletes the batch first; keys it failed on stay in the cache. */
    private void removeKeys(Set<K> keys) {
        long t0 = start();
        CacheWriterException failure = null;
        Set<K> toRemove = keys;
        if (writeThrough() && !keys.isEmpty()) {
            Collection<K> batch = new ArrayList<>(keys);
            try {
                writer.deleteAll(batch);
            } catch (Exception ex) {
                failure = ex instanceof CacheWriterException ? (CacheWriterException) ex
                        : new CacheWriterException("CacheWriter.deleteAll failed", ex);
                toRemove = new LinkedHashSet<>(keys);
                toRemove.removeAll(batch);
            }
        }
        Events ev = events();
        long n = 0;
        for (K key : toRemove) {
            boolean removed = compute(key, e -> {
                ev.expiredOn(key, e);
                if (!e.exists()) {
                    return false;
                }
                V old = events.active() ? current(e) : null;
                e.remove();
                ev.add(EventType.REMOVED, key, old, old);
                return true;
            });
            if (removed) {
                n++;
            }
        }
        if (statisticsEnabled && n > 0) {
            stats.removals(n);
            stats.removeTime(System.nanoTime() - t0);
        }
        ev.fire();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void clear() {
        ensureOpen();
        store.clear();
        if (keyCodec instanceof io.cachalot.provider.codec.ReferenceKeyCodec) {
            ((io.cachalot.provider.codec.ReferenceKeyCodec<K>) keyCodec).clear();
        }
    }

    // ------------------------------------------------------------------ loading

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
        ensureOpen();
        requireKeys(keys);
        if (loader == null) {
            if (listener != null) {
                listener.onCompletion();
            }
            return;
        }
        List<K> wanted = new ArrayList<>(keys);
        loadExecutor.execute(() -> {
            try {
                List<K> toLoad = new ArrayList<>(wanted.size());
                for (K k : wanted) {
                    if (replaceExistingValues || !containsKey(k)) {
                        toLoad.add(k);
                    }
                }
                Map<? extends K, ? extends V> loaded;
                try {
                    loaded = toLoad.isEmpty() ? Map.of() : loader.loadAll(toLoad);
                } catch (CacheLoaderException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CacheLoaderException("CacheLoader.loadAll failed", e);
                }
                storeLoaded(loaded, replaceExistingValues);
                if (listener != null) {
                    listener.onCompletion();
                }
            } catch (Exception e) {
                if (listener != null) {
                    listener.onException(e);
                }
            }
        });
    }

    private void storeLoaded(Map<? extends K, ? extends V> loaded, boolean replace) {
        if (loaded == null) {
            return;
        }
        Events ev = events();
        long n = 0;
        for (Map.Entry<? extends K, ? extends V> en : loaded.entrySet()) {
            K key = en.getKey();
            V value = en.getValue();
            if (key == null || value == null) {
                continue;
            }
            Object r = compute(key, e -> {
                if (e.exists() && !replace) {
                    return null;
                }
                return putEntry(key, value, e, ev, false, false);
            });
            if (r != null) {
                n++;
            }
        }
        if (statisticsEnabled && n > 0) {
            stats.puts(n);
        }
        ev.fire();
    }

    // ------------------------------------------------------------------ entry processors

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        ensureOpen();
        if (processor == null) {
            throw new NullPointerException("entryProcessor");
        }
        requireKey(key);
        long t0 = start();
        Events ev = events();
        @SuppressWarnings("unchecked")
        ProcessorEntry<K, V>[] done = new ProcessorEntry[1];
        T result = compute(key, e -> {
            ev.expiredOn(key, e);
            ProcessorEntry<K, V> pe = new ProcessorEntry<>(key, e.exists() ? current(e) : null,
                    readThrough() ? loader : null);
            done[0] = pe;
            T r;
            try {
                r = processor.process(pe, arguments);
            } catch (EntryProcessorException ex) {
                throw ex;
            } catch (Exception ex) {
                throw new EntryProcessorException(ex);
            }
            applyProcessor(key, pe, e, ev);
            return r;
        });
        if (statisticsEnabled) {
            countProcessor(done[0], t0);
        }
        ev.fire();
        return result;
    }

    private void applyProcessor(K key, ProcessorEntry<K, V> pe, StoreEntry e, Events ev) {
        switch (pe.state()) {
            case ACCESSED:
                access(e);
                break;
            case LOADED: {
                long at = creationExpiry(e);
                if (!expiredAt(at, e)) {
                    e.set(stored(key, pe.value()), at);
                    ev.add(EventType.CREATED, key, pe.value(), null);
                }
                break;
            }
            case CREATED: {
                write(key, pe.value());
                long at = creationExpiry(e);
                if (!expiredAt(at, e)) {
                    e.set(stored(key, pe.value()), at);
                    ev.add(EventType.CREATED, key, pe.value(), null);
                } else {
                    pe.remove();
                }
                break;
            }
            case UPDATED:
                write(key, pe.value());
                e.set(stored(key, pe.value()), updateExpiry(e));
                e.touch();
                ev.add(EventType.UPDATED, key, pe.value(), pe.original());
                break;
            case REMOVED:
                delete(key);
                if (e.exists()) {
                    e.remove();
                    ev.add(EventType.REMOVED, key, pe.original(), pe.original());
                }
                break;
            default:
                break;
        }
    }

    private void countProcessor(ProcessorEntry<K, V> pe, long t0) {
        if (pe == null) {
            return;
        }
        long dt = System.nanoTime() - t0;
        // The lookup of the entry is a hit or a miss, whatever the processor does with it.
        stats.read(pe.existed(), dt);
        switch (pe.state()) {
            case CREATED:
            case UPDATED:
            case LOADED:
                stats.wrote(dt);
                break;
            case REMOVED:
                if (pe.existed()) {
                    stats.removed(dt);
                }
                break;
            default:
                break;
        }
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
                                                         Object... arguments) {
        ensureOpen();
        requireKeys(keys);
        if (processor == null) {
            throw new NullPointerException("entryProcessor");
        }
        Map<K, EntryProcessorResult<T>> out = new HashMap<>();
        for (K key : keys) {
            try {
                T r = invoke(key, processor, arguments);
                if (r != null) {
                    out.put(key, () -> r);
                }
            } catch (Exception ex) {
                EntryProcessorException epe = ex instanceof EntryProcessorException ? (EntryProcessorException) ex
                        : new EntryProcessorException(ex);
                out.put(key, () -> {
                    throw epe;
                });
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ iteration

    @Override
    public Iterator<Cache.Entry<K, V>> iterator() {
        ensureOpen();
        Iterator<byte[]> keys = store.keys();
        return new Iterator<>() {
            CachalotEntry<K, V> next;
            CachalotEntry<K, V> last;

            @Override
            public boolean hasNext() {
                while (next == null && keys.hasNext()) {
                    byte[] kb = keys.next();
                    Events ev = events();
                    next = store.compute(kb, e -> {
                        if (!e.exists()) {
                            if (e.expiredValue() != null) {
                                ev.expiredOn(key(kb), e);
                            }
                            return null;
                        }
                        K k = key(kb);
                        V v = current(e);
                        access(e);
                        return new CachalotEntry<>(k, v);
                    });
                    if (next != null && statisticsEnabled) {
                        stats.hits(1);
                    }
                    ev.fire();
                }
                return next != null;
            }

            @Override
            public Cache.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                last = next;
                next = null;
                return last;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() has not been called, or remove() was already called");
                }
                K k = last.getKey();
                last = null;
                CachalotCache.this.remove(k);
            }
        };
    }

    // ------------------------------------------------------------------ listeners, configuration, life cycle

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        ensureOpen();
        if (listenerConfiguration == null) {
            throw new NullPointerException("cacheEntryListenerConfiguration");
        }
        events.register(listenerConfiguration);
        config.addCacheEntryListenerConfiguration(listenerConfiguration);
        listenForeignChanges();
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        ensureOpen();
        if (listenerConfiguration == null) {
            throw new NullPointerException("cacheEntryListenerConfiguration");
        }
        if (events.deregister(listenerConfiguration)) {
            config.removeCacheEntryListenerConfiguration(listenerConfiguration);
        }
        listenForeignChanges();
    }

    /** Changes other JVMs make (a shared remote store) reach this cache's listeners while it has any. */
    private void listenForeignChanges() {
        store.setForeignChangeListener(events.active() ? this::changedElsewhere : null);
    }

    private void changedElsewhere(CacheStore.ForeignChange change, byte[] keyBytes, byte[] oldBytes, byte[] newBytes) {
        if (closed || !events.active()) {
            return;
        }
        K k = key(keyBytes);
        V old = oldBytes == null ? null : value(oldBytes, true);
        V now = newBytes == null ? null : value(newBytes, true);
        CachalotEntryEvent<K, V> e;
        switch (change) {
            case CREATED:
                e = new CachalotEntryEvent<>(this, EventType.CREATED, k, now, null);
                break;
            case UPDATED:
                e = new CachalotEntryEvent<>(this, EventType.UPDATED, k, now, old);
                break;
            case REMOVED:
                e = new CachalotEntryEvent<>(this, EventType.REMOVED, k, old, old);
                break;
            default:
                e = new CachalotEntryEvent<>(this, EventType.EXPIRED, k, old, old);
                break;
        }
        List<CachalotEntryEvent<K, V>> one = new ArrayList<>(1);
        one.add(e);
        events.dispatchBackground(one);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        if (clazz.isInstance(config)) {
            return clazz.cast(config);
        }
        throw new IllegalArgumentException("the configuration is a " + config.getClass().getName()
                + ", not a " + clazz.getName());
    }

    /** The store under this cache (the embedded engine's, or a remote one). */
    public CacheStore store() {
        return store;
    }

    /** This cache's statistics, whether or not they are enabled. */
    public CacheStatistics statistics() {
        return stats;
    }

    /** The number of entries, in time proportional to this cache (expired entries not yet reclaimed included). */
    public long size() {
        return store.size();
    }

    void setStatisticsEnabled(boolean enabled) {
        config.setStatisticsEnabled(enabled);
        statisticsEnabled = enabled;
        if (enabled) {
            MBeans.register(stats, MBeans.name(MBeans.STATISTICS, manager.getURI().toString(), name));
        } else {
            MBeans.unregister(MBeans.name(MBeans.STATISTICS, manager.getURI().toString(), name));
        }
    }

    void setManagementEnabled(boolean enabled) {
        config.setManagementEnabled(enabled);
        if (enabled) {
            MBeans.register(management, MBeans.name(MBeans.CONFIGURATION, manager.getURI().toString(), name));
        } else {
            MBeans.unregister(MBeans.name(MBeans.CONFIGURATION, manager.getURI().toString(), name));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        manager.released(this);
        MBeans.unregister(MBeans.name(MBeans.STATISTICS, manager.getURI().toString(), name));
        MBeans.unregister(MBeans.name(MBeans.CONFIGURATION, manager.getURI().toString(), name));
        closeQuietly(loader);
        closeQuietly(writer);
        closeQuietly(expiry);
        events.close();
        store.setExpiryListener(null);
        store.setForeignChangeListener(null);
        if (!manager.durable()) {
            store.clear(); // a durable engine keeps the entries: they are in its file, for the next start
        }
        store.close();
    }

    private static void closeQuietly(Object o) {
        if (o instanceof Closeable) {
            try {
                ((Closeable) o).close();
            } catch (IOException e) {
                // a failing close of an application object must not stop the cache from closing
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isAssignableFrom(getClass())) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(store)) {
            return clazz.cast(store);
        }
        throw new IllegalArgumentException("cannot unwrap a CachalotCache to " + clazz.getName());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("cache " + name + " is closed");
        }
    }

    private static void requireValue(Object value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
    }

    private static void requireKeys(Set<?> keys) {
        if (keys == null) {
            throw new NullPointerException("keys");
        }
        for (Object k : keys) {
            if (k == null) {
                throw new NullPointerException("keys contains null");
            }
        }
    }

    @Override
    public String toString() {
        return "CachalotCache[" + name + "]";
    }

    /** Whether a configuration asks for what this cache is: same types (used by CacheManager.getCache). */
    static void checkTypes(CompleteConfiguration<?, ?> c, Class<?> keyType, Class<?> valueType, String name) {
        if (keyType == null || valueType == null) {
            throw new NullPointerException("keyType and valueType must not be null");
        }
        if (!keyType.equals(c.getKeyType())) {
            throw new ClassCastException("cache " + name + " has key type " + c.getKeyType().getName()
                    + ", not " + keyType.getName());
        }
        if (!valueType.equals(c.getValueType())) {
            throw new ClassCastException("cache " + name + " has value type " + c.getValueType().getName()
                    + ", not " + valueType.getName());
        }
    }
}
