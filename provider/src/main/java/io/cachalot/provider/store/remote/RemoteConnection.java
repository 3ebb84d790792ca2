package io.cachalot.provider.store.remote;

import io.cachalot.provider.config.RemoteSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import javax.cache.CacheException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * One CacheManager's connection to its remote store: a Lettuce client with one multiplexed
 * connection (thread-safe; concurrent callers' commands are pipelined on it), the scripts the
 * stores run, and the translation of the client's failures into {@link CacheException}s that
 * name the server.
 */
public final class RemoteConnection implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final String where;
    private final Duration lockLease;

    private RemoteConnection(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, String where,
                             Duration lockLease) {
        this.client = client;
        this.connection = connection;
        this.where = where;
        this.lockLease = lockLease;
    }

    /** Connects; fails with a CacheException naming the server when it cannot be reached. */
    public static RemoteConnection open(RemoteSettings settings) {
        RedisURI uri = RedisURI.create(settings.uri());
        uri.setTimeout(settings.timeout());
        String where = settings.uri().getHost() + ":" + (settings.uri().getPort() < 0 ? 6379 : settings.uri().getPort());
        RedisClient client = RedisClient.create(uri);
        try {
            return new RemoteConnection(client, client.connect(ByteArrayCodec.INSTANCE), where, settings.lockLease());
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new CacheException("cannot connect to the remote store at " + where + ": " + message(e), e);
        }
    }

    /** Runs commands; a failure of the client (refused, timed out, an error reply) becomes a CacheException. */
    <R> R call(Function<RedisCommands<byte[], byte[]>, R> commands) {
        try {
            return commands.apply(connection.sync());
        } catch (RedisException e) {
            throw new CacheException("remote store at " + where + ": " + message(e), e);
        }
    }

    /** EVALSHA of a script, loading it when the server does not know it (yet, or any more). */
    <R> R run(Script script, ScriptOutputType type, byte[][] keys, byte[]... args) {
        return call(c -> {
            try {
                return c.evalsha(script.sha, type, keys, args);
            } catch (RedisNoScriptException e) {
                return c.eval(script.body, type, keys, args);
            }
        });
    }

    /** As {@link #run}, without waiting for the reply (nothing depends on it). */
    void runAndForget(Script script, byte[][] keys, byte[]... args) {
        connection.async().evalsha(script.sha, ScriptOutputType.INTEGER, keys, args)
                .exceptionally(e -> {
                    if (e instanceof RedisNoScriptException || e.getCause() instanceof RedisNoScriptException) {
                        connection.async().eval(script.body, ScriptOutputType.INTEGER, keys, args);
                    }
                    return null;
                });
    }

    /** How long an entry stays locked by a JVM that stopped answering. */
    Duration lockLease() {
        return lockLease;
    }

    /** Added to the lease when waiting for a lock: the holder's clock and the network's delays. */
    long lockLeaseSlack() {
        return 1000;
    }

    /** The server, as host:port (for messages). */
    public String where() {
        return where;
    }

    private static String message(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c == e || c.getMessage() == null ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + c.getMessage() + ")";
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** A Lua script and its SHA-1, as SCRIPT LOAD names it. */
    static final class Script {
        final String body;
        final String sha;

        Script(String body) {
            this.body = body;
            this.sha = sha1(body);
        }

        private static String sha1(String s) {
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
                StringBuilder sb = new StringBuilder(40);
                for (byte b : d) {
                    sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
                }
                return sb.toString();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
