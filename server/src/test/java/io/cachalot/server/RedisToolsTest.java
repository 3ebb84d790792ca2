package io.cachalot.server;

import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis' own command-line tools against Cachalot: redis-cli and redis-benchmark. */
class RedisToolsTest extends CachalotTestBase {
    private static String tool(String name) {
        String bin = RedisServerProcess.findBinary();
        File f = bin == null ? null : new File(new File(bin).getParentFile(), name);
        if (f == null || !f.canExecute()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(name + " is required in CI; install redis-tools");
            }
            Assumptions.assumeTrue(false, name + " not installed");
        }
        return f.getAbsolutePath();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool("redis-cli"), "-p", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(new String[0]));
    }

    @Test
    void redisCliWorks() throws Exception {
        assertThat(cli("PING")).isEqualTo("PONG\n");
        assertThat(cli("SET", "cli", "hello world")).isEqualTo("OK\n");
        assertThat(cli("GET", "cli")).isEqualTo("hello world\n");
        assertThat(cli("INCRBYFLOAT", "f", "1.5")).isEqualTo("1.5\n");
        assertThat(cli("GET", "nosuch")).isEqualTo("\n");
        assertThat(cli("NOSUCH")).startsWith("ERR unknown command 'NOSUCH'");
        assertThat(cli("-3", "HELLO", "3")).contains("proto").contains("3");
        assertThat(cli("--scan", "--pattern", "cli*")).isEqualTo("cli\n");
        assertThat(cli("INFO", "keyspace")).contains("db0:keys=");
        assertThat(cli("DBSIZE")).matches("\\d+\n");
        assertThat(cli("COMMAND", "COUNT")).matches("\\d+\n");
    }

    /** redis-cli's key surveys: --memkeys reads MEMORY USAGE, --bigkeys the type-specific lengths. */
    @Test
    void redisCliKeySurveysWork() throws Exception {
        // a database of its own: other tests' keys (redis-benchmark's list) would be bigger
        cli("-n", "9", "RPUSH", "survey:list", "a", "b", "c");
        cli("-n", "9", "HSET", "survey:hash", "f", "v");
        cli("-n", "9", "SET", "survey:string", "some value");
        String mem = cli("-n", "9", "--memkeys");
        assertThat(mem).containsPattern("Biggest +list found '\"survey:list\"' has \\d+ bytes")
                .containsPattern("Biggest +hash found '\"survey:hash\"' has \\d+ bytes");
        String big = cli("-n", "9", "--bigkeys");
        assertThat(big).contains("Biggest   list found '\"survey:list\"' has 3 items");
    }

    @Test
    void redisBenchmarkRunsWithoutErrors() throws Exception {
        String out = run(tool("redis-benchmark"), "-p", Integer.toString(server.port()), "-q", "-n", "20000",
                "-t", "set,get,incr,mset", "-P", "16");
        assertThat(out).contains("SET: ").contains("GET: ").contains("INCR: ").contains("MSET (10 keys): ")
                .doesNotContain("ERR").doesNotContain("Error");
    }
}
