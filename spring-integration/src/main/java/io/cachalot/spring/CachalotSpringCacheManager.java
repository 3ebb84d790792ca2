package io.cachalot.spring;

import io.cachalot.core.Engine;
import io.cachalot.provider.codec.Codec;
import io.cachalot.provider.codec.JsonCodec;
import io.cachalot.provider.codec.SerializingCodec;
import io.cachalot.provider.config.EngineSettings;
import io.cachalot.provider.config.EvictionPolicy;
import io.cachalot.provider.store.EmbeddedCacheStore;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.support.NullValue;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Spring {@link CacheManager} on Cachalot's embedded engine: each cache is a
 * {@link CachalotSpringCache} on the engine through the CacheStore SPI. Caches named in the
 * builder get their own settings; other names are created on first use with the defaults,
 * unless the manager was built {@link Builder#fixedCacheNames() with fixed names}.
 *
 * <pre>{@code
 * CachalotSpringCacheManager manager = CachalotSpringCacheManager.builder()
 *         .defaults(CachalotCacheConfig.defaults().withTimeToLive(Duration.ofMinutes(10)))
 *         .cache("users", CachalotCacheConfig.defaults().withMaxEntries(10_000))
 *         .engineParameters(Map.of("maxmemory", "256mb", "maxmemory-policy", "allkeys-lru"))
 *         .jsonValues(List.of("com.example.model"))
 *         .build();
 * }</pre>
 *
 * <p>Values are Java-serialized unless the builder says otherwise ({@link Builder#jsonValues},
 * {@link Builder#valueCodec}).
 */
public final class CachalotSpringCacheManager implements CacheManager, AutoCloseable {
    /** The embedded engine holding the caches; null when they are on a remote store. */
    private final Engine engine;
    private final boolean ownsEngine;
    /** The connection to the remote store ({@link Builder#remote}); null when embedded. */
    private final AutoCloseable remote;
    private final CachalotCacheConfig defaults;
    private final Map<String, CachalotCacheConfig> configs;
    private final boolean dynamic;
    private final ClassLoader classLoader;
    private final boolean transactionAware;
    private final Codec<Object> valueCodec;
    private volatile boolean closed;
    private final ConcurrentHashMap<String, CachalotSpringCache> caches = new ConcurrentHashMap<>();
    /** What getCache hands out: the caches, or their transaction-aware decorators. */
    private final ConcurrentHashMap<String, Cache> views = new ConcurrentHashMap<>();

    private CachalotSpringCacheManager(Builder b) {
        if (b.engine != null && !b.engineParameters.isEmpty()) {
            throw new IllegalStateException("engine parameters are for the engine the manager makes: "
                    + "set them on the engine given to engine(Engine) instead");
        }
        this.classLoader = b.classLoader != null ? b.classLoader : CachalotSpringCacheManager.class.getClassLoader();
        if (b.valueCodec != null) {
            this.valueCodec = b.valueCodec;
        } else if (b.jsonTrusted != null) {
            this.valueCodec = JsonCodec.builder(Object.class).classLoader(classLoader).trust(b.jsonTrusted)
                    .nullValue(NullValue.INSTANCE).build();
        } else {
            this.valueCodec = new SerializingCodec<>(classLoader);
        }
        if (b.remote != null) {
            if (b.engine != null || !b.engineParameters.isEmpty()) {
                throw new IllegalStateException("a remote cache manager has no engine of its own: "
                        + "engine(Engine) and engineParameters do not apply with remote(...)");
            }
            this.engine = null;
            this.ownsEngine = false;
            this.remote = io.cachalot.provider.store.remote.RemoteStores.connect(b.remote);
        } else if (b.engine != null) {
            this.remote = null;
            this.ownsEngine = false;
            this.engine = b.engine;
        } else {
            this.remote = null;
            this.ownsEngine = true;
            this.engine = new Engine(EngineSettings.of(b.engineParameters));
            try {
                engine.loadIfDurable(); // save points set: the caches outlive the JVM
            } catch (java.io.IOException | io.cachalot.core.persist.rdb.RdbFormatException
                    | io.cachalot.core.persist.aof.AofFormatException e) {
                engine.close();
                throw new IllegalStateException("cannot load " + engine.persistence().file() + ": " + e.getMessage(), e);
            }
        }
        this.defaults = b.defaults;
        this.configs = new LinkedHashMap<>(b.configs);
        this.dynamic = b.dynamic;
        this.transactionAware = b.transactionAware;
        for (String name : configs.keySet()) {
            getCache(name);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The engine holding the caches; null when they are on a remote store. */
    public Engine engine() {
        return engine;
    }

    /** Operations the remote store could not answer; -1 when embedded. */
    public long remoteFailures() {
        return remote == null ? -1 : io.cachalot.provider.store.remote.RemoteStores.failures(remote);
    }

    /** Changes dropped because the remote store was out of reach (on-failure=miss, each logged); -1 when embedded. */
    public long remoteLostWrites() {
        return remote == null ? -1 : io.cachalot.provider.store.remote.RemoteStores.lostWrites(remote);
    }

    /** Round trips to the remote store waited for (commands and scripts); -1 when embedded. */
    public long remoteCalls() {
        return remote == null ? -1 : io.cachalot.provider.store.remote.RemoteStores.calls(remote);
    }

    /** The time those round trips took, in nanoseconds; -1 when embedded. */
    public long remoteCallNanos() {
        return remote == null ? -1 : io.cachalot.provider.store.remote.RemoteStores.callNanos(remote);
    }

    /** Whether the caches are on a remote store ({@link Builder#remote}). */
    public boolean isRemote() {
        return remote != null;
    }

    /**
     * The remote store's host:port after a PING it answered; fails (a {@code CacheException}
     * naming it) when it does not answer. Only for a remote manager.
     */
    public String pingRemote() {
        if (remote == null) {
            throw new IllegalStateException("not a remote cache manager");
        }
        io.cachalot.provider.store.remote.RemoteStores.ping(remote);
        return io.cachalot.provider.store.remote.RemoteStores.where(remote);
    }

    @Override
    public Cache getCache(String name) {
        Cache view = views.get(name);
        if (view != null) {
            return view;
        }
        Cache c = cache(name);
        if (c == null) {
            return null;
        }
        return views.computeIfAbsent(name, n -> transactionAware
                ? new org.springframework.cache.transaction.TransactionAwareCacheDecorator(c) : c);
    }

    /** The cache itself (never decorated). */
    private Cache cache(String name) {
        CachalotSpringCache c = caches.get(name);
        if (c != null) {
            return c;
        }
        CachalotCacheConfig config = configs.get(name);
        if (config == null) {
            if (!dynamic) {
                return null;
            }
            config = defaults;
        }
        CachalotCacheConfig chosen = config;
        return caches.computeIfAbsent(name, n -> create(n, chosen));
    }

    private CachalotSpringCache create(String name, CachalotCacheConfig config) {
        if (remote != null) {
            if (config.maxEntries() > 0 || config.maxMemory() > 0) {
                throw new IllegalStateException("cache " + name + ": max-entries and max-memory bound embedded caches; "
                        + "a remote cache is bounded by the server's maxmemory and its eviction policy");
            }
            return new CachalotSpringCache(name, io.cachalot.provider.store.remote.RemoteStores.store(remote,
                    config.keyPrefixFor(name).getBytes(StandardCharsets.UTF_8)), valueCodec, config);
        }
        EmbeddedCacheStore store = new EmbeddedCacheStore(engine.keyspace(), config.database(),
                config.keyPrefixFor(name).getBytes(StandardCharsets.UTF_8), config.maxEntries(), config.maxMemory(),
                config.evictionPolicy() == EvictionPolicy.LFU, false, false); // serialized values: decoded afresh
        store.enforceEngineLimit(engine.evictor());
        return new CachalotSpringCache(name, store, valueCodec, config);
    }

    @Override
    public Collection<String> getCacheNames() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** The codec of the caches' values. */
    public Codec<Object> valueCodec() {
        return valueCodec;
    }

    /** Stops tracking the caches (their entries stay in the engine) and closes the engine if the manager made it. */
    @Override
    public void close() {
        closed = true;
        for (CachalotSpringCache c : caches.values()) {
            c.getNativeCache().close();
        }
        caches.clear();
        views.clear();
        if (ownsEngine) {
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

    /** Builds a {@link CachalotSpringCacheManager}. */
    public static final class Builder {
        private Engine engine;
        private CachalotCacheConfig defaults = CachalotCacheConfig.defaults();
        private final Map<String, CachalotCacheConfig> configs = new LinkedHashMap<>();
        private boolean dynamic = true;
        private ClassLoader classLoader;
        private boolean transactionAware;
        private final Map<String, String> engineParameters = new LinkedHashMap<>();
        private Codec<Object> valueCodec;
        private List<String> jsonTrusted;
        private io.cachalot.provider.config.RemoteSettings remote;

        private Builder() {
        }

        /**
         * The caches on a remote RESP server (a Cachalot server, redis-server, Valkey) shared with
         * the application's other instances, instead of an engine in this JVM: see
         * {@link io.cachalot.provider.config.RemoteSettings#of} for {@code cachalot.remote.uri},
         * {@code .timeout} and {@code .lock-lease}. A {@code get(key, loader)} (Spring's
         * {@code @Cacheable(sync = true)}) then loads once across JVMs: the entry's lock is held
         * while the loader runs, and the others wait and read its result. Needs Lettuce.
         */
        public Builder remote(io.cachalot.provider.config.RemoteSettings settings) {
            this.remote = settings;
            return this;
        }

        /**
         * Parameters of the engine the manager makes, by their Redis names ({@code maxmemory},
         * {@code maxmemory-policy}, {@code requirepass}, ...), as {@code cachalot.engine.*} sets them
         * for Spring Boot and the JCache provider; checked by {@link EngineSettings#of} when built
         * (an unknown name or a refused value fails with an {@link IllegalArgumentException}).
         * Not with {@link #engine(Engine)}.
         */
        public Builder engineParameters(Map<String, String> parameters) {
            engineParameters.putAll(parameters);
            return this;
        }

        /**
         * Values as JSON ({@link JsonCodec}, needs Jackson): readable with {@code redis-cli GET}, read
         * back as their classes, which must be the JDK's value types or in {@code trustedPackages}
         * (packages or classes); cached nulls are JSON {@code null}.
         */
        public Builder jsonValues(List<String> trustedPackages) {
            this.jsonTrusted = List.copyOf(trustedPackages);
            this.valueCodec = null;
            return this;
        }

        /**
         * The codec of the values (default: Java serialization with {@link #classLoader}). It is given
         * Spring's {@code NullValue.INSTANCE} for a cached null: a {@link JsonCodec} should be built
         * with {@code nullValue(NullValue.INSTANCE)}.
         */
        public Builder valueCodec(Codec<Object> codec) {
            this.valueCodec = codec;
            this.jsonTrusted = null;
            return this;
        }

        /**
         * Puts and evicts inside a Spring-managed transaction take effect after it commits (and not
         * at all on rollback), as Spring's {@code TransactionAwareCacheDecorator} does; needs
         * spring-tx and spring-context-support on the classpath.
         */
        public Builder transactionAware() {
            this.transactionAware = true;
            return this;
        }

        /** Use this engine (e.g. a JCache CacheManager's, or one served over RESP); default: a new one. */
        public Builder engine(Engine engine) {
            this.engine = engine;
            return this;
        }

        /** Settings of caches not configured by name. */
        public Builder defaults(CachalotCacheConfig defaults) {
            this.defaults = defaults;
            return this;
        }

        /** A cache with its own settings, created at build time. */
        public Builder cache(String name, CachalotCacheConfig config) {
            configs.put(name, config);
            return this;
        }

        /** Only the caches named with {@link #cache} exist; other names give null. */
        public Builder fixedCacheNames() {
            this.dynamic = false;
            return this;
        }

        /** The class loader that deserializes values. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        public CachalotSpringCacheManager build() {
            return new CachalotSpringCacheManager(this);
        }
    }
}
