package io.cachalot.provider;

import io.cachalot.core.Engine;
import io.cachalot.core.spi.EngineServer;
import io.cachalot.provider.codec.Codec;
import io.cachalot.provider.codec.Codecs;
import io.cachalot.provider.config.CachalotConfiguration;
import io.cachalot.provider.config.CacheSettings;
import io.cachalot.provider.config.EvictionPolicy;
import io.cachalot.provider.config.ManagerSettings;
import io.cachalot.provider.store.EmbeddedCacheStore;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JSR-107 CacheManager with its own embedded Cachalot engine. Vendor settings come from the
 * properties given to {@code getCacheManager} (or the file its URI names, see
 * {@link CachalotCachingProvider}):
 * <ul>
 *   <li>{@code cachalot.cache.<name>.max-entries}, {@code .eviction-policy} (lru, lfu),
 *       {@code .key-prefix} ({@code {name}} stands for the cache name), {@code .database};
 *       {@code cachalot.default.<setting>} for every cache;</li>
 *   <li>{@code cachalot.resp.port} (0: a free port) and {@code cachalot.resp.bind} (default
 *       127.0.0.1): serve the engine over RESP, so {@code redis-cli} can inspect the caches
 *       (needs the cachalot-server module on the classpath);</li>
 *   <li>{@code cachalot.engine.<redis-config-name>}: an engine setting at start
 *       (e.g. {@code cachalot.engine.maxmemory=64mb}), see {@link io.cachalot.provider.config.EngineSettings};</li>
 *   <li>{@code cachalot.codec=json} (default {@code java}) and {@code cachalot.json.trusted-packages}:
 *       values of other types than String, byte[], the boxed numbers and Boolean are stored as JSON
 *       instead of Java-serialized, see {@link io.cachalot.provider.codec.JsonCodec}.</li>
 * </ul>
 * Any other property whose name starts with {@code cachalot.} is refused (a {@link CacheException}
 * naming it), as is an unknown engine parameter; see {@link ManagerSettings}.
 */
public final class CachalotCacheManager implements CacheManager {
    private final CachalotCachingProvider provider;
    private final URI uri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final ManagerSettings managerSettings;
    /** The embedded engine holding the caches; null in remote mode. */
    private final Engine engine;
    /** The connection to the remote store (cachalot.mode=remote); null in embedded mode. */
    private final AutoCloseable remote;
    private final EngineServer.Serving serving;
    private final Map<String, CachalotCache<?, ?>> caches = new LinkedHashMap<>();
    private final ExecutorService loadExecutor;
    private volatile boolean closed;

    CachalotCacheManager(CachalotCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties) {
        this.provider = provider;
        this.uri = uri;
        this.classLoader = classLoader;
        this.properties = properties;
        try {
            this.managerSettings = ManagerSettings.of(properties);
        } catch (IllegalArgumentException e) {
            throw new CacheException(e.getMessage(), e);
        }
        if (managerSettings.remote() != null) {
            this.engine = null;
            this.remote = io.cachalot.provider.store.remote.RemoteStores.connect(managerSettings.remote());
            this.serving = null;
            this.loadExecutor = newLoadExecutor();
            return;
        }
        this.remote = null;
        this.engine = new Engine(managerSettings.engine());
        // a get reads the stored value array itself and keeps its decoded form beside it
        engine.keyspace().setPacksStrings(false);
        try {
            engine.loadIfDurable(); // cachalot.engine.save set: the caches outlive the JVM
        } catch (IOException | io.cachalot.core.persist.rdb.RdbFormatException
                | io.cachalot.core.persist.aof.AofFormatException e) {
            engine.close();
            throw new CacheException("cannot load " + engine.persistence().file() + ": " + e.getMessage(), e);
        }
        this.loadExecutor = newLoadExecutor();
        this.serving = managerSettings.respPort() == null ? null : serve(managerSettings.respPort(), managerSettings.respBind());
    }

