package io.cachalot.core.config;

import java.io.File;

/**
 * The engine's configuration parameters, with Redis' names, bounds and defaults (a few defaults
 * differ on purpose and are documented in docs/configuration.md). Components keep references to
 * the parameters they read and read their volatile values on each use.
 */
public final class Settings {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long UINT_MAX = 4294967295L;
    private static final long LLONG_MAX = Long.MAX_VALUE;

    public final Config config = new Config();

    // network (applied by the server)
    public final ConfigParam.Int port = config.add(new ConfigParam.Int("port", null, 0, 0, 65535, 6379));
    public final ConfigParam.Text bind = config.add(new ConfigParam.Text("bind", null, ConfigParam.MULTI_ARG, "127.0.0.1", null));
    public final ConfigParam.Int tcpBacklog = config.add(
            new ConfigParam.Int("tcp-backlog", null, ConfigParam.IMMUTABLE, 0, INT_MAX, 511));
    public final ConfigParam.Int timeout = config.add(new ConfigParam.Int("timeout", null, 0, 0, INT_MAX, 0));
    public final ConfigParam.Int tcpKeepalive = config.add(
            new ConfigParam.Int("tcp-keepalive", null, 0, 0, INT_MAX, 300));
    public final ConfigParam.Int maxclients = config.add(
            new ConfigParam.Int("maxclients", null, 0, 1, UINT_MAX, 10000));
    public final ConfigParam.Memory protoMaxBulkLen = config.add(
            new ConfigParam.Memory("proto-max-bulk-len", null, 0, 1024 * 1024, LLONG_MAX, 512L * 1024 * 1024));
    public final ConfigParam.Memory clientQueryBufferLimit = config.add(
            new ConfigParam.Memory("client-query-buffer-limit", null, 0, 1024 * 1024, LLONG_MAX, 1024L * 1024 * 1024));
    public final OutputBufferLimits clientOutputBufferLimit = config.add(new OutputBufferLimits());
    public final ConfigParam.Text pidfile = config.add(
            new ConfigParam.Text("pidfile", null, ConfigParam.IMMUTABLE, "", null));

    // security
    /** Without a password, connections from other hosts than this one are refused (Redis' protected mode). */
    public final ConfigParam.Bool protectedMode = config.add(new ConfigParam.Bool("protected-mode", null, 0, true));
    public final ConfigParam.Text requirepass = config.add(
            new ConfigParam.Text("requirepass", null, ConfigParam.SENSITIVE, "", null));
    public final ConfigParam.Enum enableDebugCommand = config.add(new ConfigParam.Enum("enable-debug-command", null,
            ConfigParam.IMMUTABLE, "no", "no", "yes", "local"));
    public final ConfigParam.Enum enableProtectedConfigs = config.add(new ConfigParam.Enum("enable-protected-configs",
            null, ConfigParam.IMMUTABLE, "no", "no", "yes", "local"));

    // logging (applied by the server's log backend)
    public final ConfigParam.Enum loglevel = config.add(new ConfigParam.Enum("loglevel", null, 0, "notice",
            "debug", "verbose", "notice", "warning"));
    public final ConfigParam.Text logfile = config.add(
            new ConfigParam.Text("logfile", null, ConfigParam.IMMUTABLE, "", null));

