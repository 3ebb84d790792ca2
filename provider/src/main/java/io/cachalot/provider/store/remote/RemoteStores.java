package io.cachalot.provider.store.remote;

import io.cachalot.provider.config.RemoteSettings;
import io.cachalot.provider.store.CacheStore;

import javax.cache.CacheException;

/**
 * The way into remote mode for code that must load without the RESP client (Lettuce is an
 * optional dependency): it is touched only when {@code cachalot.mode=remote}.
 */
public final class RemoteStores {
    private RemoteStores() {
    }

    /** Connects to the server of {@code settings}; a clear error when Lettuce is missing. */
    public static AutoCloseable connect(RemoteSettings settings) {
        try {
            Class.forName("io.lettuce.core.RedisClient", false, RemoteStores.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CacheException("cachalot.mode=remote needs Lettuce on the classpath (io.lettuce:lettuce-core)");
        }
        return RemoteConnection.open(settings);
    }

    /** PING on a connection {@link #connect} made: the server's answer, or a CacheException naming it. */
    public static String ping(AutoCloseable connection) {
        return ((RemoteConnection) connection).call(c -> c.ping());
    }

    /** Operations the server of a connection {@link #connect} made could not answer. */
    public static long failures(AutoCloseable connection) {
        return ((RemoteConnection) connection).failures();
    }

    /** Changes dropped because that server was out of reach (on-failure=miss). */
    public static long lostWrites(AutoCloseable connection) {
        return ((RemoteConnection) connection).lostWrites();
    }

    /** Round trips waited for on a connection {@link #connect} made. */
    public static long calls(AutoCloseable connection) {
        return ((RemoteConnection) connection).calls();
    }

    /** The time those round trips took, in nanoseconds. */
    public static long callNanos(AutoCloseable connection) {
        return ((RemoteConnection) connection).callNanos();
    }

    /** The server of a connection {@link #connect} made, as host:port. */
    public static String where(AutoCloseable connection) {
        return ((RemoteConnection) connection).where();
    }

    /** The store of the entries under {@code prefix}, on a connection {@link #connect} made. */
    public static CacheStore store(AutoCloseable connection, byte[] prefix) {
        return new RemoteCacheStore((RemoteConnection) connection, prefix);
    }
}