    private static ExecutorService newLoadExecutor() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cachalot-loader");
            t.setDaemon(true);
            return t;
        });
    }

    private EngineServer.Serving serve(String port, String bind) {
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            engine.close();
            throw new CacheException("cachalot.resp.port is not a port number: " + port);
        }
        for (EngineServer s : ServiceLoader.load(EngineServer.class, CachalotCacheManager.class.getClassLoader())) {
            try {
                return s.serve(engine, bind.trim(), p);
            } catch (IOException e) {
                engine.close();
                throw new CacheException("cannot serve the caches over RESP on " + bind + ":" + p + ": " + e.getMessage(), e);
            }
        }
        engine.close();
        throw new CacheException("cachalot.resp.port is set but the cachalot-server module is not on the classpath");
    }

    /** The engine holding this manager's caches; null when they are on a remote store. */
    public Engine engine() {
        return engine;
    }

    /** The port the engine is served on over RESP, or -1 when it is not. */
    public int respPort() {
        return serving == null ? -1 : serving.port();
    }

    /**
     * Operations the remote store could not answer (refused, disconnected, timed out) since this
     * manager connected; -1 for an embedded manager.
     */
    public long remoteFailures() {
        return remote == null ? -1 : io.cachalot.provider.store.remote.RemoteStores.failures(remote);
    }

    /**
     * Changes dropped because the remote store was out of reach ({@code cachalot.remote.on-failure=miss},
     * each also logged); -1 for an embedded manager.
     */
    public long remoteLostWrites() {
        return remote == null ? -1 : io.cachalot.provider.store.remote.RemoteStores.lostWrites(remote);
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        ensureOpen();
        if (cacheName == null) {
            throw new NullPointerException("cacheName");
        }
        if (configuration == null) {
            throw new NullPointerException("configuration");
        }
        synchronized (caches) {
            if (caches.containsKey(cacheName)) {
                throw new CacheException("a cache named " + cacheName + " already exists");
            }
            CachalotConfiguration<K, V> config = new CachalotConfiguration<>(configuration);
            CacheSettings settings;
            try {
                settings = CacheSettings.resolve(cacheName, config, properties,
                        engine == null ? 1 : engine.keyspace().databaseCount());
            } catch (IllegalArgumentException e) {
                throw new CacheException(e.getMessage(), e);
            }
            Codec<K> keyCodec = config.getKeyCodec() != null ? config.getKeyCodec()
                    : Codecs.forType(config.getKeyType(), classLoader);
            if (!config.isStoreByValue()) {
                keyCodec = new io.cachalot.provider.codec.ReferenceKeyCodec<>(keyCodec);
            }
            Codec<V> valueCodec;
            try {
                valueCodec = config.getValueCodec() != null ? config.getValueCodec()
                        : managerSettings.valueCodec(config.getValueType(), classLoader);
            } catch (IllegalArgumentException e) {
                throw new CacheException(e.getMessage(), e);
            }
            io.cachalot.provider.store.CacheStore store;
            if (remote != null) {
                store = remoteStore(cacheName, config, settings);
            } else {
                EmbeddedCacheStore embedded = new EmbeddedCacheStore(engine.keyspace(), settings.database,
                        settings.keyPrefix.getBytes(StandardCharsets.UTF_8), settings.maxEntries, settings.maxMemory,
                        settings.evictionPolicy == EvictionPolicy.LFU, !config.isStoreByValue(), settings.memoizeValues);
                embedded.enforceEngineLimit(engine.evictor());
                store = embedded;
            }
            CachalotCache<K, V> cache;
            try {
                cache = new CachalotCache<>(this, cacheName, config, store, keyCodec, valueCodec, loadExecutor);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            caches.put(cacheName, cache);
            return cache;
        }
    }

    /**
     * A cache's store on the remote server: by value only (the entries are shared with other
     * JVMs), bounded by the server's maxmemory rather than per cache, in the URI's database.
     */
    private io.cachalot.provider.store.CacheStore remoteStore(String cacheName, CachalotConfiguration<?, ?> config,
                                                              CacheSettings settings) {
        if (!config.isStoreByValue()) {
            // JSR-107: an unsupported optional feature in a configuration is an UnsupportedOperationException
            throw new UnsupportedOperationException("cache " + cacheName + ": store-by-reference is not possible with "
                    + "cachalot.mode=remote (the entries live on the server, shared with other JVMs); "
                    + "use setStoreByValue(true)");
        }
        if (settings.maxEntries > 0 || settings.maxMemory > 0) {
            throw new CacheException("cache " + cacheName + ": max-entries and max-memory bound embedded caches; "
                    + "a remote cache is bounded by the server's maxmemory and its eviction policy");
        }
        return io.cachalot.provider.store.remote.RemoteStores.store(remote,
                settings.keyPrefix.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        ensureOpen();
        if (cacheName == null) {
            throw new NullPointerException("cacheName");
        }
        if (keyType == null || valueType == null) {
            throw new NullPointerException("keyType and valueType must not be null");
        }
        CachalotCache<?, ?> cache;
        synchronized (caches) {
            cache = caches.get(cacheName);
        }
        if (cache == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        javax.cache.configuration.CompleteConfiguration<K, V> c =
                cache.getConfiguration(javax.cache.configuration.CompleteConfiguration.class);
        CachalotCache.checkTypes(c, keyType, valueType, cacheName);
        @SuppressWarnings("unchecked")
        Cache<K, V> typed = (Cache<K, V>) cache;
        return typed;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName) {
        ensureOpen();
        if (cacheName == null) {
            throw new NullPointerException("cacheName");
        }
        synchronized (caches) {
            return (Cache<K, V>) caches.get(cacheName);
        }
    }

    @Override
    public Iterable<String> getCacheNames() {
        ensureOpen();
        synchronized (caches) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
        }
    }

    @Override
    public void destroyCache(String cacheName) {
        ensureOpen();
        if (cacheName == null) {
            throw new NullPointerException("cacheName");
        }
        CachalotCache<?, ?> cache;
        synchronized (caches) {
            cache = caches.get(cacheName);
        }
        if (cache != null) {
            cache.clear();
            cache.close();
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        ensureOpen();
        CachalotCache<?, ?> cache = existing(cacheName);
        if (cache != null) {
            cache.setManagementEnabled(enabled);
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        ensureOpen();
        CachalotCache<?, ?> cache = existing(cacheName);
        if (cache != null) {
            cache.setStatisticsEnabled(enabled);
        }
    }

    private CachalotCache<?, ?> existing(String cacheName) {
        if (cacheName == null) {
            throw new NullPointerException("cacheName");
        }
        synchronized (caches) {
            return caches.get(cacheName);
        }
    }

    /** A cache closed itself: it is no longer this manager's. */
    void released(CachalotCache<?, ?> cache) {
        synchronized (caches) {
            caches.remove(cache.getName(), cache);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        provider.released(this);
        CachalotCache<?, ?>[] all;
        synchronized (caches) {
            all = caches.values().toArray(new CachalotCache<?, ?>[0]);
        }
        for (CachalotCache<?, ?> c : all) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // closing the others matters more
            }
        }
        if (serving != null) {
            serving.close();
        }
        loadExecutor.shutdown();
        if (engine != null) {
            engine.close();
        }
        if (remote != null) {
            try {
                remote.close();
            } catch (Exception e) {
                // closing: nothing left to do with it
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Whether the engine saves its data (cachalot.engine.save set): closed caches then keep their entries. */
    boolean durable() {
        // a remote store's entries are shared with other JVMs: closing this one leaves them
        return engine == null || engine.persistence().hasSavePoints();
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isAssignableFrom(getClass())) {
            return clazz.cast(this);
        }
        if (engine != null && clazz.isInstance(engine)) {
            return clazz.cast(engine);
        }
        throw new IllegalArgumentException("cannot unwrap a CachalotCacheManager to " + clazz.getName());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CacheManager " + uri + " is closed");
        }
    }
}
