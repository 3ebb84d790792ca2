package io.cachalot.spring.boot;

import io.cachalot.provider.config.EngineSettings;
import io.cachalot.provider.config.EvictionPolicy;
import io.cachalot.provider.config.ManagerSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cachalot's Spring Boot settings ({@code cachalot.*}). Every property under {@code cachalot.}
 * must be one of these: an unknown one ({@code cachalot.foo}, a misspelt
 * {@code cachalot.caches.books.max-entires}) fails the start, as does an unknown or refused
 * engine parameter under {@code cachalot.engine} (checked by {@link #validate}).
 */
@ConfigurationProperties(prefix = "cachalot", ignoreUnknownFields = false)
public class CachalotProperties implements Validator {
    /** Where the caches live. */
    public enum Mode {
        /** In an engine inside the application. */
        EMBEDDED,
        /** On a remote RESP server (Cachalot, Redis, Valkey), shared with the application's other instances. */
        REMOTE
    }

    /** Embedded (an engine in the application) or remote (a RESP server, see cachalot.remote.*). */
    private Mode mode = Mode.EMBEDDED;

    /** Whether puts and evicts inside a Spring transaction wait for its commit (needs spring-tx). */
    private boolean transactionAware;

    /** Settings of caches that have no entry under {@code cachalot.caches}. */
    private final CacheSpec cacheDefaults = new CacheSpec();

    /** Settings per cache name. */
    private final Map<String, CacheSpec> caches = new LinkedHashMap<>();

    /** Serve the embedded engine over RESP, so that redis-cli can look at the caches. */
    private final Resp resp = new Resp();

    /** The server of cachalot.mode=remote. */
    private final Remote remote = new Remote();

    /**
     * Engine parameters by their Redis names (maxmemory, maxmemory-policy, requirepass, hz,
     * databases...), as in redis.conf; YAML's maxmemoryPolicy works too.
     */
    private final Map<String, String> engine = new LinkedHashMap<>();

    /**
     * How values are stored: java (Java serialization) or json (Jackson, readable with redis-cli
     * GET; classes must be trusted, see cachalot.json.trusted-packages).
     */
    private ManagerSettings.ValueFormat codec = ManagerSettings.ValueFormat.JAVA;

    /** Settings of cachalot.codec=json. */
    private final Json json = new Json();

    /** The standalone server's logging switches (JVM system properties only). */
    private final Log log = new Log();

    /**
     * Event-loop threads of the RESP server: read from the JVM system property only
     * (-Dcachalot.io-threads=N), accepted here so that the system property does not fail the binding.
     */
    private String ioThreads;

    /**
     * Network transport of the RESP server (nio to force Java NIO): read from the JVM system
     * property only (-Dcachalot.transport=nio), as cachalot.io-threads.
     */
    private String transport;

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public boolean isTransactionAware() {
        return transactionAware;
    }

    public void setTransactionAware(boolean transactionAware) {
        this.transactionAware = transactionAware;
    }

    public CacheSpec getCacheDefaults() {
        return cacheDefaults;
    }

    public Map<String, CacheSpec> getCaches() {
        return caches;
    }

    public Resp getResp() {
        return resp;
    }

    public Remote getRemote() {
        return remote;
    }

    /** {@code cachalot.engine.*}: engine parameter (as written) to value. */
    public Map<String, String> getEngine() {
        return engine;
    }

    /** {@code cachalot.codec}: how values are stored. */
    public ManagerSettings.ValueFormat getCodec() {
        return codec;
    }

    public void setCodec(ManagerSettings.ValueFormat codec) {
        this.codec = codec;
    }

    /** {@code cachalot.log.*}: the standalone server's logging switches. */
    public Log getLog() {
        return log;
    }

    /** {@code cachalot.json.*}: settings of the JSON codec. */
    public Json getJson() {
        return json;
    }

    /** {@code cachalot.io-threads} when set (it must be the JVM system property's value). */
    public String getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(String ioThreads) {
        this.ioThreads = ioThreads;
    }

    /** {@code cachalot.transport} when set (it must be the JVM system property's value). */
    public String getTransport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport;
    }

    /** Only validates {@link CachalotProperties}. */
    @Override
    public boolean supports(Class<?> type) {
        return CachalotProperties.class.isAssignableFrom(type);
    }

    /**
     * Checks what binding cannot: the engine parameters (names and values, as the JCache provider
     * checks them), and that the RESP server's JVM-wide settings come from JVM system properties.
     */
    @Override
    public void validate(Object target, Errors errors) {
        CachalotProperties p = (CachalotProperties) target;
        try {
            EngineSettings.of(p.engine);
        } catch (IllegalArgumentException e) {
            errors.reject("cachalot.engine", e.getMessage());
        }
        jvmProperty(errors, "cachalot.io-threads", p.ioThreads);
        jvmProperty(errors, "cachalot.transport", p.transport);
        jvmProperty(errors, "cachalot.log.libraries", p.log.libraries);
    }

    private static void jvmProperty(Errors errors, String name, String bound) {
        if (bound != null && !bound.equals(System.getProperty(name))) {
            errors.reject(name, name + " is read by the RESP server from the JVM system property only: start "
                    + "the JVM with -D" + name + "=" + bound + " instead");
        }
    }
    /** One cache's settings; unset values fall back to {@code cachalot.cache-defaults}. */
    public static class CacheSpec {
        /** Entries expire this long after they were written. */
        private Duration timeToLive;
        /** Entries expire this long after they were last read or written. */
        private Duration timeToIdle;
        /** Most entries the cache holds (0: unbounded). */
        private Long maxEntries;
        /** Most memory the cache's entries take, as the engine estimates it (0: unbounded). */
        private DataSize maxMemory;
        /** Which entry goes when a bound is reached. */
        private EvictionPolicy evictionPolicy;
        /** Whether null results are cached. */
        private Boolean cacheNullValues;
        /** Prefix of the engine keys; {name} stands for the cache name. */
        private String keyPrefix;
        /** Engine database (SELECT index) of the entries. */
        private Integer database;

        public Duration getTimeToLive() {
            return timeToLive;
        }

        public void setTimeToLive(Duration timeToLive) {
            this.timeToLive = timeToLive;
        }

        public Duration getTimeToIdle() {
            return timeToIdle;
        }

        public void setTimeToIdle(Duration timeToIdle) {
            this.timeToIdle = timeToIdle;
        }

        public Long getMaxEntries() {
            return maxEntries;
        }

        public void setMaxEntries(Long maxEntries) {
            this.maxEntries = maxEntries;
        }

        public DataSize getMaxMemory() {
            return maxMemory;
        }

        public void setMaxMemory(DataSize maxMemory) {
            this.maxMemory = maxMemory;
        }

        public EvictionPolicy getEvictionPolicy() {
            return evictionPolicy;
        }

        public void setEvictionPolicy(EvictionPolicy evictionPolicy) {
            this.evictionPolicy = evictionPolicy;
        }

        public Boolean getCacheNullValues() {
            return cacheNullValues;
        }

        public void setCacheNullValues(Boolean cacheNullValues) {
            this.cacheNullValues = cacheNullValues;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Integer getDatabase() {
            return database;
        }

        public void setDatabase(Integer database) {
            this.database = database;
        }

        /** This spec applied over {@code base}. */
        io.cachalot.spring.CachalotCacheConfig applyTo(io.cachalot.spring.CachalotCacheConfig base) {
            io.cachalot.spring.CachalotCacheConfig c = base;
            if (timeToLive != null) {
                c = c.withTimeToLive(timeToLive);
            }
            if (timeToIdle != null) {
                c = c.withTimeToIdle(timeToIdle);
            }
            if (maxEntries != null) {
                c = c.withMaxEntries(maxEntries);
            }
            if (maxMemory != null) {
                c = c.withMaxMemory(maxMemory.toBytes());
            }
            if (evictionPolicy != null) {
                c = c.withEvictionPolicy(evictionPolicy);
            }
            if (cacheNullValues != null) {
                c = c.withNullValues(cacheNullValues);
            }
            if (keyPrefix != null) {
                c = c.withKeyPrefix(keyPrefix);
            }
            if (database != null) {
                c = c.withDatabase(database);
            }
            return c;
        }
    }

    /** The standalone server's logging switches, accepted so that their JVM system properties do not fail the binding. */
    public static class Log {
        /**
         * Whether libraries' debug logging reaches the standalone server's verbose and debug levels:
         * read by the server from the JVM system property only (-Dcachalot.log.libraries=true); an
         * application's logging is configured in its own logging system.
         */
        private String libraries;

        /** {@code cachalot.log.libraries} when set (it must be the JVM system property's value). */
        public String getLibraries() {
            return libraries;
        }

        public void setLibraries(String libraries) {
            this.libraries = libraries;
        }
    }

    /** Settings of the JSON codec. */
    public static class Json {
        /**
         * Packages (with their subpackages) or classes whose instances may be stored and read back
         * as JSON, besides the JDK's value types and the application's own packages (those of its
         * @SpringBootApplication); never "*".
         */
        private List<String> trustedPackages = new ArrayList<>();

        /** {@code cachalot.json.trusted-packages}. */
        public List<String> getTrustedPackages() {
            return trustedPackages;
        }

        public void setTrustedPackages(List<String> trustedPackages) {
            this.trustedPackages = trustedPackages;
        }
    }

    /** RESP access to the embedded engine. */
    /**
     * The server of {@code cachalot.mode=remote}; unset values come from Spring Boot's
     * {@code spring.data.redis.*} when present, so an application already pointed at its Redis
     * needs only {@code cachalot.mode=remote}.
     */
    public static class Remote {
        /** redis://[user:password@]host[:port][/database] (default: spring.data.redis.*, else redis://127.0.0.1:6379). */
        private String uri;
        /** Most time a command may take (default: spring.data.redis.timeout, else 5s). */
        private Duration timeout;
        /** How long an entry stays locked by an instance that stopped answering (30s). */
        private Duration lockLease = Duration.ofSeconds(30);
        /**
         * fail: an operation the server cannot answer throws; miss: the caches behave as empty while
         * it is out of reach (reads miss, writes are dropped, logged and counted in
         * cachalot.remote.lost.writes), so a cache outage does not take the application down.
         */
        private io.cachalot.provider.config.RemoteSettings.OnFailure onFailure =
                io.cachalot.provider.config.RemoteSettings.OnFailure.FAIL;

        /**
         * Copies of each cache's values kept in this instance, kept coherent by the server's client
         * tracking (0: no near cache; needs a server with CLIENT TRACKING).
         */
        private int nearCacheMaxEntries;

        public int getNearCacheMaxEntries() {
            return nearCacheMaxEntries;
        }

        public void setNearCacheMaxEntries(int nearCacheMaxEntries) {
            this.nearCacheMaxEntries = nearCacheMaxEntries;
        }

        public io.cachalot.provider.config.RemoteSettings.OnFailure getOnFailure() {
            return onFailure;
        }

        public void setOnFailure(io.cachalot.provider.config.RemoteSettings.OnFailure onFailure) {
            this.onFailure = onFailure;
        }

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getLockLease() {
            return lockLease;
        }

        public void setLockLease(Duration lockLease) {
            this.lockLease = lockLease;
        }
    }

    public static class Resp {
        /** Port to serve the engine on over RESP (unset: not served; 0: a free port). */
        private Integer port;
        /** Address to bind. */
        private String bind = "127.0.0.1";

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public String getBind() {
            return bind;
        }

        public void setBind(String bind) {
            this.bind = bind;
        }
    }
}
