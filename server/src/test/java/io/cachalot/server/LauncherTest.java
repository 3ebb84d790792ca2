package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher: config file and --options, start-up failures, CONFIG REWRITE, SHUTDOWN. */
class LauncherTest {
    @TempDir
    Path dir;

    /** Runs Main.run with stderr and stdout (the log) captured; returns {exit status, stderr, stdout}. */
    private static Object[] runCapturing(String... args) throws Exception {
        return runWithStdin(null, args);
    }

    private static Object[] runWithStdin(String stdin, String... args) throws Exception {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        java.io.InputStream oldIn = System.in;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        if (stdin != null) {
            System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            int status = Main.run(args);
            return new Object[] {status, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
            System.setIn(oldIn);
            io.cachalot.server.log.RedisStyleLog.setFile("");
        }
    }

    @Test
    void badConfigLineFailsWithRedisMessageAndNonZeroExit() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "port 7777\n# comment\nnosuchdirective 1\n");
        Object[] r = runCapturing(conf.toString());
        assertThat(r[0]).isEqualTo(1);
        assertThat((String) r[1]).isEqualTo("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line 3\n>>> 'nosuchdirective 1'\n"
                + "Bad directive or wrong number of arguments" + System.lineSeparator());
    }

    @Test
    void badValueOnTheCommandLine() throws Exception {
        Object[] r = runCapturing("--maxmemory-policy", "sometimes");
        assertThat(r[0]).isEqualTo(1);
        assertThat((String) r[1]).contains(">>> 'maxmemory-policy \"sometimes\"'")
                .contains("argument(s) must be one of the following");
    }

    @Test
    void missingConfigFile() throws Exception {
        Object[] r = runCapturing(dir.resolve("nope.conf").toString());
        assertThat(r[0]).isEqualTo(1);
        assertThat((String) r[1]).contains("Fatal error, can't open config file '" + dir.resolve("nope.conf")
                + "': No such file or directory");
    }

    @Test
    void helpPrintsUsageWithExamples() throws Exception {
        Object[] r = runCapturing("--help");
        assertThat(r[0]).isEqualTo(1);
        assertThat((String) r[1]).startsWith("Usage: cachalot-server [/path/to/cachalot.conf] [options] [-]")
                .contains("Examples:").contains("echo 'maxmemory 128mb' | cachalot-server -");
    }

    /** Redis' two lines, once each, in the log (nothing on standard error), and exit status 1. */
    @Test
    void portInUseFailsToStartWithRedisMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Object[] r = runCapturing("--port", Integer.toString(port), "--dir", dir.toString());
            assertThat(r[0]).isEqualTo(1);
            String log = (String) r[2];
            String line = "# Warning: Could not create server TCP listening socket 127.0.0.1:" + port
                    + ": bind: Address already in use";
            assertThat(log).contains(line + "\n").contains("# Failed listening on port " + port + " (TCP), aborting.");
            assertThat(log.indexOf(line)).isEqualTo(log.lastIndexOf(line));
            assertThat((String) r[1]).isEmpty();
        }
    }

    @Test
    void readsTheConfigurationFromStandardInput() throws Exception {
        int port = RedisServerProcess.freePort();
        CompletableFuture<Object[]> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runWithStdin("port " + port + "\nhz 25\n", "--loglevel", "warning", "--dir", dir.toString(), "-");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitPing(port);
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            assertThat(new String(c.call("CONFIG", "GET", "hz"), StandardCharsets.US_ASCII)).contains("25");
            c.sendRaw("SHUTDOWN NOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.isClosedByServer(5000)).isTrue();
        }
        Object[] r = run.get(10, TimeUnit.SECONDS);
        assertThat(r[0]).isEqualTo(0);
        assertThat((String) r[1]).contains("Reading config from stdin");
    }

    @Test
    void startsFromAConfigFileRewritesItAndShutsDown() throws Exception {
        int port = RedisServerProcess.freePort();
        Path conf = dir.resolve("cachalot.conf");
        Files.writeString(conf, "# my config\nport " + port + "\nbind 127.0.0.1\nhz 20\nloglevel warning\n");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> Main.run(new String[] {conf.toString(), "--maxmemory", "10mb", "--dir", dir.toString()}));
        awaitPing(port);
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            assertThat(new String(c.call("CONFIG", "GET", "hz"), StandardCharsets.US_ASCII)).contains("20");
            assertThat(new String(c.call("CONFIG", "GET", "maxmemory"), StandardCharsets.US_ASCII)).contains("10485760");
            assertThat(new String(c.call("INFO", "server"), StandardCharsets.US_ASCII))
                    .contains("config_file:" + conf.toAbsolutePath());
            assertThat(new String(c.call("CONFIG", "SET", "hz", "30"), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
            assertThat(new String(c.call("CONFIG", "REWRITE"), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
            String rewritten = Files.readString(conf);
            assertThat(rewritten).startsWith("# my config\n").contains("hz 30\n").contains("maxmemory 10mb\n")
                    .doesNotContain("hz 20");
            c.sendRaw("SHUTDOWN NOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.isClosedByServer(5000)).isTrue();
        }
        assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    }

    static void awaitPing(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (RawClient c = new RawClient("127.0.0.1", port)) {
                c.call("PING");
                return;
            } catch (Exception e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("server did not start on port " + port);
    }
}
