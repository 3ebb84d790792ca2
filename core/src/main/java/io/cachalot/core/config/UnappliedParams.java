package io.cachalot.core.config;

import static io.cachalot.core.config.ConfigParam.HIDDEN;
import static io.cachalot.core.config.ConfigParam.IMMUTABLE;
import static io.cachalot.core.config.ConfigParam.MULTI_ARG;
import static io.cachalot.core.config.ConfigParam.PROTECTED;
import static io.cachalot.core.config.ConfigParam.SENSITIVE;

import java.util.function.Predicate;

/**
 * The rest of Redis 7.0's parameters: every one is accepted (a stock redis.conf loads, CONFIG
 * GET answers with Redis' default) but none is applied. Two kinds:
 * <ul>
 *   <li>no meaning here (jemalloc, transparent huge pages, the process title...): any valid
 *       value is kept, and the configuration file loader logs one line saying it is ignored;</li>
 *   <li>a feature not built yet (persistence, replication, cluster, TLS, ACL...): a value that
 *       would turn the feature on ({@code appendonly yes}, {@code replicaof host port},
 *       {@code tls-port 6380}) is refused with a message saying so; the others are kept and
 *       logged as ignored.</li>
 * </ul>
 * Names, aliases, bounds, defaults and immutability are Redis 7.0.15's. When a feature lands, its
 * parameters move from here to {@link Settings} as applied ones.
 */
final class UnappliedParams {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;

    private static final String NOT_JVM = "it has no meaning on the JVM";
    private static final String PERSISTENCE = "AOF is not built yet (RDB snapshots are)";
    private static final String REPLICATION = "replication is not built yet";
    private static final String CLUSTER = "cluster mode is not built yet";
    private static final String TLS = "TLS is not built yet";
    private static final String ACL = "ACL is not built yet";

    private static final Predicate<String> YES = v -> v.equalsIgnoreCase("yes");
    private static final Predicate<String> NOT_ZERO = v -> !v.trim().equals("0");
    private static final Predicate<String> NOT_EMPTY = v -> !v.trim().isEmpty();

    private UnappliedParams() {
    }

