package io.cachalot.spring.boot;

import io.cachalot.provider.config.EvictionPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Cachalot's Spring Boot settings ({@code cachalot.*}). */
@ConfigurationProperties(prefix = "cachalot")
public class CachalotProperties {
    /** Where the caches live. */
    public enum Mode {
        /** In an engine inside the application. */
        EMBEDDED,
        /** On a remote RESP server (Cachalot, Redis, Valkey): not available yet. */
        REMOTE
    }

    /** Embedded (an engine in the application) or remote (a RESP server; not available yet). */
    private Mode mode = Mode.EMBEDDED;

    /** Whether puts and evicts inside a Spring transaction wait for its commit (needs spring-tx). */
    private boolean transactionAware;

    /** Settings of caches that have no entry under {@code cachalot.caches}. */
    private final CacheSpec cacheDefaults = new CacheSpec();

    /** Settings per cache name. */
    private final Map<String, CacheSpec> caches = new LinkedHashMap<>();

    /** Serve the embedded engine over RESP, so that redis-cli can look at the caches. */
    private final Resp resp = new Resp();

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

    /** RESP access to the embedded engine. */
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
