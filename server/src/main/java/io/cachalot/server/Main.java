package io.cachalot.server;

import io.cachalot.core.Engine;
import io.cachalot.core.config.Settings;
import io.cachalot.server.config.ConfigFile;
import io.cachalot.server.log.RedisStyleLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server launcher, used like redis-server:
 * {@code java -jar cachalot-server.jar [cachalot.conf] [--port 7000 --bind 127.0.0.1 ...]}.
 */
public final class Main {
    private Main() {
    }

    /**
     * Netty's defaults for a production server: no sampled leak tracking (buffers would be
     * wrapped) and no reference-count check on every buffer access. Measured on GET at P=16 these
     * checks took a quarter of the server's Java CPU samples. Set on the command line to override.
     */
    private static final String[][] NETTY_DEFAULTS = {
        {"io.netty.leakDetection.level", "disabled"},
        {"io.netty.buffer.checkAccessible", "false"},
        {"io.netty.buffer.checkBounds", "false"},
    };

    public static void main(String[] args) {
        for (String[] p : NETTY_DEFAULTS) {
            if (System.getProperty(p[0]) == null) {
                System.setProperty(p[0], p[1]);
            }
        }
        System.setProperty("slf4j.internal.verbosity", "WARN");
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "io.cachalot.server.log.RedisStyleLogProvider");
        }
        System.exit(run(args));
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Starts the server and waits for it to stop; returns the exit status (non-zero on a start failure). */
    static int run(String[] args) {
        List<String> list = new ArrayList<>(Arrays.asList(args));
        if (!list.isEmpty() && (list.get(0).equals("-v") || list.get(0).equals("--version"))) {
            System.out.println("Cachalot server v=" + version() + " (Redis " + Engine.REDIS_VERSION + " compatible)");
            return 0;
        }
        if (!list.isEmpty() && (list.get(0).equals("-h") || list.get(0).equals("--help"))) {
            System.out.println("Usage: cachalot-server [/path/to/cachalot.conf] [--name value ...]\n"
                    + "       cachalot-server --port 7777\n"
                    + "       cachalot-server /etc/cachalot/7777.conf --loglevel verbose");
            return 0;
        }
        Path configFile = null;
        if (!list.isEmpty() && !list.get(0).startsWith("--")) {
            configFile = Path.of(list.remove(0));
        }
        Settings settings = new Settings();
        try {
            if (configFile != null) {
                if (!Files.isReadable(configFile)) {
                    System.err.println("Fatal error, can't open config file '" + configFile + "'");
                    return 1;
                }
                ConfigFile.load(configFile, settings);
            }
            ConfigFile.apply(ConfigFile.optionsToText(list), "command line", settings);
        } catch (ConfigFile.ConfigError e) {
            System.err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("Fatal error reading the configuration: " + e.getMessage());
            return 1;
        }
        try {
            RedisStyleLog.setFile(settings.logfile.value());
        } catch (IOException e) {
            System.err.println("Can't open the log file: " + e.getMessage());
            return 1;
        }
        RedisStyleLog.setLevel(settings.loglevel.value());
        settings.loglevel.onChange(p -> RedisStyleLog.setLevel(settings.loglevel.value()));
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
        log.info("oO0OoO0OoO0Oo Cachalot is starting oO0OoO0OoO0Oo");
        log.info("Cachalot version={}, Redis compatibility={}, bits=64, pid={}, just started", version(),
                Engine.REDIS_VERSION, ProcessHandle.current().pid());
        log.info(configFile == null ? "No config file specified, using the default config."
                : "Configuration loaded");

        // An OutOfMemoryError of the heap that nothing could handle stops the process (exit 1),
        // so that a supervisor restarts it instead of a JVM that accepts nothing.
        io.cachalot.server.log.Fatal.haltOnFatal();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (io.cachalot.server.log.Fatal.isFatal(e)) {
                io.cachalot.server.log.Fatal.report("thread " + t.getName(), e);
            } else {
                log.warn("Uncaught exception in thread {}", t.getName(), e);
            }
        });
        CachalotServer server = new CachalotServer(settings, configFile);
        Object done = new Object();
        Runnable stop = () -> {
            server.close();
            synchronized (done) {
                done.notifyAll();
            }
        };
        server.setShutdownAction(stop);
        Thread hook = new Thread(() -> {
            if (!server.isClosed()) {
                log.warn("Received shutdown signal, scheduling shutdown...");
                server.close();
                log.warn("Cachalot is now ready to exit, bye bye...");
                // A requested shutdown is a normal exit, as for redis-server (not 128+signal).
                Runtime.getRuntime().halt(0);
            }
        }, "cachalot-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.start();
        } catch (IOException e) {
            log.warn(e.getMessage());
            System.err.println(e.getMessage());
            server.close();
            return 1;
        }
        log.info("Running mode=standalone, port={}.", server.port());
        log.info("Server initialized");
        log.info("Ready to accept connections tcp");
        synchronized (done) {
            while (!server.isClosed()) {
                try {
                    done.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.warn("Cachalot is now ready to exit, bye bye...");
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        return 0;
    }
}