    static void register(Config c) {
        // general and process
        c.add(bool("daemonize", IMMUTABLE, false)).ignored(
                "Cachalot stays in the foreground; run it under a service manager or with '&'");
        c.add(new ConfigParam.Enum("supervised", null, IMMUTABLE, "no", "upstart", "systemd", "auto", "no"))
                .ignored("Cachalot does not signal a supervisor; a plain (Type=simple) service works");
        c.add(bool("always-show-logo", IMMUTABLE, false)).ignored("Cachalot prints no logo");
        c.add(bool("set-proc-title", IMMUTABLE, true)).ignored("a JVM cannot set its process title");
        c.add(text("proc-title-template", 0, "{title} {listen-addr} {server-mode}"))
                .ignored("a JVM cannot set its process title");
        c.add(bool("syslog-enabled", IMMUTABLE, false)).unbuilt(YES,
                "logging to syslog is not available in this version; use logfile");
        c.add(text("syslog-ident", IMMUTABLE, "redis")).ignored("logging to syslog is not built");
        c.add(new ConfigParam.Enum("syslog-facility", null, IMMUTABLE, "local0", "user", "local0", "local1", "local2",
                "local3", "local4", "local5", "local6", "local7")).ignored("logging to syslog is not built");
        c.add(bool("crash-log-enabled", 0, true)).ignored(NOT_JVM + " (the JVM reports crashes itself)");
        c.add(bool("crash-memcheck-enabled", 0, true)).ignored(NOT_JVM);
        c.add(bool("use-exit-on-panic", HIDDEN, false)).ignored(NOT_JVM);
        c.add(integer("watchdog-period", HIDDEN, 0, INT_MAX, 0)).ignored(NOT_JVM);
        c.add(text("ignore-warnings", 0, "")).ignored("Cachalot has no start-up system checks to silence");
        c.add(integer("shutdown-timeout", 0, 0, INT_MAX, 10)).ignored("it waits for replicas, and " + REPLICATION);

        // memory and CPU of the process
        c.add(bool("jemalloc-bg-thread", 0, true)).ignored(NOT_JVM + " (there is no jemalloc)");
        c.add(bool("disable-thp", IMMUTABLE, true)).ignored(NOT_JVM + " (the JVM manages its heap's pages)");
        c.add(new ConfigParam.Enum("oom-score-adj", null, 0, "no", "no", "yes", "relative", "absolute"))
                .ignored("Cachalot does not change its OOM score");
        c.add(new ConfigParam.Text("oom-score-adj-values", null, MULTI_ARG, "0 200 800", UnappliedParams::oomValues))
                .ignored("Cachalot does not change its OOM score");
        c.add(bool("activedefrag", 0, false)).ignored(NOT_JVM + " (the garbage collector compacts the heap)");
        c.add(integer("active-defrag-cycle-min", 0, 1, 99, 1)).ignored(NOT_JVM);
        c.add(integer("active-defrag-cycle-max", 0, 1, 99, 25)).ignored(NOT_JVM);
        c.add(integer("active-defrag-threshold-lower", 0, 0, 1000, 10)).ignored(NOT_JVM);
        c.add(integer("active-defrag-threshold-upper", 0, 0, 1000, 100)).ignored(NOT_JVM);
        c.add(memory("active-defrag-ignore-bytes", 0, 1, LONG_MAX, 100L << 20)).ignored(NOT_JVM);
        c.add(integer("active-defrag-max-scan-fields", 0, 1, LONG_MAX, 1000)).ignored(NOT_JVM);
        c.add(bool("activerehashing", 0, true)).ignored("Cachalot's tables resize without a rehash step");
        c.add(bool("dynamic-hz", 0, true)).ignored("the cron runs at hz, whatever the number of clients");
        for (String lazy : new String[] {"lazyfree-lazy-eviction", "lazyfree-lazy-expire", "lazyfree-lazy-server-del",
            "lazyfree-lazy-user-del", "lazyfree-lazy-user-flush"}) {
            c.add(bool(lazy, 0, false)).ignored("the garbage collector frees deleted values in the background anyway");
        }
        c.add(integer("io-threads", IMMUTABLE, 1, 128, 1))
                .ignored("Cachalot's I/O threads are set with -Dcachalot.io-threads");
        c.add(bool("io-threads-do-reads", IMMUTABLE, false))
                .ignored("Cachalot's I/O threads always read and parse");
        for (String cpus : new String[] {"server_cpulist", "bio_cpulist", "aof_rewrite_cpulist", "bgsave_cpulist"}) {
            c.add(text(cpus, IMMUTABLE, "")).ignored("a JVM does not pin its threads to CPUs");
        }
        c.add(integer("list-compress-depth", 0, 0, INT_MAX, 0))
                .ignored("list nodes are not compressed in this version");
        c.add(integer("socket-mark-id", IMMUTABLE, 0, 4294967295L, 0)).ignored("a JVM cannot mark its sockets");
        c.add(new ConfigParam.Text("maxmemory-clients", null, 0, "0", UnappliedParams::memoryOrPercent))
                .unbuilt(NOT_ZERO, "client eviction (maxmemory-clients) is not available in this version");

        // features that other parts of Cachalot will bring
        c.add(new ConfigParam.Text("unixsocket", null, IMMUTABLE, "", null))
                .unbuilt(NOT_EMPTY, "unix sockets are not available in this version");
        c.add(new ConfigParam.Text("unixsocketperm", null, IMMUTABLE, "0", UnappliedParams::octal))
                .ignored("unix sockets are not built yet");
        c.add(new ConfigParam.Enum("enable-module-command", null, IMMUTABLE, "no", "no", "yes", "local"))
                .ignored("modules are not supported");
        c.add(new ConfigParam.Enum("sanitize-dump-payload", null, 0, "no", "no", "yes", "clients"))
                .ignored("DUMP/RESTORE is not built yet");

        persistence(c);
        replication(c);
        cluster(c);
        tls(c);
        acl(c);
    }

    private static void persistence(Config c) {
        c.add(bool("rdb-del-sync-files", 0, false)).ignored(REPLICATION);
        c.add(bool("rdb-save-incremental-fsync", 0, true)).ignored("an RDB file is synced once, when it is complete");
        c.add(integer("rdb-key-save-delay", HIDDEN, Integer.MIN_VALUE, INT_MAX, 0)).ignored(PERSISTENCE);
        c.add(integer("key-load-delay", HIDDEN, Integer.MIN_VALUE, INT_MAX, 0)).ignored(PERSISTENCE);
        c.add(integer("loading-process-events-interval-bytes", HIDDEN, 1024, INT_MAX, 2 * 1024 * 1024))
                .ignored(PERSISTENCE);
        c.add(bool("aof-timestamp-enabled", 0, false)).unbuilt(YES, "AOF timestamp annotations are not written");
        c.add(bool("aof-rewrite-incremental-fsync", 0, true)).ignored("a rewritten AOF base is synced once, when it is complete");
        c.add(bool("aof-disable-auto-gc", 0, false)).ignored("history AOF files are deleted as soon as a rewrite ends");
    }