    // engine
    public final ConfigParam.Int databases = config.add(
            new ConfigParam.Int("databases", null, ConfigParam.IMMUTABLE, 1, INT_MAX, 16));
    public final ConfigParam.Int hz = config.add(new ConfigParam.Int("hz", null, 0, 0, INT_MAX, 10) {
        @Override
        protected void apply(Object parsed) {
            // Redis clamps silently to 1..500 (CONFIG_MIN_HZ, CONFIG_MAX_HZ).
            super.apply(Math.max(1L, Math.min(500L, (Long) parsed)));
        }
    });
    public final ConfigParam.Int activeExpireEffort = config.add(
            new ConfigParam.Int("active-expire-effort", null, 0, 1, 10, 1));
    public final ConfigParam.Memory maxmemory = config.add(
            new ConfigParam.Memory("maxmemory", null, 0, 0, LLONG_MAX, 0));
    public final ConfigParam.Enum maxmemoryPolicy = config.add(new ConfigParam.Enum("maxmemory-policy", null, 0,
            "noeviction", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru",
            "allkeys-lfu", "allkeys-random", "noeviction"));
    public final ConfigParam.Int maxmemorySamples = config.add(
            new ConfigParam.Int("maxmemory-samples", null, 0, 1, INT_MAX, 5));
    public final ConfigParam.Int maxmemoryEvictionTenacity = config.add(
            new ConfigParam.Int("maxmemory-eviction-tenacity", null, 0, 0, 100, 10));
    /** Cachalot's own: with maxmemory 0, data is bounded by this share of the JVM's maximum heap (0: no bound). */
    public final ConfigParam.Int maxmemoryHeapPercent = config.add(
            new ConfigParam.Int("maxmemory-heap-percent", null, 0, 0, 100, 75));
    public final ConfigParam.Int lfuLogFactor = config.add(
            new ConfigParam.Int("lfu-log-factor", null, 0, 0, INT_MAX, 10));
    public final ConfigParam.Int lfuDecayTime = config.add(
            new ConfigParam.Int("lfu-decay-time", null, 0, 0, INT_MAX, 1));

    // persistence
    /** LZF-compress strings over 20 bytes in RDB data (DUMP payloads). */
    public final ConfigParam.Bool rdbCompression = config.add(new ConfigParam.Bool("rdbcompression", null, 0, true));
    /**
     * Save points: pairs of seconds and changes; a BGSAVE starts when that many changes were made
     * and that many seconds passed since the last save ("" = none; the server's default is Redis'
     * "3600 1 300 100 60 10000", an embedded engine's none).
     */
    public final ConfigParam.Text save = config.add(new ConfigParam.Text("save", null, ConfigParam.MULTI_ARG, "",
            Settings::savePoints));
    /** Refuse writes (MISCONF) while save points are set and the last background save failed. */
    public final ConfigParam.Bool stopWritesOnBgsaveError = config.add(
            new ConfigParam.Bool("stop-writes-on-bgsave-error", null, 0, true));
    /** What SIGINT does: "default" (save when save points are set), or any of save, nosave, now, force. */
    public final ConfigParam.Text shutdownOnSigint = config.add(new ConfigParam.Text("shutdown-on-sigint", null,
            ConfigParam.MULTI_ARG, "default", UnappliedParams::shutdownFlags));
    /** What SIGTERM does, as {@link #shutdownOnSigint}. */
    public final ConfigParam.Text shutdownOnSigterm = config.add(new ConfigParam.Text("shutdown-on-sigterm", null,
            ConfigParam.MULTI_ARG, "default", UnappliedParams::shutdownFlags));

    /** Redis' default save points, which the server applies unless its configuration names others. */
    public static final String REDIS_SAVE_POINTS = "3600 1 300 100 60 10000";

    /** "save": pairs of seconds and changes, or empty. */
    static String savePoints(String v) {
        return parseSavePoints(v) == null ? "Invalid save parameters" : null;
    }

    /** The (seconds, changes) pairs of a "save" value; null when it is not one. */
    private static long[][] parseSavePoints(String v) {
        String t = v.trim();
        if (t.isEmpty()) {
            return new long[0][];
        }
        String[] parts = t.split("\\s+");
        if (parts.length % 2 != 0) {
            return null;
        }
        long[][] out = new long[parts.length / 2][2];
        for (int i = 0; i < parts.length; i++) {
            byte[] b = parts[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!io.cachalot.core.util.Numbers.isLong(b) || b[0] == '-') {
                return null;
            }
            out[i / 2][i % 2] = io.cachalot.core.util.Numbers.parseLong(b);
        }
        return out;
    }

    /**
     * The defaults of a standalone server where they differ from an embedded engine's: Redis'
     * save points (an application that embeds the engine opts into persistence instead). Call
     * before reading any configuration.
     */
    public Settings useServerDefaults() {
        save.resetDefault(REDIS_SAVE_POINTS);
        return this;
    }

