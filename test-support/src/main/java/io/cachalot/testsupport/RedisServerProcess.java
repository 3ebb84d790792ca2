package io.cachalot.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server started on a free loopback port for a test, without persistence, and
 * stopped by {@link #close()}. When the binary is missing the test is skipped, except in CI
 * ({@code CI=true}), where a missing reference server fails the run.
 */
public final class RedisServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServerProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The redis-server binary: $REDIS_SERVER, else the first redis-server on the PATH, else null. */
    public static String findBinary() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && new File(env).canExecute()) {
            return env;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        for (String d : new String[] {"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
            File f = new File(d, "redis-server");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    /** Skips the test (or fails it in CI) when redis-server is not installed. */
    public static String requireBinary() {
        String bin = findBinary();
        if (bin == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("redis-server is required in CI (CI=true) but was not found; "
                        + "install it with: apt-get install -y redis-server");
            }
            Assumptions.assumeTrue(false, "redis-server not installed: reference tests skipped");
        }
        return bin;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts redis-server with the given extra arguments (e.g. "--requirepass", "x"). */
    public static RedisServerProcess start(String... extraArgs) {
        String bin = requireBinary();
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            try {
                Path dir = Files.createTempDirectory("redis-ref");
                List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                        "--dir", dir.toString(), "--enable-debug-command", "yes", "--logfile", ""));
                cmd.addAll(List.of(extraArgs));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile()).start();
                RedisServerProcess r = new RedisServerProcess(p, port, dir);
                if (r.awaitReady()) {
                    return r;
                }
                r.close();
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("could not start redis-server", last);
    }

    private boolean awaitReady() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (RawClient c = new RawClient("127.0.0.1", port)) {
                c.send("PING");
                // -LOADING while it loads its files (DEBUG is answered then, on a dataset not loaded yet);
                // anything else, -NOAUTH included, means it serves
                if (!new String(c.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("-LOADING")) {
                    return true;
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    /** The server's working directory (its --dir, unless the caller gave another). */
    public Path dir() {
        return dir;
    }

    /**
     * Kills the server at once (SIGKILL), as a crash would: no graceful shutdown (a cluster
     * master stopped by SIGTERM hands its slots to a replica itself, which is not a failure).
     */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory: best effort
        }
    }
}
