package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Cachalot server in a child JVM of its own (the launcher, Main), for tests that need a small
 * heap, JVM options, a log file to read, or a process that may exit. Listens on a free port;
 * closing it stops the process.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final Path stdout;

    private ServerProcess(Process process, int port, Path log, Path stdout) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.stdout = stdout;
    }

    /** Starts a server with JVM options ({@code -Xmx128m} ...) and server options ({@code --hz 100} ...). */
    static ServerProcess start(Path dir, List<String> jvmOptions, String... serverOptions) throws Exception {
        return start(dir, 0, jvmOptions, serverOptions);
    }

    /**
     * {@link #start(Path, List, String...)} with the size of the files it may write limited to
     * {@code fileSizeKb} (ulimit -f; 0: no limit): a disk that fills up.
     */
    static ServerProcess start(Path dir, long fileSizeKb, List<String> jvmOptions, String... serverOptions)
            throws Exception {
        int port = RedisServerProcess.freePort();
        Path log = dir.resolve("cachalot-" + port + ".log");
        Path stdout = dir.resolve("stdout-" + port + ".txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.cachalot.server.Main");
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        cmd.add("--logfile");
        cmd.add(log.toString());
        // its RDB file (saved at shutdown with the default save points) stays in the test's directory
        cmd.add("--dir");
        cmd.add(dir.toString());
        cmd.addAll(List.of(serverOptions));
        if (fileSizeKb > 0) {
            StringBuilder sh = new StringBuilder("ulimit -f " + fileSizeKb + "; exec");
            for (String a : cmd) {
                sh.append(" '").append(a.replace("'", "'\\''")).append('\'');
            }
            cmd = new ArrayList<>(List.of("bash", "-c", sh.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        ServerProcess s = new ServerProcess(p, port, log, stdout);
        try {
            LauncherTest.awaitPing(port);
        } catch (AssertionError e) {
            s.close();
            throw new AssertionError(e.getMessage() + "\n" + s.output(), e);
        }
        return s;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    RawClient client() throws IOException {
        return new RawClient("127.0.0.1", port);
    }

    /** The log file and standard output so far. */
    String output() {
        try {
            String l = Files.exists(log) ? Files.readString(log) : "";
            String o = Files.exists(stdout) ? Files.readString(stdout) : "";
            return l + o;
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    /** Waits until the output contains {@code text}; false after {@code millis}. */
    boolean awaitOutput(String text, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (output().contains(text)) {
                return true;
            }
            Thread.sleep(20);
        }
        return output().contains(text);
    }

    /** A numeric INFO field, read on a connection of its own. */
    long info(String field) throws IOException {
        try (RawClient c = client()) {
            String text = new String(c.call("INFO", "everything"), StandardCharsets.ISO_8859_1);
            for (String line : text.split("\r\n")) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim());
                }
            }
        }
        throw new AssertionError("no INFO field " + field);
    }

    /** Waits until a numeric INFO field satisfies {@code test}; returns its last value. */
    long awaitInfo(String field, java.util.function.LongPredicate test, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        long v = info(field);
        while (!test.test(v) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            v = info(field);
        }
        return v;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end; its exit status, or -1 when it still runs after {@code millis}. */
    int awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Sends SIGTERM and returns the exit status, or -1 when the process still runs after {@code millis}. */
    int terminate(long millis) throws InterruptedException {
        process.destroy();
        return awaitExit(millis);
    }

    /** Sends a signal by name ("INT", "TERM") with kill(1); the exit status, or -1 if still running after {@code millis}. */
    int signal(String name, long millis) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
        return awaitExit(millis);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