    /** The save points as (seconds, changes) pairs; empty when none. */
    public long[][] savePoints() {
        return parseSavePoints(save.value());
    }

    /** The RDB file's name in {@link #dir} (SAVE, BGSAVE, the load at start). */
    public final ConfigParam.Text dbfilename = config.add(new ConfigParam.Text("dbfilename", null, ConfigParam.PROTECTED,
            "dump.rdb", UnappliedParams::fileName));
    /** End RDB files with their CRC-64 (0 otherwise, which loaders do not check). */
    public final ConfigParam.Bool rdbChecksum = config.add(new ConfigParam.Bool("rdbchecksum", null,
            ConfigParam.IMMUTABLE, true));

    // the append-only file (names and defaults of Redis 7.0)
    /** Log every write to the AOF (multi-part: a base and incremental files in {@link #appenddirname}). */
    public final ConfigParam.Bool appendonly = config.add(new ConfigParam.Bool("appendonly", null, 0, false));
    public final ConfigParam.Text appendfilename = config.add(new ConfigParam.Text("appendfilename", null,
            ConfigParam.IMMUTABLE, "appendonly.aof", UnappliedParams::fileName));
    public final ConfigParam.Text appenddirname = config.add(new ConfigParam.Text("appenddirname", null,
            ConfigParam.IMMUTABLE, "appendonlydir", UnappliedParams::fileName));
    /** always: synced before the reply; everysec: synced once a second; no: left to the system. */
    public final ConfigParam.Enum appendfsync = config.add(new ConfigParam.Enum("appendfsync", null, 0, "everysec",
            "always", "everysec", "no"));
    /** Skip the everysec/always sync while a rewrite or a save runs. */
    public final ConfigParam.Bool noAppendfsyncOnRewrite = config.add(new ConfigParam.Bool("no-appendfsync-on-rewrite",
            null, 0, false));
    /** Rewrite when the AOF grew this percent over its size after the last rewrite (0: never). */
    public final ConfigParam.Int autoAofRewritePercentage = config.add(new ConfigParam.Int("auto-aof-rewrite-percentage",
            null, 0, 0, INT_MAX, 100));
    public final ConfigParam.Memory autoAofRewriteMinSize = config.add(new ConfigParam.Memory("auto-aof-rewrite-min-size",
            null, 0, 0, LLONG_MAX, 64L * 1024 * 1024));
    /** Load an AOF whose last command is cut short (and cut it there) instead of refusing to start. */
    public final ConfigParam.Bool aofLoadTruncated = config.add(new ConfigParam.Bool("aof-load-truncated", null, 0, true));
    /** Write a rewritten base as RDB (else as commands). */
    public final ConfigParam.Bool aofUseRdbPreamble = config.add(new ConfigParam.Bool("aof-use-rdb-preamble", null, 0,
            true));

    // compact encodings of small collections (names and defaults of Redis 7.0)
    public final ConfigParam.Int listMaxListpackSize = config.add(new ConfigParam.Int("list-max-listpack-size",
            "list-max-ziplist-size", 0, Integer.MIN_VALUE, INT_MAX, -2));
    public final ConfigParam.Int hashMaxListpackEntries = config.add(new ConfigParam.Int("hash-max-listpack-entries",
            "hash-max-ziplist-entries", 0, 0, LLONG_MAX, 512));
    public final ConfigParam.Int hashMaxListpackValue = config.add(new ConfigParam.Int("hash-max-listpack-value",
            "hash-max-ziplist-value", 0, 0, LLONG_MAX, 64));
    public final ConfigParam.Int setMaxIntsetEntries = config.add(new ConfigParam.Int("set-max-intset-entries", null,
            0, 0, LLONG_MAX, 512));
    public final ConfigParam.Int zsetMaxListpackEntries = config.add(new ConfigParam.Int("zset-max-listpack-entries",
            "zset-max-ziplist-entries", 0, 0, LLONG_MAX, 128));
    public final ConfigParam.Int zsetMaxListpackValue = config.add(new ConfigParam.Int("zset-max-listpack-value",
            "zset-max-ziplist-value", 0, 0, LLONG_MAX, 64));
    /** A sparse HyperLogLog longer than this (header included) turns dense. */
    public final ConfigParam.Memory hllSparseMaxBytes = config.add(
            new ConfigParam.Memory("hll-sparse-max-bytes", null, 0, 0, LLONG_MAX, 3000));
    /** A stream node (listpack) stops taking entries at this size (0: no limit but Redis' 1 GB). */
    public final ConfigParam.Memory streamNodeMaxBytes = config.add(
            new ConfigParam.Memory("stream-node-max-bytes", null, 0, 0, LLONG_MAX, 4096));
    /** ... or at this many entries, deleted ones included (0: no limit). */
    public final ConfigParam.Int streamNodeMaxEntries = config.add(
            new ConfigParam.Int("stream-node-max-entries", null, 0, 0, LLONG_MAX, 100));

