package io.cachalot.server.config;

import io.cachalot.core.config.ConfigParam;
import io.cachalot.core.config.Settings;
import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import io.cachalot.testsupport.Resp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** redis.conf as redis-server 7.0.15 reads it: every parameter, its errors, includes, what is not applied. */
class ConfigFileTest {
    @TempDir
    Path dir;

    /** Debian's /etc/redis/redis.conf (Redis 7.0.15's own, as the package installs it), or $REDIS_CONF. */
    private static Path debianConf() {
        RedisServerProcess.requireBinary();
        String env = System.getenv("REDIS_CONF");
        Path p = Path.of(env != null ? env : "/etc/redis/redis.conf");
        if (!Files.isReadable(p)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(p + " is not readable; .ci/run makes a readable copy in REDIS_CONF");
            }
            Assumptions.assumeTrue(false, p + " not readable");
        }
        return p;
    }

    @Test
    void debiansRedisConfLoadsAsShipped() throws Exception {
        Path conf = debianConf();
        Settings s = new Settings();
        List<ConfigFile.NotApplied> notApplied = ConfigFile.load(conf, null, List.of(), s);
        // what Cachalot applies is applied
        assertThat(s.port.value()).isEqualTo(6379);
        assertThat(s.bind.value()).isEqualTo("127.0.0.1 -::1");
        assertThat(s.protectedMode.value()).isTrue();
        assertThat(s.databases.value()).isEqualTo(16);
        assertThat(s.config.find("client-output-buffer-limit").get())
                .isEqualTo("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        assertThat(s.logfile.value()).isEqualTo("/var/log/redis/redis-server.log");
        // what it does not apply is named in the log, one line each
        Set<String> names = new HashSet<>();
        for (ConfigFile.NotApplied n : notApplied) {
            String name = n.line().substring(0, n.line().indexOf(' '));
            assertThat(names.add(name)).as("one line for %s", name).isTrue();
            assertThat(n.line()).contains(": accepted and ignored, ");
        }
        assertThat(names).contains("daemonize", "jemalloc-bg-thread", "disable-thp", "aof-rewrite-incremental-fsync",
                "repl-diskless-sync", "lazyfree-lazy-eviction", "oom-score-adj-values");
        assertThat(names).doesNotContain("port", "bind", "hz", "maxmemory-policy", "client-output-buffer-limit", "dbfilename");
        assertThat(notApplied).filteredOn(n -> n.line().startsWith("daemonize yes")).singleElement()
                .matches(n -> !n.atDefault(), "a non-default value is a warning");
    }

    /** The repository's example configuration loads, and every line of it is applied. */
    @Test
    void theExampleConfigurationLoadsAndIsAllApplied() throws Exception {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("cachalot.conf");
        Settings s = new Settings();
        assertThat(ConfigFile.load(example, null, List.of(), s)).isEmpty();
        assertThat(s.config.find("client-output-buffer-limit").get())
                .isEqualTo("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    }

    /** Every parameter redis-server 7.0.15 has is known, with Redis' default unless documented otherwise. */
    @Test
    void everyRedisParameterIsKnownWithRedisDefault() throws Exception {
        Map<String, String> redis = new TreeMap<>();
        try (RedisServerProcess r = RedisServerProcess.start("--logfile", "", "--dir", dir.toString());
             RawClient c = new RawClient("127.0.0.1", r.port())) {
            List<Resp> flat = Resp.parse(c.call("CONFIG", "GET", "*")).children;
            for (int i = 0; i < flat.size(); i += 2) {
                redis.put(flat.get(i).text(), flat.get(i + 1).text());
            }
        }
        assertThat(redis).hasSizeGreaterThan(180);
        Settings s = new Settings();
        s.config.setAtStartup("dir", dir.toString());
        // started by the test harness with other values, or different defaults on purpose (docs/configuration.md)
        Set<String> differs = Set.of("port", "bind", "enable-debug-command", "dir", "logfile");
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String> e : redis.entrySet()) {
            ConfigParam p = s.config.find(e.getKey());
            if (p == null) {
                mismatches.add(e.getKey() + ": unknown");
            } else if (!differs.contains(e.getKey()) && !p.get().equals(e.getValue())) {
                mismatches.add(e.getKey() + ": " + p.get() + " vs Redis' " + e.getValue());
            }
        }
        assertThat(mismatches).isEmpty();
        // Redis' test-only parameters: found by name, left out of patterns as Redis does
        assertThat(s.config.find("rdb-key-save-delay")).isNotNull();
        assertThat(s.config.get(List.of("*")).stream().map(kv -> kv[0])).doesNotContain("rdb-key-save-delay");
    }

    /** A typo fails with redis-server's own message, byte for byte. */
    @Test
    void errorsReadAsRedisServerWritesThem() throws Exception {
        String bin = RedisServerProcess.requireBinary();
        String[] files = {
            "port 7000\nprotectd-mode yes\n",   // a typo
            "# comment\nhz\n",                   // wrong number of arguments
            "maxmemory-policy \"allkeys-lru\n",  // unbalanced quotes
            "maxmemory-policy sometimes\n",      // a bad value
            "hz 10\nsentinel monitor m 127.0.0.1 6379 2\n",
        };
        for (String text : files) {
            Path conf = dir.resolve("bad.conf");
            Files.writeString(conf, text);
            Process p = new ProcessBuilder(bin, conf.toString()).redirectErrorStream(false).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String expected = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(expected).contains("FATAL CONFIG FILE ERROR");
            assertThatThrownBy(() -> ConfigFile.load(conf, null, List.of(), new Settings()))
                    .isInstanceOf(ConfigFile.ConfigError.class)
                    .satisfies(e -> assertThat(e.getMessage() + "\n").isEqualTo(expected));
        }
    }

    @Test
    void commandLineOptionsFollowTheFileAndItsLineNumbers() throws Exception {
        Path conf = dir.resolve("c.conf");
        Files.writeString(conf, "hz 20\nmaxmemory 1mb\n");
        Settings s = new Settings();
        ConfigFile.load(conf, "hz 30\n", List.of("--maxmemory", "2mb"), s);
        assertThat(s.hz.value()).isEqualTo(30);
        assertThat(s.maxmemory.value()).isEqualTo(2L * 1024 * 1024);
        // file (2 lines) + stdin (1 line) + a blank joint + the options: --bogus is line 5
        assertThatThrownBy(() -> ConfigFile.load(conf, "hz 30\n", List.of("--bogus", "1"), new Settings()))
                .hasMessageContaining("at line 5\n>>> 'bogus \"1\"'\nBad directive or wrong number of arguments");
    }

    @Test
    void featuresNotBuiltAreRefusedWithAMessageThatSaysSo() throws Exception {
        String[][] refused = {
            {"aof-timestamp-enabled yes", "AOF timestamp annotations are not written"},
            {"replicaof 127.0.0.1 6380", "replication (replicaof) is not available in this version"},
            {"cluster-enabled yes", "cluster mode is not available in this version"},
            {"tls-port 6380", "TLS is not available in this version"},
            {"aclfile /etc/redis/users.acl", "ACL files are not available in this version; use requirepass"},
            {"user alice on >secret ~* +@all", "ACL users are not available in this version; use requirepass"},
            {"loadmodule /usr/lib/redis/modules/x.so", "modules are not supported"},
            {"rename-command FLUSHALL \"\"", "rename-command is not available in this version"},
            {"unixsocket /run/redis.sock", "unix sockets are not available in this version"},
            {"min-replicas-to-write 1", "min-replicas-to-write needs replication, which is not available in this version"},
        };
        for (String[] r : refused) {
            assertThatThrownBy(() -> ConfigFile.apply(r[0] + "\n", new Settings())).as(r[0])
                    .hasMessageEndingWith(r[1]).hasMessageContaining(">>> '" + r[0] + "'");
        }
        // the values that leave those features off load
        Settings s = new Settings();
        List<ConfigFile.NotApplied> n = ConfigFile.apply("appendonly no\nsave \"\"\nreplicaof no one\n"
                + "cluster-enabled no\ntls-port 0\nnotify-keyspace-events \"\"\nlist-max-ziplist-entries 512\n"
                + "masterauth secret\n", s);
        assertThat(n).extracting(ConfigFile.NotApplied::line).contains(
                "masterauth: accepted and ignored, replication is not built yet");
        // CONFIG SET says the same
        assertThat(s.config.set(List.<String[]>of(new String[] {"cluster-enabled", "yes"}), false))
                .startsWith("CONFIG SET failed (possibly related to argument 'cluster-enabled') - ");
        assertThat(s.config.set(List.<String[]>of(new String[] {"appendfsync", "always"}), false)).isNull();
    }

    @Test
    void includesFilesAndWildcards() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/a.conf"), "hz 40\n");
        Files.writeString(dir.resolve("conf.d/b.conf"), "maxmemory 3mb\n");
        Files.writeString(dir.resolve("one.conf"), "timeout 7\n");
        Settings s = new Settings();
        ConfigFile.apply("include " + dir.resolve("one.conf") + "\ninclude " + dir.resolve("conf.d/*.conf")
                + "\ninclude " + dir.resolve("empty.d/*.conf") + "\n", s);
        assertThat(s.timeout.value()).isEqualTo(7);
        assertThat(s.hz.value()).isEqualTo(40);
        assertThat(s.maxmemory.value()).isEqualTo(3L * 1024 * 1024);
        assertThatThrownBy(() -> ConfigFile.apply("include " + dir.resolve("missing.conf") + "\n", new Settings()))
                .hasMessage("Fatal error, can't open config file '" + dir.resolve("missing.conf")
                        + "': No such file or directory");
    }

    @Test
    void rewriteKeepsMemoryUnitsAsRedisWritesThem() throws Exception {
        Path conf = dir.resolve("rw.conf");
        Files.writeString(conf, "maxmemory 128mb\n");
        Settings s = new Settings();
        ConfigFile.load(conf, null, List.of("--proto-max-bulk-len", "2000000", "--client-query-buffer-limit", "2gb"), s);
        ConfigRewriter.rewrite(conf, s);
        assertThat(Files.readAllLines(conf)).contains("maxmemory 128mb", "proto-max-bulk-len 2000000",
                "client-query-buffer-limit 2gb");
    }
}
