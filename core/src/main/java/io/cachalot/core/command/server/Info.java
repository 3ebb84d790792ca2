package io.cachalot.core.command.server;

import io.cachalot.core.Engine;
import io.cachalot.core.command.EngineServices;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandSpec;
import io.cachalot.core.config.Settings;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.KeyspaceStats;
import io.cachalot.core.stats.ServerStats;
import io.cachalot.core.util.Bytes;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO [section ...]: Redis' sections and field names. Fields of subsystems Cachalot does not
 * have yet (replication, persistence, pub/sub ...) report their idle values, which are true.
 */
public final class Info {
    /** Fixed structures of the engine, counted in used_memory as Redis counts its startup memory. */
    static final long STARTUP_MEMORY = io.cachalot.core.evict.Evictor.STARTUP_MEMORY;
    private static final String[] DEFAULT = {"server", "clients", "memory", "persistence", "stats", "replication",
        "cpu", "modules", "errorstats", "cluster", "keyspace"};
    private static final String[] ALL_EXTRA = {"commandstats", "latencystats"};

    private Info() {
    }

    static void info(CommandContext ctx) {
        Set<String> sections = new LinkedHashSet<>();
        if (ctx.argc == 1) {
            addAll(sections, DEFAULT);
        } else {
            for (int i = 1; i < ctx.argc; i++) {
                String s = Bytes.lowerAscii(ctx.argv[i]);
                switch (s) {
                    case "default":
                        addAll(sections, DEFAULT);
                        break;
                    case "all":
                    case "everything":
                        addAll(sections, DEFAULT);
                        addAll(sections, ALL_EXTRA);
                        break;
                    default:
                        sections.add(s);
                }
            }
        }
        String text = render(ctx.engine(), sections, ctx.now);
        ctx.reply.verbatim("txt", Bytes.utf8(text));
    }

    private static void addAll(Set<String> s, String[] names) {
        for (String n : names) {
            s.add(n);
        }
    }

    /** The INFO text for the given (lower-case) sections, in Redis' order. */
    public static String render(EngineServices engine, Set<String> wanted, long now) {
        List<String> parts = new ArrayList<>();
        String[] order = {"server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
            "commandstats", "errorstats", "latencystats", "cluster", "keyspace"};
        for (String s : order) {
            if (wanted.contains(s)) {
                parts.add(section(engine, s, now));
            }
        }
        return String.join("\r\n", parts);
    }