    // diagnostics
    /** Milliseconds a script may run before other clients get -BUSY and SCRIPT KILL may stop it (0: never). */
    public final ConfigParam.Int busyReplyThreshold = config.add(
            new ConfigParam.Int("busy-reply-threshold", "lua-time-limit", 0, 0, Long.MAX_VALUE, 5000));
    /** Which keyspace events are published (read by the notifier on every event). */
    public final KeyspaceEventsParam notifyKeyspaceEvents = config.add(new KeyspaceEventsParam());
    /** Keys the client-side caching table remembers before it forgets some (telling their clients); 0: no limit. */
    public final ConfigParam.Int trackingTableMaxKeys = config.add(
            new ConfigParam.Int("tracking-table-max-keys", null, 0, 0, LLONG_MAX, 1_000_000));
    public final ConfigParam.Int slowlogLogSlowerThan = config.add(
            new ConfigParam.Int("slowlog-log-slower-than", null, 0, -1, LLONG_MAX, 10000));
    public final ConfigParam.Int slowlogMaxLen = config.add(
            new ConfigParam.Int("slowlog-max-len", null, 0, 0, LLONG_MAX, 128));
    public final ConfigParam.Int latencyMonitorThreshold = config.add(
            new ConfigParam.Int("latency-monitor-threshold", null, 0, 0, LLONG_MAX, 0));
    public final ConfigParam.Bool latencyTracking = config.add(new ConfigParam.Bool("latency-tracking", null, 0, true));
    public final ConfigParam.Text latencyTrackingInfoPercentiles = config.add(new ConfigParam.Text(
            "latency-tracking-info-percentiles", null, ConfigParam.MULTI_ARG, "50 99 99.9", Settings::validatePercentiles));

    // the working directory: checked and kept as Redis does (persistence will write its files there)
    public final ConfigParam.Text dir = config.add(new ConfigParam.Text("dir", null, ConfigParam.PROTECTED,
            new File("").getAbsolutePath(), v -> new File(v).isDirectory() ? null : "No such file or directory") {
        @Override
        protected void apply(Object parsed) {
            super.apply(new File((String) parsed).getAbsolutePath());
        }
    });

    public Settings() {
        UnappliedParams.register(config);
    }

    private static String validatePercentiles(String v) {
        String t = v.trim();
        if (t.isEmpty()) {
            return null;
        }
        for (String p : t.split("\\s+")) {
            try {
                double d = Double.parseDouble(p);
                if (d < 0 || d > 100) {
                    return "latency-tracking-info-percentiles parameter should be between 0.0 and 100.0";
                }
            } catch (NumberFormatException e) {
                return "Invalid latency-tracking-info-percentiles parameters";
            }
        }
        return null;
    }

    public boolean lfuPolicy() {
        return maxmemoryPolicy.value().endsWith("-lfu");
    }

    /** allkeys-lru or volatile-lru: RDB files then keep each key's idle time. */
    public boolean lruPolicy() {
        return maxmemoryPolicy.value().endsWith("-lru");
    }
}
