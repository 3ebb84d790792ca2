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
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.cache.CacheException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One CacheManager's connection to its remote store: a Lettuce client with one multiplexed
 * connection (thread-safe; concurrent callers' commands are pipelined on it), the scripts the
 * stores run, and the translation of the client's failures into {@link CacheException}s that
 * name the server.
 */
public final class RemoteConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteConnection.class);
    /** How long a JVM's interest in a cache's changes lasts without being renewed (ms). */
    static final long INTEREST_MILLIS = 60_000;

    private final io.lettuce.core.AbstractRedisClient client;
    /** The connection to a standalone server, or null on a cluster. */
    private final StatefulRedisConnection<byte[], byte[]> connection;
    /** The connection to a Redis Cluster (following MOVED/ASK and topology changes), or null. */
    private final io.lettuce.core.cluster.api.StatefulRedisClusterConnection<byte[], byte[]> clusterConnection;
    private final io.lettuce.core.cluster.api.sync.RedisClusterCommands<byte[], byte[]> sync;
    private final io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<byte[], byte[]> async;
    private final String where;
    private final Duration lockLease;
    private final RemoteSettings.OnFailure onFailure;
    private final int nearCacheMaxEntries;
    /** Near caches by key prefix; used only while the connection's tracking is on. */
    private final Map<String, NearCache> nearCaches = new ConcurrentHashMap<>();
    private volatile boolean tracking;
    /** Operations the server could not answer, and changes dropped because of that (on-failure=miss). */
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder lostWrites = new java.util.concurrent.atomic.LongAdder();
    /** Round trips waited for (each a command or a script) and the time they took. */
    private final java.util.concurrent.atomic.LongAdder calls = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder callNanos = new java.util.concurrent.atomic.LongAdder();
    private volatile long lastWarning;

    private RemoteConnection(io.lettuce.core.AbstractRedisClient client, StatefulRedisConnection<byte[], byte[]> connection,
                             io.lettuce.core.cluster.api.StatefulRedisClusterConnection<byte[], byte[]> cluster,
                             String where, RemoteSettings settings) {
        this.client = client;
        this.connection = connection;
        this.clusterConnection = cluster;
        this.sync = connection != null ? connection.sync() : cluster.sync();
        this.async = connection != null ? connection.async() : cluster.async();
        this.where = where;
        this.lockLease = settings.lockLease();
        this.onFailure = settings.onFailure();
        this.nearCacheMaxEntries = settings.nearCacheMaxEntries();
    }

    /** Changes of caches that have listeners here: one pub/sub connection, made when first needed. */
    private StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    private final Map<ByteBuffer, Consumer<byte[]>> channels = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<byte[]>> expiredKeys = new CopyOnWriteArrayList<>();
    private final Map<ByteBuffer, byte[]> interests = new ConcurrentHashMap<>();
    private ScheduledExecutorService renewer;
    private int database;
    private byte[] expiredChannel;

    /** Connects; fails with a CacheException naming the server when it cannot be reached. */
    public static RemoteConnection open(RemoteSettings settings) {
        // the first server that answers: a standalone one, or a node of a cluster
        RedisException last = null;
        String tried = "";
        for (java.net.URI u : settings.uris()) {
            String where = u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
            tried += (tried.isEmpty() ? "" : ", ") + where;
            RedisURI uri = RedisURI.create(u);
            uri.setTimeout(settings.timeout());
            RedisClient client = RedisClient.create(uri);
            // while the connection is down, commands fail at once rather than queue until their
            // timeout: an application without its cache server should know (or miss) without waiting
            client.setOptions(io.lettuce.core.ClientOptions.builder()
                    .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(socketOptions(settings))
                    .build());
            try {
                return open(settings, client, client.connect(ByteArrayCodec.INSTANCE), uri, where);
            } catch (RedisException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                last = e;
            }
        }
        throw new CacheException("cannot connect to the remote store at " + tried + ": " + message(last), last);
    }

    private static RemoteConnection open(RemoteSettings settings, RedisClient client,
                                         StatefulRedisConnection<byte[], byte[]> standalone, RedisURI uri, String where) {
        String info;
        try {
            info = standalone.sync().info("cluster");
        } catch (RedisException e) {
            info = "";
        }
        if (!info.contains("cluster_enabled:1")) {
            RemoteConnection c = new RemoteConnection(client, standalone, null, where, settings);
            c.database = uri.getDatabase();
            return c;
        }
        // a node of a Redis Cluster: the cluster client finds the others and follows the slots
        standalone.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        List<RedisURI> seeds = new java.util.ArrayList<>();
        for (java.net.URI u : settings.uris()) {
            RedisURI seed = RedisURI.create(u);
            seed.setTimeout(settings.timeout());
            seeds.add(seed);
        }
        io.lettuce.core.cluster.RedisClusterClient cc = io.lettuce.core.cluster.RedisClusterClient.create(seeds);
        cc.setOptions(io.lettuce.core.cluster.ClusterClientOptions.builder()
                .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(socketOptions(settings))
                .topologyRefreshOptions(io.lettuce.core.cluster.ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(10))
                        .build())
                .build());
        try {
            return new RemoteConnection(cc, null, cc.connect(ByteArrayCodec.INSTANCE), where, settings);
        } catch (RedisException e) {
            cc.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new CacheException("cannot connect to the Redis Cluster at " + where + ": " + message(e), e);
        }
    }

    private volatile long lastTopologyRefresh;

    /** Asks the cluster for its slots again (at most once a second): after a failover, the new masters. */
    private void refreshTopology() {
        long now = System.currentTimeMillis();
        if (now - lastTopologyRefresh < 1000) {
            return;
        }
        lastTopologyRefresh = now;
        try {
            ((io.lettuce.core.cluster.RedisClusterClient) client).refreshPartitions();
        } catch (RuntimeException e) {
            LOG.debug("Cannot refresh the cluster's topology at {}: {}", where, e.getMessage());
        }
    }

    /**
     * Connecting to a node gets the command timeout too (Lettuce's default is 10 s): a topology
     * refresh after a failover must not wait that long on the node that went away.
     */
    private static io.lettuce.core.SocketOptions socketOptions(RemoteSettings settings) {
        return io.lettuce.core.SocketOptions.builder().connectTimeout(settings.timeout()).build();
    }

    /** Whether the server is a Redis Cluster (keys of one script must then share a slot). */
    boolean cluster() {
        return clusterConnection != null;
    }

    /** Runs commands; a failure of the client (refused, timed out, an error reply) becomes a CacheException. */
    <R> R call(Function<io.lettuce.core.cluster.api.sync.RedisClusterCommands<byte[], byte[]>, R> commands) {
        long t0 = System.nanoTime();
        try {
            return commands.apply(sync);
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            // the server answered with an error
            throw new CacheException("remote store at " + where + ": " + message(e), e);
        } catch (RedisException e) {
            failures.increment();
            if (cluster()) {
                // a node out of reach: a replica may have taken its slots over already
                refreshTopology();
            }
            throw new RemoteUnavailableException("remote store at " + where + " unavailable: " + message(e), e);
        } finally {
            long took = System.nanoTime() - t0;
            calls.increment();
            callNanos.add(took);
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
        async.evalsha(script.sha, ScriptOutputType.INTEGER, keys, args)
                .exceptionally(e -> {
                    if (e instanceof RedisNoScriptException || e.getCause() instanceof RedisNoScriptException) {
                        async.eval(script.body, ScriptOutputType.INTEGER, keys, args);
                    }
                    return null;
                });
    }

    /**
     * Delivers the messages of {@code channel} to {@code onMessage} and the names of keys the
     * server expires to {@code onExpired}, and tells writers (through {@code interest}, a key kept
     * alive while this listens) that someone here wants the cache's changes.
     */
    synchronized void listen(byte[] channel, byte[] interest, Consumer<byte[]> onMessage, Consumer<byte[]> onExpired) {
        StatefulRedisPubSubConnection<byte[], byte[]> ps = pubsub();
        channels.put(ByteBuffer.wrap(channel), onMessage);
        expiredKeys.add(onExpired);
        interests.put(ByteBuffer.wrap(interest), interest);
        renewInterest(interest);
        try {
            ps.sync().subscribe(channel);
        } catch (RedisException e) {
            throw new CacheException("remote store at " + where + ": cannot subscribe to a cache's changes: " + message(e), e);
        }
    }

    /** Ends {@link #listen}; the interest key lapses by itself (other JVMs may still renew it). */
    synchronized void unlisten(byte[] channel, byte[] interest, Consumer<byte[]> onExpired) {
        channels.remove(ByteBuffer.wrap(channel));
        expiredKeys.remove(onExpired);
        interests.remove(ByteBuffer.wrap(interest));
        if (pubsub != null && pubsub.isOpen()) {
            pubsub.async().unsubscribe(channel);
        }
    }

    private StatefulRedisPubSubConnection<byte[], byte[]> pubsub() {
        if (pubsub != null) {
            return pubsub;
        }
        StatefulRedisPubSubConnection<byte[], byte[]> ps;
        try {
            if (cluster()) {
                io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection<byte[], byte[]> cps =
                        ((io.lettuce.core.cluster.RedisClusterClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
                // expired-key events are each node's own: hear every node's
                cps.setNodeMessagePropagation(true);
                ps = cps;
            } else {
                ps = ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
            }
        } catch (RedisException e) {
            throw new CacheException("remote store at " + where + ": cannot listen for changes: " + message(e), e);
        }
        ps.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                if (expiredChannel != null && java.util.Arrays.equals(channel, expiredChannel)) {
                    for (Consumer<byte[]> h : expiredKeys) {
                        h.accept(message);
                    }
                    return;
                }
                Consumer<byte[]> h = channels.get(ByteBuffer.wrap(channel));
                if (h != null) {
                    h.accept(message);
                }
            }
        });
        expiredChannel = ("__keyevent@" + database + "__:expired").getBytes(StandardCharsets.US_ASCII);
        renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachalot-remote-interest");
            t.setDaemon(true);
            return t;
        });
        pubsub = ps;
        if (cluster()) {
            hearEveryMaster();
            renewer.scheduleWithFixedDelay(this::watchMasters, 1, 1, TimeUnit.SECONDS);
            // a failover or a new node makes a master this connection does not hear yet; the
            // event comes on a client thread, where blocking calls must not run
            topologyEvents = client.getResources().eventBus().get().subscribe(e -> {
                if (e instanceof io.lettuce.core.cluster.event.ClusterTopologyChangedEvent) {
                    try {
                        renewer.execute(this::hearEveryMaster);
                    } catch (java.util.concurrent.RejectedExecutionException closed) {
                        // the connection is closing
                    }
                }
            });
        } else {
            enableExpiredEvents(connection.sync());
            ps.sync().subscribe(expiredChannel);
        }
        renewer.scheduleWithFixedDelay(() -> {
            for (byte[] k : interests.values()) {
                try {
                    renewInterest(k);
                } catch (RuntimeException e) {
                    LOG.warn("Cannot renew the interest in a cache's changes at {}: {}", where, e.getMessage());
                }
            }
            if (cluster()) {
                hearEveryMaster();
            }
        }, INTEREST_MILLIS / 3, INTEREST_MILLIS / 3, TimeUnit.MILLISECONDS);
        return ps;
    }

    /** The cluster's masters whose expired-key events this connection hears: node id, its pub/sub link. */
    private final Map<String, StatefulRedisPubSubConnection<byte[], byte[]>> heardMasters = new ConcurrentHashMap<>();
    private reactor.core.Disposable topologyEvents;

    /**
     * Expired-key events are each master's own: turns them on and subscribes on every master
     * of the current topology not heard yet (all of them at first; after a failover, the
     * promoted replica). A master that cannot be reached now is tried at the next change.
     * Messages of the caches' channels come through the connection's default node, which
     * Lettuce moves to another node when its own goes away.
     */
    private synchronized void hearEveryMaster() {
        if (pubsub == null) {
            return;
        }
        io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection<byte[], byte[]> cps =
                (io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection<byte[], byte[]>) pubsub;
        java.util.Set<String> masters = new java.util.HashSet<>();
        for (io.lettuce.core.cluster.models.partitions.RedisClusterNode n : clusterConnection.getPartitions()) {
            if (!n.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.UPSTREAM)
                    || n.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.FAIL)) {
                continue;
            }
            masters.add(n.getNodeId());
            if (heardMasters.containsKey(n.getNodeId())) {
                continue;
            }
            try {
                enableExpiredEvents(clusterConnection.getConnection(n.getNodeId()).sync());
                StatefulRedisPubSubConnection<byte[], byte[]> node = cps.getConnection(n.getNodeId());
                node.sync().subscribe(expiredChannel);
                heardMasters.put(n.getNodeId(), node);
            } catch (RedisException e) {
                LOG.debug("Cannot hear the expired keys of {} at {} yet: {}", n.getUri(), where, e.getMessage());
            }
        }
        // a node that left (or is no master any more) is subscribed again if it comes back as one
        heardMasters.keySet().retainAll(masters);
    }

    /**
     * Runs every second on a cluster: while a master whose expiries this connection hears is out
     * of reach, or a failed master still holds slots in the topology this client knows, asks the
     * cluster for its topology (a replica takes over within seconds, and its expiries must be
     * heard then, not at the next periodic refresh). Costs nothing while all masters are up.
     */
    private void watchMasters() {
        try {
            boolean stale = false;
            for (StatefulRedisPubSubConnection<byte[], byte[]> node : heardMasters.values()) {
                stale |= !node.isOpen();
            }
            for (io.lettuce.core.cluster.models.partitions.RedisClusterNode n : clusterConnection.getPartitions()) {
                stale |= n.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.UPSTREAM)
                        && (n.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.FAIL)
                        || n.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.EVENTUAL_FAIL))
                        && !n.getSlots().isEmpty();
            }
            if (stale) {
                refreshTopology();
                hearEveryMaster();
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again
            LOG.debug("Cannot check the masters of {}: {}", where, e.getMessage());
        }
    }

    private void renewInterest(byte[] key) {
        call(c -> c.set(key, new byte[] {'1'}, io.lettuce.core.SetArgs.Builder.px(INTEREST_MILLIS)));
    }

    /**
     * Expiry events come from the server's keyspace notifications: turns on the expired-key
     * events (E and x) when they are off, keeping the flags already set. A server that refuses
     * CONFIG (a managed one) keeps caches working, without expiry events: said once in the log.
     */
    private void enableExpiredEvents(io.lettuce.core.cluster.api.sync.RedisClusterCommands<byte[], byte[]> node) {
        try {
            String flags;
            try {
                flags = node.configGet("notify-keyspace-events").getOrDefault("notify-keyspace-events", "");
            } catch (RedisException e) {
                throw new CacheException(message(e), e);
            }
            boolean keyevent = flags.indexOf('E') >= 0;
            boolean expired = flags.indexOf('x') >= 0 || flags.indexOf('A') >= 0;
            if (!keyevent || !expired) {
                String wanted = flags + (keyevent ? "" : "E") + (expired ? "" : "x");
                try {
                    node.configSet("notify-keyspace-events", wanted);
                } catch (RedisException e) {
                    throw new CacheException(message(e), e);
                }
                LOG.info("Turned on the keyevent notifications of expired keys at {} (notify-keyspace-events {}), "
                        + "for the expiry events of remote caches", where, wanted);
            }
        } catch (CacheException e) {
            LOG.warn("Expiry events of remote caches will not arrive: notify-keyspace-events at {} cannot be set "
                    + "to include Ex ({})", where, e.getMessage());
        }
    }

    /**
     * The near cache of the cache whose keys start with {@code prefix}, or null when near caches
     * are off (near-cache-max-entries 0). The first one turns on the connection's client tracking
     * (RESP3 pushes, BCAST, NOLOOP: this JVM's own writes update its copies itself); each adds its
     * prefix. A server without client tracking is refused with a message.
     */
    synchronized NearCache nearCache(String prefix) {
        if (nearCacheMaxEntries == 0) {
            return null;
        }
        if (cluster()) {
            throw new CacheException("a near cache is not available on a Redis Cluster yet "
                    + "(cachalot.remote.near-cache-max-entries must be 0 for " + where + ")");
        }
        NearCache n = nearCaches.get(prefix);
        if (n != null) {
            return n;
        }
        if (nearCaches.isEmpty()) {
            connection.addListener(this::pushed);
            client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> c) {
                    if (c == connection) {
                        // invalidations sent meanwhile are lost with the connection
                        tracking = false;
                        nearCaches.values().forEach(NearCache::clear);
                    }
                }

                @Override
                public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> c, java.net.SocketAddress a) {
                    if (c == connection && !nearCaches.isEmpty()) {
                        nearCaches.values().forEach(NearCache::clear);
                        connection.async().clientTracking(trackingArgs(nearCaches.keySet().toArray(new String[0])))
                                .thenRun(() -> tracking = true);
                    }
                }
            });
        }
        try {
            call(c -> c.clientTracking(trackingArgs(prefix)));
        } catch (CacheException e) {
            throw new CacheException("a near cache needs the server's client tracking (CLIENT TRACKING with BCAST, "
                    + "Redis 6 or later, a Cachalot server) for " + prefix + ": " + e.getMessage(), e);
        }
        n = new NearCache(nearCacheMaxEntries);
        nearCaches.put(prefix, n);
        tracking = true;
        return n;
    }

    private static io.lettuce.core.TrackingArgs trackingArgs(String... prefixes) {
        return io.lettuce.core.TrackingArgs.Builder.enabled().bcast().noloop()
                .prefixes(StandardCharsets.UTF_8, prefixes);
    }

    /** Whether the near caches may answer (tracking is on: no invalidation can have been missed). */
    boolean tracking() {
        return tracking;
    }

    /** An invalidation the server pushed: the named keys' copies go (all of them on a flush). */
    private void pushed(io.lettuce.core.api.push.PushMessage m) {
        if (!"invalidate".equals(m.getType())) {
            return;
        }
        java.util.List<Object> content = m.getContent();
        Object keys = content.size() > 1 ? content.get(1) : null;
        if (!(keys instanceof java.util.List)) {
            nearCaches.values().forEach(NearCache::clear);
            return;
        }
        for (Object k : (java.util.List<?>) keys) {
            byte[] key = bytes(k);
            if (key == null) {
                continue;
            }
            for (Map.Entry<String, NearCache> e : nearCaches.entrySet()) {
                byte[] p = e.getKey().getBytes(StandardCharsets.UTF_8);
                if (key.length >= p.length && java.util.Arrays.equals(key, 0, p.length, p, 0, p.length)) {
                    e.getValue().invalidate(key);
                }
            }
        }
    }

    private static byte[] bytes(Object o) {
        if (o instanceof byte[]) {
            return (byte[]) o;
        }
        if (o instanceof ByteBuffer) {
            ByteBuffer b = ((ByteBuffer) o).duplicate();
            byte[] a = new byte[b.remaining()];
            b.get(a);
            return a;
        }
        return o == null ? null : o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether operations the server cannot answer behave as on an empty cache (on-failure=miss). */
    boolean missOnFailure() {
        return onFailure == RemoteSettings.OnFailure.MISS;
    }

    /** A change dropped because the server could not be reached: counted, and logged (at most every 10 s). */
    void lostWrite(byte[] key, RemoteUnavailableException cause) {
        lostWrites.increment();
        warn("A change of " + new String(key, StandardCharsets.UTF_8) + " was not written: " + cause.getMessage()
                + " (cachalot.remote.on-failure=miss; " + lostWrites.sum() + " changes lost so far)");
    }

    /** A read answered as a miss because the server could not be reached (logged at most every 10 s). */
    void missedRead(RemoteUnavailableException cause) {
        warn("A read is answered as a miss: " + cause.getMessage() + " (cachalot.remote.on-failure=miss)");
    }

    private void warn(String message) {
        long now = System.currentTimeMillis();
        if (now - lastWarning >= 10_000) {
            lastWarning = now;
            LOG.warn(message);
        }
    }

    /** Operations the server could not answer (refused, disconnected, timed out). */
    public long failures() {
        return failures.sum();
    }

    /** Changes dropped because the server could not be reached (on-failure=miss). */
    public long lostWrites() {
        return lostWrites.sum();
    }

    /** Round trips this JVM waited for (commands and scripts, failed ones included). */
    public long calls() {
        return calls.sum();
    }

    /** The time those round trips took, in nanoseconds. */
    public long callNanos() {
        return callNanos.sum();
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
        synchronized (this) {
            if (topologyEvents != null) {
                topologyEvents.dispose();
            }
            if (renewer != null) {
                renewer.shutdownNow();
            }
            if (pubsub != null) {
                pubsub.close();
            }
        }
        if (connection != null) {
            connection.close();
        } else {
            clusterConnection.close();
        }
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