    private static String section(EngineServices e, String name, long now) {
        StringBuilder sb = new StringBuilder(512);
        switch (name) {
            case "server": server(e, sb, now); break;
            case "clients": clients(e, sb); break;
            case "memory": memory(e, sb); break;
            case "persistence": persistence(e, sb); break;
            case "stats": stats(e, sb); break;
            case "replication": replication(e, sb); break;
            case "cpu": cpu(sb); break;
            case "modules": sb.append("# Modules\r\n"); break;
            case "commandstats": commandstats(e, sb); break;
            case "errorstats": errorstats(e, sb); break;
            case "latencystats": latencystats(e, sb); break;
            case "cluster": sb.append("# Cluster\r\ncluster_enabled:0\r\n"); break;
            case "keyspace": keyspace(e, sb, now); break;
            default: break;
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String k, Object v) {
        sb.append(k).append(':').append(v).append("\r\n");
    }

    private static void server(EngineServices e, StringBuilder sb, long now) {
        Settings s = e.settings();
        long uptime = (now - e.startMillis()) / 1000;
        sb.append("# Server\r\n");
        field(sb, "redis_version", Engine.REDIS_VERSION);
        field(sb, "redis_git_sha1", "00000000");
        field(sb, "redis_git_dirty", 0);
        field(sb, "redis_build_id", "0");
        field(sb, "redis_mode", "standalone");
        field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        field(sb, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
        field(sb, "monotonic_clock", "System.nanoTime");
        for (Map.Entry<String, String> f : e.hooks().serverInfo().entrySet()) {
            field(sb, f.getKey(), f.getValue());
        }
        field(sb, "atomicvar_api", "java.util.concurrent");
        field(sb, "gcc_version", "0.0.0");
        field(sb, "process_id", ProcessHandle.current().pid());
        field(sb, "process_supervised", "no");
        field(sb, "run_id", e.runId());
        field(sb, "tcp_port", e.hooks().tcpPort());
        field(sb, "server_time_usec", now * 1000);
        field(sb, "uptime_in_seconds", uptime);
        field(sb, "uptime_in_days", uptime / 86400);
        field(sb, "hz", s.hz.value());
        field(sb, "configured_hz", s.hz.value());
        field(sb, "lru_clock", e.keyspace().lruClock());
        field(sb, "executable", e.hooks().executable());
        field(sb, "config_file", e.hooks().configFile());
        field(sb, "io_threads_active", 0);
        field(sb, "cachalot_version", Engine.class.getPackage().getImplementationVersion() == null
                ? "dev" : Engine.class.getPackage().getImplementationVersion());
        field(sb, "java_version", System.getProperty("java.version"));
    }

    private static void clients(EngineServices e, StringBuilder sb) {
        sb.append("# Clients\r\n");
        field(sb, "connected_clients", e.clients().size());
        field(sb, "cluster_connections", 0);
        field(sb, "maxclients", e.settings().maxclients.value());
        long maxIn = 0;
        long maxOut = 0;
        for (io.cachalot.core.client.Session s : e.clients().list()) {
            io.cachalot.core.client.ClientConnection c = s.connection();
            if (c != null) {
                maxIn = Math.max(maxIn, c.queryBufferLength() + c.argvLength());
                maxOut = Math.max(maxOut, c.pendingOutputBytes());
            }
        }
        // the largest buffers now (Redis keeps the largest of the last few seconds)
        field(sb, "client_recent_max_input_buffer", maxIn);
        field(sb, "client_recent_max_output_buffer", maxOut);
        field(sb, "blocked_clients", e.blocking().blockedClients());
        field(sb, "tracking_clients", e.tracking().clientCount());
        field(sb, "clients_in_timeout_table", 0);
    }

    /** Used memory as Cachalot accounts it: the estimated size of the data plus fixed structures. */
    public static long usedMemory(EngineServices e) {
        long used = e.evictor().usedMemory();
        e.stats().notePeakMemory(used);
        return used;
    }

    static String human(long n) {
        double d = n;
        if (n < 1024) {
            return n + "B";
        } else if (n < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.2fK", d / 1024);
        } else if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fM", d / (1024 * 1024));
        } else if (n < 1024L * 1024 * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fG", d / (1024L * 1024 * 1024));
        } else if (n < 1024L * 1024 * 1024 * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fT", d / (1024L * 1024 * 1024 * 1024));
        }
        return String.format(Locale.ROOT, "%.2fP", d / (1024L * 1024 * 1024 * 1024 * 1024));
    }

    /** Resident set size from /proc (Linux); the JVM's committed memory elsewhere. */
    static long rss() {
        try {
            String statm = Files.readString(Path.of("/proc/self/statm"));
            long pages = Long.parseLong(statm.trim().split("\\s+")[1]);
            return pages * 4096;
        } catch (Exception ex) {
            MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            MemoryUsage nh = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
            return h.getCommitted() + nh.getCommitted();
        }
    }

    private static void memory(EngineServices e, StringBuilder sb) {
        long used = usedMemory(e);
        long peak = e.stats().peakMemory;
        long rss = rss();
        long maxmemory = e.settings().maxmemory.value();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long totalSystem = totalSystemMemory();
        sb.append("# Memory\r\n");
        field(sb, "used_memory", used);
        field(sb, "used_memory_human", human(used));
        field(sb, "used_memory_rss", rss);
        field(sb, "used_memory_rss_human", human(rss));
        field(sb, "used_memory_peak", peak);
        field(sb, "used_memory_peak_human", human(peak));
        field(sb, "used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", peak == 0 ? 0 : used * 100.0 / peak));
        long clients = e.clientMemory().total();
        long overhead = STARTUP_MEMORY + clients;
        field(sb, "used_memory_overhead", overhead);
        field(sb, "used_memory_startup", STARTUP_MEMORY);
        field(sb, "used_memory_dataset", used - overhead);
        field(sb, "used_memory_dataset_perc", String.format(Locale.ROOT, "%.2f%%",
                used == 0 ? 0 : (used - overhead) * 100.0 / used));
        field(sb, "total_system_memory", totalSystem);
        field(sb, "total_system_memory_human", human(totalSystem));
        // Lua lives outside the Java heap: like Redis' Lua, not part of used_memory
        var scripts = e.scriptFacts();
        long lua = scripts.luaMemory();
        long scriptsEval = scripts.scriptsMemory();
        long functions = scripts.functionsMemory();
        field(sb, "used_memory_lua", lua);
        field(sb, "used_memory_vm_eval", lua);
        field(sb, "used_memory_lua_human", human(lua));
        field(sb, "used_memory_scripts_eval", scriptsEval);
        field(sb, "number_of_cached_scripts", scripts.cachedScripts());
        field(sb, "number_of_functions", scripts.functionCount());
        field(sb, "number_of_libraries", scripts.libraryCount());
        field(sb, "used_memory_vm_functions", 0);
        field(sb, "used_memory_vm_total", lua);
        field(sb, "used_memory_vm_total_human", human(lua));
        field(sb, "used_memory_functions", functions);
        field(sb, "used_memory_scripts", scriptsEval + functions);
        field(sb, "used_memory_scripts_human", human(scriptsEval + functions));
        field(sb, "maxmemory", maxmemory);
        field(sb, "maxmemory_human", human(maxmemory));
        field(sb, "maxmemory_policy", e.settings().maxmemoryPolicy.value());
        // Cachalot's own: the limit in force (maxmemory, else the heap-derived bound, lower under heap pressure)
        field(sb, "maxmemory_effective", e.evictor().limit());
        field(sb, "maxmemory_effective_human", human(e.evictor().limit()));
        field(sb, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", used == 0 ? 0 : (double) rss / used));
        field(sb, "mem_fragmentation_bytes", rss - used);
        field(sb, "mem_not_counted_for_evict", 0);
        field(sb, "mem_clients_normal", clients);
        field(sb, "mem_allocator", "jvm");
        field(sb, "jvm_heap_used", heap.getUsed());
        field(sb, "jvm_heap_committed", heap.getCommitted());
        field(sb, "jvm_heap_max", heap.getMax());
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", 0);
    }

    private static long totalSystemMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
        }
        return 0;
    }

    private static void persistence(EngineServices e, StringBuilder sb) {
        sb.append("# Persistence\r\n");
        field(sb, "loading", 0);
        field(sb, "async_loading", 0);
        field(sb, "current_cow_peak", 0);
        field(sb, "current_cow_size", 0);
        field(sb, "current_cow_size_age", 0);
        field(sb, "current_fork_perc", "0.00");
        field(sb, "current_save_keys_processed", 0);
        field(sb, "current_save_keys_total", 0);
        io.cachalot.core.persist.Persistence p = e.persistence();
        field(sb, "rdb_changes_since_last_save", p.changesSinceLastSave());
        field(sb, "rdb_bgsave_in_progress", p.bgsaveInProgress() ? 1 : 0);
        field(sb, "rdb_last_save_time", p.lastSaveSeconds());
        field(sb, "rdb_last_bgsave_status", p.lastBgsaveOk() ? "ok" : "err");
        field(sb, "rdb_last_bgsave_time_sec", p.lastBgsaveSeconds());
        field(sb, "rdb_current_bgsave_time_sec", p.currentBgsaveSeconds());
        field(sb, "rdb_saves", p.saves());
        field(sb, "rdb_last_cow_size", p.lastCowBytes());
        field(sb, "rdb_last_load_keys_expired", p.lastLoadExpired());
        field(sb, "rdb_last_load_keys_loaded", p.lastLoadKeys());
        io.cachalot.core.persist.aof.AppendOnly aof = p.aof();
        field(sb, "aof_enabled", aof.enabled() ? 1 : 0);
        field(sb, "aof_rewrite_in_progress", aof.rewriteInProgress() ? 1 : 0);
        field(sb, "aof_rewrite_scheduled", aof.rewriteScheduled() ? 1 : 0);
        field(sb, "aof_last_rewrite_time_sec", aof.lastRewriteSeconds());
        field(sb, "aof_current_rewrite_time_sec", aof.currentRewriteSeconds());
        field(sb, "aof_last_bgrewrite_status", aof.lastRewriteOk() ? "ok" : "err");
        field(sb, "aof_rewrites", aof.rewrites());
        field(sb, "aof_rewrites_consecutive_failures", aof.consecutiveFailures());
        field(sb, "aof_last_write_status", aof.writeError() == null ? "ok" : "err");
        field(sb, "aof_last_cow_size", aof.lastCowBytes());
        field(sb, "module_fork_in_progress", 0);
        field(sb, "module_fork_last_cow_size", 0);
        if (aof.enabled()) {
            field(sb, "aof_current_size", aof.currentSize());
            field(sb, "aof_base_size", aof.baseSize());
            field(sb, "aof_pending_rewrite", aof.rewriteScheduled() ? 1 : 0);
            field(sb, "aof_buffer_length", aof.bufferLength());
            field(sb, "aof_pending_bio_fsync", 0);
            field(sb, "aof_delayed_fsync", 0);
        }
    }

    private static void stats(EngineServices e, StringBuilder sb) {
        ServerStats st = e.stats();
        KeyspaceStats ks = e.keyspace().stats();
        sb.append("# Stats\r\n");
        field(sb, "total_connections_received", st.totalConnectionsReceived.sum());
        field(sb, "total_commands_processed", st.totalCommandsProcessed.sum());
        field(sb, "instantaneous_ops_per_sec", st.opsPerSec.perSecond());
        field(sb, "total_net_input_bytes", st.netInputBytes.sum());
        field(sb, "total_net_output_bytes", st.netOutputBytes.sum());
        field(sb, "total_net_repl_input_bytes", 0);
        field(sb, "total_net_repl_output_bytes", 0);
        field(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", st.inputKbps.perSecond() / 1024.0));
        field(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", st.outputKbps.perSecond() / 1024.0));
        field(sb, "instantaneous_input_repl_kbps", "0.00");
        field(sb, "instantaneous_output_repl_kbps", "0.00");
        field(sb, "rejected_connections", st.rejectedConnections.sum());
        field(sb, "sync_full", 0);
        field(sb, "sync_partial_ok", 0);
        field(sb, "sync_partial_err", 0);
        field(sb, "expired_keys", ks.expiredKeys.sum());
        field(sb, "expired_stale_perc", String.format(Locale.ROOT, "%.2f", ks.expiredStalePercTimes100 / 100.0));
        field(sb, "expired_time_cap_reached_count", ks.expiredTimeCapReachedCount.sum());
        field(sb, "expire_cycle_cpu_milliseconds", ks.expireCycleCpuMillis);
        field(sb, "evicted_keys", ks.evictedKeys.sum());
        field(sb, "evicted_clients", 0);
        field(sb, "total_eviction_exceeded_time", e.evictor().totalExceededMillis());
        field(sb, "current_eviction_exceeded_time", e.evictor().currentExceededMillis());
        field(sb, "keyspace_hits", ks.keyspaceHits.sum());
        field(sb, "keyspace_misses", ks.keyspaceMisses.sum());
        field(sb, "pubsub_channels", e.pubsub().channelCount(false));
        field(sb, "pubsub_patterns", e.pubsub().patternCount());
        field(sb, "pubsubshard_channels", e.pubsub().channelCount(true));
        field(sb, "latest_fork_usec", 0);
        field(sb, "total_forks", 0);
        field(sb, "migrate_cached_sockets", 0);
        field(sb, "slave_expires_tracked_keys", 0);
        field(sb, "active_defrag_hits", 0);
        field(sb, "active_defrag_misses", 0);
        field(sb, "active_defrag_key_hits", 0);
        field(sb, "active_defrag_key_misses", 0);
        field(sb, "total_active_defrag_time", 0);
        field(sb, "current_active_defrag_time", 0);
        field(sb, "tracking_total_keys", e.tracking().totalKeys());
        field(sb, "tracking_total_items", e.tracking().totalItems());
        field(sb, "tracking_total_prefixes", e.tracking().totalPrefixes());
        field(sb, "unexpected_error_replies", 0);
        field(sb, "total_error_replies", st.totalErrorReplies.sum());
        field(sb, "dump_payload_sanitizations", 0);
        field(sb, "total_reads_processed", st.totalReadsProcessed.sum());
        field(sb, "total_writes_processed", st.totalWritesProcessed.sum());
        field(sb, "io_threaded_reads_processed", 0);
        field(sb, "io_threaded_writes_processed", 0);
        field(sb, "client_query_buffer_limit_disconnections", st.clientQueryBufferLimitDisconnections.sum());
        field(sb, "client_output_buffer_limit_disconnections", st.clientOutputBufferLimitDisconnections.sum());
    }

    private static void replication(EngineServices e, StringBuilder sb) {
        sb.append("# Replication\r\n");
        field(sb, "role", "master");
        field(sb, "connected_slaves", 0);
        field(sb, "master_failover_state", "no-failover");
        field(sb, "master_replid", e.runId());
        field(sb, "master_replid2", "0000000000000000000000000000000000000000");
        field(sb, "master_repl_offset", 0);
        field(sb, "second_repl_offset", -1);
        field(sb, "repl_backlog_active", 0);
        field(sb, "repl_backlog_size", 1048576);
        field(sb, "repl_backlog_first_byte_offset", 0);
        field(sb, "repl_backlog_histlen", 0);
    }

    private static void cpu(StringBuilder sb) {
        double[] t = cpuTimes();
        sb.append("# CPU\r\n");
        field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", t[0]));
        field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", t[1]));
        field(sb, "used_cpu_sys_children", "0.000000");
        field(sb, "used_cpu_user_children", "0.000000");
    }

    /** System and user CPU seconds of this process (from /proc on Linux). */
    static double[] cpuTimes() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command name: state(0) ... utime(11) stime(12), in clock ticks (100/s)
            double user = Long.parseLong(f[11]) / 100.0;
            double sys = Long.parseLong(f[12]) / 100.0;
            return new double[] {sys, user};
        } catch (Exception ex) {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            double total = os instanceof com.sun.management.OperatingSystemMXBean
                    ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9 : 0;
            return new double[] {0, total};
        }
    }

    private static void commandstats(EngineServices e, StringBuilder sb) {
        sb.append("# Commandstats\r\n");
        for (CommandSpec top : e.commands().all()) {
            for (CommandSpec s : top.withSubcommands()) {
                long calls = s.calls.sum();
                long rejected = s.rejectedCalls.sum();
                long failed = s.failedCalls.sum();
                if (calls == 0 && rejected == 0 && failed == 0) {
                    continue;
                }
                long usec = s.nanos.sum() / 1000;
                sb.append("cmdstat_").append(s.fullName()).append(":calls=").append(calls)
                        .append(",usec=").append(usec)
                        .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f",
                                calls == 0 ? 0.0 : (double) usec / calls))
                        .append(",rejected_calls=").append(rejected)
                        .append(",failed_calls=").append(failed).append("\r\n");
            }
        }
    }

    private static void errorstats(EngineServices e, StringBuilder sb) {
        sb.append("# Errorstats\r\n");
        for (Map.Entry<String, Long> err : e.stats().errorCounts().entrySet()) {
            sb.append("errorstat_").append(err.getKey()).append(":count=").append(err.getValue()).append("\r\n");
        }
    }

    private static void latencystats(EngineServices e, StringBuilder sb) {
        sb.append("# Latencystats\r\n");
        String[] ps = e.settings().latencyTrackingInfoPercentiles.value().trim().split("\\s+");
        for (CommandSpec top : e.commands().all()) {
            for (CommandSpec s : top.withSubcommands()) {
                if (s.calls.sum() == 0) {
                    continue;
                }
                sb.append("latency_percentiles_usec_").append(s.fullName()).append(':');
                boolean first = true;
                for (String p : ps) {
                    if (p.isEmpty()) {
                        continue;
                    }
                    double pv = Double.parseDouble(p);
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append('p').append(percentileLabel(pv)).append('=')
                            .append(String.format(Locale.ROOT, "%.3f", s.histogram.percentile(pv) / 1000.0));
                }
                sb.append("\r\n");
            }
        }
    }

    private static String percentileLabel(double p) {
        String s = String.format(Locale.ROOT, "%f", p);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    private static void keyspace(EngineServices e, StringBuilder sb, long now) {
        sb.append("# Keyspace\r\n");
        Keyspace ks = e.keyspace();
        for (int i = 0; i < ks.databaseCount(); i++) {
            Database db = ks.db(i);
            long keys = db.size();
            if (keys == 0) {
                continue;
            }
            sb.append("db").append(i).append(":keys=").append(keys).append(",expires=").append(db.volatileSize())
                    .append(",avg_ttl=").append(averageTtl(db, now)).append("\r\n");
        }
    }

    /** Average TTL in ms of a sample of the keys that have one (Redis reports an estimate too). */
    private static long averageTtl(Database db, long now) {
        long sum = 0;
        long n = 0;
        for (int i = 0; i < db.segmentCount(); i++) {
            io.cachalot.core.keyspace.Segment s = db.segmentAt(i);
            if (s.volatileSize() == 0) {
                continue;
            }
            s.lock();
            try {
                int seen = 0;
                for (int j = 0; j < s.volatileSlots() && seen < 16; j++) {
                    io.cachalot.core.keyspace.Entry e = s.volatileSlot(j);
                    if (e == null) {
                        continue;
                    }
                    seen++;
                    long ttl = e.expireAt() - now;
                    if (ttl > 0) {
                        sum += ttl;
                        n++;
                    }
                }
            } finally {
                s.unlock();
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
