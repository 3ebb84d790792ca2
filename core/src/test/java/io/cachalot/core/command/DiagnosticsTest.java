package io.cachalot.core.command;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SLOWLOG, LATENCY, commandstats and CONFIG RESETSTAT with real values. */
@SuppressWarnings("unchecked")
class DiagnosticsTest {
    private Engine engine;
    private EmbeddedClient c;

    @BeforeEach
    void start() throws Exception {
        engine = new Engine();
        engine.settings().config.setAtStartup("enable-debug-command", "yes");
        c = new EmbeddedClient(engine);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private static String s(Object o) {
        return o instanceof byte[] ? Bytes.latin1((byte[]) o) : String.valueOf(o);
    }

    @Test
    void slowlogRecordsSlowCommandsNewestFirst() {
        c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        c.call("SET", "a", "1");
        c.call("GET", "a");
        c.call("CLIENT", "SETNAME", "me");
        c.call("AUTH", "default", "secret");
        List<Object> entries = (List<Object>) c.call("SLOWLOG", "GET", "3");
        assertThat(entries).hasSize(3);
        List<Object> newest = (List<Object>) entries.get(0);
        assertThat((List<Object>) newest.get(3)).extracting(DiagnosticsTest::s)
                .containsExactly("AUTH", "(redacted)", "(redacted)");
        assertThat(s(newest.get(5))).isEqualTo("me");
        assertThat((Long) newest.get(0)).isGreaterThan((Long) ((List<Object>) entries.get(1)).get(0));
        assertThat((List<Object>) ((List<Object>) entries.get(2)).get(3)).extracting(DiagnosticsTest::s)
                .containsExactly("GET", "a");
        assertThat((Long) c.call("SLOWLOG", "LEN")).isGreaterThanOrEqualTo(5);
        c.call("CONFIG", "SET", "slowlog-max-len", "2");
        assertThat(c.call("SLOWLOG", "LEN")).isEqualTo(2L);
        c.call("SLOWLOG", "RESET");
        assertThat(c.call("SLOWLOG", "LEN")).isEqualTo(1L); // the RESET itself is slower than 0 µs
    }

    @Test
    void slowlogTruncatesLongArguments() {
        c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        String[] args = new String[39];
        args[0] = "MSET";
        for (int i = 1; i < 39; i += 2) {
            args[i] = "k" + i;
            args[i + 1] = "x".repeat(200);
        }
        c.call(args);
        List<Object> entry = (List<Object>) ((List<Object>) c.call("SLOWLOG", "GET", "1")).get(0);
        List<Object> logged = (List<Object>) entry.get(3);
        assertThat(logged).hasSize(32);
        assertThat(s(logged.get(2))).isEqualTo("x".repeat(128) + "... (72 more bytes)");
        assertThat(s(logged.get(31))).isEqualTo("... (8 more arguments)");
    }

    @Test
    void latencyMonitorRecordsSpikes() {
        c.call("CONFIG", "SET", "latency-monitor-threshold", "10");
        c.call("DEBUG", "SLEEP", "0.03");
        List<Object> latest = (List<Object>) c.call("LATENCY", "LATEST");
        assertThat(latest).hasSize(1);
        List<Object> event = (List<Object>) latest.get(0);
        assertThat(s(event.get(0))).isEqualTo("command");
        assertThat((Long) event.get(2)).isGreaterThanOrEqualTo(30);
        assertThat((List<Object>) c.call("LATENCY", "HISTORY", "command")).hasSize(1);
        assertThat(s(c.call("LATENCY", "GRAPH", "command"))).startsWith("command - high ");
        assertThat(c.call("LATENCY", "RESET")).isEqualTo(1L);
        assertThat((List<Object>) c.call("LATENCY", "LATEST")).isEmpty();
    }

    @Test
    void histogramsAndCommandStats() {
        c.call("HELLO", "3");
        for (int i = 0; i < 100; i++) {
            c.call("SET", "k", "v");
        }
        Map<Object, Object> h = (Map<Object, Object>) c.call("LATENCY", "HISTOGRAM", "set");
        Map<Object, Object> set = (Map<Object, Object>) h.get("set");
        assertThat(set.get("calls")).isEqualTo(100L);
        Map<Object, Object> buckets = (Map<Object, Object>) set.get("histogram_usec");
        assertThat(buckets.values().stream().mapToLong(v -> (Long) v).max().orElse(0)).isEqualTo(100L);
        String stats = s(c.call("INFO", "commandstats"));
        assertThat(stats).contains("cmdstat_set:calls=100,");
        c.call("CONFIG", "RESETSTAT");
        assertThat(s(c.call("INFO", "commandstats"))).doesNotContain("cmdstat_set");
        // RESETSTAT and the first INFO were counted after the reset, as in Redis
        assertThat(s(c.call("INFO", "stats"))).contains("total_commands_processed:2\r\n");
    }

    @Test
    void errorsAreCountedByCode() {
        c.call("SET", "s", "x");
        for (String[] cmd : new String[][] {{"INCR", "s"}, {"NOSUCH"}, {"GET"}}) {
            try {
                c.call(cmd);
            } catch (EmbeddedClient.CommandException expected) {
                // counted
            }
        }
        String info = s(c.call("INFO", "errorstats"));
        assertThat(info).contains("errorstat_ERR:count=3");
        assertThat(s(c.call("INFO", "commandstats"))).contains("cmdstat_get:calls=0,usec=0,usec_per_call=0.00,"
                + "rejected_calls=1,failed_calls=0").contains("cmdstat_incr:calls=1").contains("failed_calls=1");
    }
}