    private static void replication(Config c) {
        c.add(new ConfigParam.Text("replicaof", "slaveof", IMMUTABLE | MULTI_ARG, "", null))
                .unbuilt(v -> NOT_EMPTY.test(v) && !v.trim().equalsIgnoreCase("no one"), "replication (replicaof) is not available in this version");
        c.add(new ConfigParam.Text("masterauth", null, SENSITIVE, "", null)).ignored(REPLICATION);
        c.add(new ConfigParam.Text("masteruser", null, SENSITIVE, "", null)).ignored(REPLICATION);
        c.add(bool("replica-serve-stale-data", "slave-serve-stale-data", true)).ignored(REPLICATION);
        c.add(bool("replica-read-only", "slave-read-only", true)).ignored(REPLICATION);
        c.add(bool("replica-lazy-flush", "slave-lazy-flush", false)).ignored(REPLICATION);
        c.add(bool("replica-ignore-maxmemory", "slave-ignore-maxmemory", true)).ignored(REPLICATION);
        c.add(bool("replica-announced", null, true)).ignored(REPLICATION);
        c.add(bool("replica-ignore-disk-write-errors", null, false)).ignored(REPLICATION);
        c.add(integer("replica-priority", "slave-priority", 0, 0, INT_MAX, 100)).ignored(REPLICATION);
        c.add(new ConfigParam.Text("replica-announce-ip", "slave-announce-ip", 0, "", null)).ignored(REPLICATION);
        c.add(integer("replica-announce-port", "slave-announce-port", 0, 0, 65535, 0)).ignored(REPLICATION);
        c.add(bool("repl-diskless-sync", 0, true)).ignored(REPLICATION);
        c.add(integer("repl-diskless-sync-delay", 0, 0, INT_MAX, 5)).ignored(REPLICATION);
        c.add(integer("repl-diskless-sync-max-replicas", 0, 0, INT_MAX, 0)).ignored(REPLICATION);
        c.add(new ConfigParam.Enum("repl-diskless-load", null, 0, "disabled", "disabled", "on-empty-db", "swapdb"))
                .ignored(REPLICATION);
        c.add(bool("repl-disable-tcp-nodelay", 0, false)).ignored(REPLICATION);
        c.add(integer("repl-ping-replica-period", "repl-ping-slave-period", 0, 1, INT_MAX, 10)).ignored(REPLICATION);
        c.add(integer("repl-timeout", 0, 1, INT_MAX, 60)).ignored(REPLICATION);
        c.add(memory("repl-backlog-size", 0, 1, LONG_MAX, 1024 * 1024)).ignored(REPLICATION);
        c.add(integer("repl-backlog-ttl", 0, 0, LONG_MAX, 3600)).ignored(REPLICATION);
        // with no replica connected, Redis would refuse every write: refused rather than ignored
        c.add(integer("min-replicas-to-write", "min-slaves-to-write", 0, 0, INT_MAX, 0))
                .unbuilt(NOT_ZERO, "min-replicas-to-write needs replication, which is not available in this version");
        c.add(integer("min-replicas-max-lag", "min-slaves-max-lag", 0, 0, INT_MAX, 10)).ignored(REPLICATION);
        c.add(new ConfigParam.Enum("propagation-error-behavior", null, 0, "ignore", "ignore", "panic",
                "panic-on-replicas")).ignored(REPLICATION);
        c.add(new ConfigParam.Text("bind-source-addr", null, 0, "", null)).ignored(REPLICATION);
    }

