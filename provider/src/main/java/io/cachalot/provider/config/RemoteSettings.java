package io.cachalot.provider.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where a CacheManager in remote mode ({@code cachalot.mode=remote}) keeps its caches: a RESP
 * server (Cachalot, Redis, Valkey) the application shares with its other instances.
 * <ul>
 *   <li>{@code cachalot.remote.uri}: {@code redis://[user:password@]host:port[/database]}
 *       (default {@code redis://127.0.0.1:6379}; {@code rediss://} for TLS), or several separated
 *       by commas: tried in turn, and a Redis Cluster's seed nodes;</li>
 *   <li>{@code cachalot.remote.timeout}: how long a command may take, in milliseconds (default 5000);</li>
 *   <li>{@code cachalot.remote.lock-lease}: how long an entry stays locked by an operation of a
 *       JVM that stopped answering before others may take it, in milliseconds (default 30000);</li>
 *   <li>{@code cachalot.remote.on-failure}: {@code fail} (default: an operation the server cannot
 *       answer throws a CacheException naming it) or {@code miss} (the cache behaves as empty
 *       while the server is out of reach: reads miss, writes are dropped with a log line and
 *       counted, so that a cache outage does not take the application down);</li>
 *   <li>{@code cachalot.remote.near-cache-max-entries}: copies of each cache's values kept in this
 *       JVM, kept coherent by the server's client tracking (default 0: no near cache).</li>
 * </ul>
 */
public final class RemoteSettings {
    /** The property names this class reads. */
    static final String URI_PROPERTY = "cachalot.remote.uri";
    static final String TIMEOUT_PROPERTY = "cachalot.remote.timeout";
    static final String LEASE_PROPERTY = "cachalot.remote.lock-lease";
    static final String ON_FAILURE_PROPERTY = "cachalot.remote.on-failure";
    static final String NEAR_PROPERTY = "cachalot.remote.near-cache-max-entries";

    /** What an operation does when the server cannot be reached. */
    public enum OnFailure {
        /** Throw a CacheException naming the server. */
        FAIL,
        /** Behave as an empty cache: reads miss, writes are dropped (logged and counted). */
        MISS
    }

    private final List<URI> uris;
    private final Duration timeout;
    private final Duration lockLease;
    private final OnFailure onFailure;
    private final int nearCacheMaxEntries;

    private RemoteSettings(List<URI> uris, Duration timeout, Duration lockLease, OnFailure onFailure, int near) {
        this.nearCacheMaxEntries = near;
        this.uris = uris;
        this.timeout = timeout;
        this.lockLease = lockLease;
        this.onFailure = onFailure;
    }

    /**
     * Reads the remote settings from {@code cachalot.remote.*} properties; a value that cannot be
     * used fails with an IllegalArgumentException naming it.
     */
    public static RemoteSettings of(Properties p) {
        List<URI> uris = new ArrayList<>();
        for (String part : p.getProperty(URI_PROPERTY, "redis://127.0.0.1:6379").split(",")) {
            String u = part.trim();
            if (u.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = new URI(u);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(URI_PROPERTY + " is not a URI: " + u);
            }
            if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(URI_PROPERTY + " must be redis://host[:port][/database] "
                        + "(rediss:// for TLS), or several of them separated by commas: " + u);
            }
            uris.add(uri);
        }
        if (uris.isEmpty()) {
            throw new IllegalArgumentException(URI_PROPERTY + " names no server");
        }
        String f = p.getProperty(ON_FAILURE_PROPERTY, "fail").trim();
        OnFailure onFailure;
        if (f.equalsIgnoreCase("fail")) {
            onFailure = OnFailure.FAIL;
        } else if (f.equalsIgnoreCase("miss")) {
            onFailure = OnFailure.MISS;
        } else {
            throw new IllegalArgumentException(ON_FAILURE_PROPERTY + " must be fail or miss: " + f);
        }
        String n = p.getProperty(NEAR_PROPERTY, "0").trim();
        int near;
        try {
            near = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            near = -1;
        }
        if (near < 0) {
            throw new IllegalArgumentException(NEAR_PROPERTY + " must be a number of entries (0: no near cache): " + n);
        }
        return new RemoteSettings(List.copyOf(uris), millis(p, TIMEOUT_PROPERTY, 5000), millis(p, LEASE_PROPERTY, 30000), onFailure,
                near);
    }

    private static Duration millis(Properties p, String name, long dflt) {
        String v = p.getProperty(name);
        if (v == null) {
            return Duration.ofMillis(dflt);
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms > 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + " must be a positive number of milliseconds: " + v);
    }

    /** The (first) server's URI. */
    public URI uri() {
        return uris.get(0);
    }

    /** Every URI given: servers to try in turn, or a Redis Cluster's seed nodes. */
    public List<URI> uris() {
        return uris;
    }

    /** The most a command may take. */
    public Duration timeout() {
        return timeout;
    }

    /** Copies each cache may keep in this JVM (0: no near cache). */
    public int nearCacheMaxEntries() {
        return nearCacheMaxEntries;
    }

    /** What an operation does when the server cannot be reached. */
    public OnFailure onFailure() {
        return onFailure;
    }

    /** How long an entry lock outlives a JVM that took it and stopped answering. */
    public Duration lockLease() {
        return lockLease;
    }
}
