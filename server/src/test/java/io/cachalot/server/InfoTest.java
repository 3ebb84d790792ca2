package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import io.cachalot.testsupport.Resp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * INFO against the reference: the same sections in the same order, and Redis' field names. A few
 * fields are Cachalot's own and named so (JVM figures, the Cachalot version).
 */
class InfoTest extends ReferenceTestBase {
    /** Fields Cachalot adds; everything else it prints must be a field Redis prints too. */
    private static final Set<String> OWN = Set.of("cachalot_version", "java_version", "jvm_heap_used",
            "jvm_heap_committed", "jvm_heap_max", "client_query_buffer_limit_disconnections",
            "client_output_buffer_limit_disconnections", "maxmemory_effective",
            "maxmemory_effective_human");
    /** Fields Redis clients and tools commonly read: they must be present. */
    private static final List<String> ESSENTIAL = List.of("redis_version", "redis_mode", "os", "process_id",
            "run_id", "tcp_port", "uptime_in_seconds", "hz", "executable", "connected_clients", "maxclients",
            "blocked_clients", "used_memory", "used_memory_human", "used_memory_rss", "used_memory_peak",
            "maxmemory", "maxmemory_policy", "mem_fragmentation_ratio", "loading", "rdb_changes_since_last_save",
            "rdb_bgsave_in_progress", "aof_enabled", "total_connections_received", "total_commands_processed",
            "instantaneous_ops_per_sec", "total_net_input_bytes", "total_net_output_bytes", "rejected_connections",
            "expired_keys", "evicted_keys", "keyspace_hits", "keyspace_misses", "total_error_replies", "role",
            "connected_slaves", "master_replid", "master_repl_offset", "used_cpu_sys", "used_cpu_user",
            "cluster_enabled");

    /** Section name to its fields (name to value), in order. */
    private static Map<String, Map<String, String>> info(int port, String... args) throws Exception {
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            c.call("SET", "k", "v");
            c.call("GET", "k");
            c.call("NOSUCH");
            List<String> cmd = new ArrayList<>(List.of("INFO"));
            cmd.addAll(List.of(args));
            String text = Resp.parse(c.call(cmd.toArray(new String[0]))).text();
            Map<String, Map<String, String>> out = new LinkedHashMap<>();
            Map<String, String> cur = null;
            for (String line : text.split("\r\n")) {
                if (line.startsWith("# ")) {
                    cur = new LinkedHashMap<>();
                    out.put(line.substring(2), cur);
                } else if (!line.isEmpty()) {
                    int colon = line.indexOf(':');
                    cur.put(line.substring(0, colon), line.substring(colon + 1));
                }
            }
            return out;
        }
    }

    @Test
    void defaultSectionsInRedisOrder() throws Exception {
        assertThat(info(cachalot.port()).keySet()).containsExactlyElementsOf(info(redis.port()).keySet());
        assertThat(info(cachalot.port(), "all").keySet()).containsExactlyElementsOf(info(redis.port(), "all").keySet());
        assertThat(info(cachalot.port(), "commandstats", "keyspace").keySet())
                .containsExactlyElementsOf(info(redis.port(), "commandstats", "keyspace").keySet());
    }

    @Test
    void fieldNamesAreRedisOnes() throws Exception {
        Map<String, Map<String, String>> ref = info(redis.port(), "everything");
        Map<String, Map<String, String>> cand = info(cachalot.port(), "everything");
        List<String> essentialSeen = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> section : cand.entrySet()) {
            Map<String, String> refFields = ref.get(section.getKey());
            for (String field : section.getValue().keySet()) {
                if (OWN.contains(field) || field.startsWith("cmdstat_") || field.startsWith("errorstat_")
                        || field.startsWith("latency_percentiles_usec_") || field.matches("db\\d+")) {
                    continue;
                }
                assertThat(refFields).as("section %s", section.getKey()).containsKey(field);
                essentialSeen.add(field);
            }
        }
        assertThat(essentialSeen).containsAll(ESSENTIAL);
    }

    @Test
    void valuesHaveRedisFormats() throws Exception {
        Map<String, Map<String, String>> cand = info(cachalot.port(), "everything");
        assertThat(cand.get("Server").get("redis_version")).isEqualTo("7.0.15");
        assertThat(cand.get("Server").get("tcp_port")).isEqualTo(Integer.toString(cachalot.port()));
        assertThat(cand.get("Memory").get("used_memory_human")).matches("\\d+(\\.\\d\\d[KMGTP])?B?|\\d+\\.\\d\\d[KMGTP]");
        assertThat(cand.get("Commandstats").get("cmdstat_set"))
                .matches("calls=\\d+,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=0,failed_calls=0");
        assertThat(cand.get("Errorstats").get("errorstat_ERR")).matches("count=\\d+");
        assertThat(cand.get("Latencystats").get("latency_percentiles_usec_get"))
                .matches("p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}");
        assertThat(cand.get("Keyspace").get("db0")).matches("keys=\\d+,expires=\\d+,avg_ttl=\\d+");
    }

    @Test
    void configSetPortRebinds() throws Exception {
        int newPort = RedisServerProcess.freePort();
        try (RawClient c = new RawClient("127.0.0.1", cachalot.port())) {
            assertThat(new String(c.call("CONFIG", "SET", "port", Integer.toString(newPort)))).isEqualTo("+OK\r\n");
        }
        try (RawClient c = new RawClient("127.0.0.1", newPort)) {
            assertThat(new String(c.call("PING"))).isEqualTo("+PONG\r\n");
            assertThat(Resp.parse(c.call("INFO", "server")).text()).contains("tcp_port:" + newPort);
        }
        assertThat(cachalot.port()).isEqualTo(newPort);
        try (RawClient c = new RawClient("127.0.0.1", newPort);
             java.net.ServerSocket taken = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            // the same port and addresses again change nothing (Redis' CONFIG sanity sets every value back)
            assertThat(new String(c.call("CONFIG", "SET", "port", Integer.toString(newPort)))).isEqualTo("+OK\r\n");
            assertThat(new String(c.call("CONFIG", "SET", "bind", "127.0.0.1"))).isEqualTo("+OK\r\n");
            assertThat(new String(c.call("CONFIG", "SET", "port", Integer.toString(taken.getLocalPort()))))
                    .isEqualTo("-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port\r\n");
            assertThat(new String(c.call("PING"))).isEqualTo("+PONG\r\n");
        }
    }
}