    private static void cluster(Config c) {
        c.add(bool("cluster-enabled", IMMUTABLE, false)).unbuilt(YES,
                "cluster mode is not available in this version");
        c.add(new ConfigParam.Text("cluster-config-file", null, IMMUTABLE, "nodes.conf", null)).ignored(CLUSTER);
        c.add(integer("cluster-port", IMMUTABLE, 0, 65535, 0)).ignored(CLUSTER);
        c.add(integer("cluster-node-timeout", 0, 0, LONG_MAX, 15000)).ignored(CLUSTER);
        c.add(integer("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, 0, INT_MAX, 10))
                .ignored(CLUSTER);
        c.add(integer("cluster-migration-barrier", 0, 0, INT_MAX, 1)).ignored(CLUSTER);
        c.add(bool("cluster-require-full-coverage", 0, true)).ignored(CLUSTER);
        c.add(bool("cluster-replica-no-failover", "cluster-slave-no-failover", false)).ignored(CLUSTER);
        c.add(bool("cluster-allow-reads-when-down", 0, false)).ignored(CLUSTER);
        c.add(bool("cluster-allow-pubsubshard-when-down", 0, true)).ignored(CLUSTER);
        c.add(bool("cluster-allow-replica-migration", 0, true)).ignored(CLUSTER);
        c.add(new ConfigParam.Text("cluster-announce-ip", null, 0, "", null)).ignored(CLUSTER);
        c.add(new ConfigParam.Text("cluster-announce-hostname", null, 0, "", null)).ignored(CLUSTER);
        c.add(integer("cluster-announce-port", 0, 0, 65535, 0)).ignored(CLUSTER);
        c.add(integer("cluster-announce-bus-port", 0, 0, 65535, 0)).ignored(CLUSTER);
        c.add(integer("cluster-announce-tls-port", 0, 0, 65535, 0)).ignored(CLUSTER);
        c.add(new ConfigParam.Enum("cluster-preferred-endpoint-type", null, 0, "ip", "ip", "hostname",
                "unknown-endpoint")).ignored(CLUSTER);
        c.add(memory("cluster-link-sendbuf-limit", 0, 0, LONG_MAX, 0)).ignored(CLUSTER);
    }

    private static void tls(Config c) {
        c.add(integer("tls-port", 0, 0, 65535, 0)).unbuilt(NOT_ZERO, "TLS is not available in this version");
        for (String file : new String[] {"tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file",
            "tls-client-key-file", "tls-client-key-file-pass", "tls-dh-params-file", "tls-ca-cert-file",
            "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites"}) {
            c.add(new ConfigParam.Text(file, null, 0, "", null)).ignored(TLS);
        }
        c.add(new ConfigParam.Enum("tls-auth-clients", null, 0, "yes", "no", "yes", "optional")).ignored(TLS);
        c.add(bool("tls-replication", 0, false)).ignored(TLS);
        c.add(bool("tls-cluster", 0, false)).ignored(TLS);
        c.add(bool("tls-prefer-server-ciphers", 0, false)).ignored(TLS);
        c.add(bool("tls-session-caching", 0, true)).ignored(TLS);
        c.add(integer("tls-session-cache-size", 0, 0, INT_MAX, 20 * 1024)).ignored(TLS);
        c.add(integer("tls-session-cache-timeout", 0, 0, INT_MAX, 300)).ignored(TLS);
    }

    private static void acl(Config c) {
        c.add(new ConfigParam.Text("aclfile", null, IMMUTABLE, "", null))
                .unbuilt(NOT_EMPTY, "ACL files are not available in this version; use requirepass");
        c.add(integer("acllog-max-len", 0, 0, LONG_MAX, 128)).ignored(ACL);
        c.add(new ConfigParam.Enum("acl-pubsub-default", null, 0, "resetchannels", "allchannels", "resetchannels"))
                .ignored(ACL);
    }

    // ------------------------------------------------------------------ builders and checks

    private static ConfigParam.Bool bool(String name, int flags, boolean dflt) {
        return new ConfigParam.Bool(name, null, flags, dflt);
    }

    private static ConfigParam.Bool bool(String name, String alias, boolean dflt) {
        return new ConfigParam.Bool(name, alias, 0, dflt);
    }

    private static ConfigParam.Int integer(String name, int flags, long min, long max, long dflt) {
        return new ConfigParam.Int(name, null, flags, min, max, dflt);
    }

    private static ConfigParam.Int integer(String name, String alias, int flags, long min, long max, long dflt) {
        return new ConfigParam.Int(name, alias, flags, min, max, dflt);
    }

    private static ConfigParam.Memory memory(String name, int flags, long min, long max, long dflt) {
        return new ConfigParam.Memory(name, null, flags, min, max, dflt);
    }

    private static ConfigParam.Text text(String name, int flags, String dflt) {
        return new ConfigParam.Text(name, null, flags, dflt, null);
    }

    static String fileName(String v) {
        return v.contains("/") || v.contains("\\") ? "File name can't be a path, just a filename" : null;
    }

    static String shutdownFlags(String v) {
        for (String f : v.trim().split("\\s+")) {
            switch (f.toLowerCase(java.util.Locale.ROOT)) {
                case "default": case "save": case "nosave": case "now": case "force":
                    break;
                default:
                    return "argument(s) must be one of the following: default, save, nosave, now, force";
            }
        }
        return null;
    }

    private static String oomValues(String v) {
        String[] parts = v.trim().split("\\s+");
        if (parts.length != 3) {
            return "wrong number of arguments";
        }
        for (String p : parts) {
            try {
                int n = Integer.parseInt(p);
                if (n < -2000 || n > 2000) {
                    return "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
                }
            } catch (NumberFormatException e) {
                return "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
            }
        }
        return null;
    }

    private static String memoryOrPercent(String v) {
        if (v.endsWith("%")) {
            try {
                int p = Integer.parseInt(v.substring(0, v.length() - 1));
                return p > 100 ? "percentage argument must be less or equal to 100"
                        : p < 0 ? "argument must be a memory or percent value" : null;
            } catch (NumberFormatException e) {
                return "argument must be a memory or percent value";
            }
        }
        return ConfigParam.Memory.parseMemory(v) < 0 ? "argument must be a memory or percent value" : null;
    }

    private static String octal(String v) {
        try {
            int n = Integer.parseInt(v, 8);
            return n < 0 || n > 0777 ? "argument must be between 0 and 777 inclusive" : null;
        } catch (NumberFormatException e) {
            return "argument couldn't be parsed into an integer";
        }
    }
}
