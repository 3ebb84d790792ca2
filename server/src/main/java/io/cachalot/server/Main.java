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
        jvmDefaults = JvmDefaults.apply();
        System.exit(run(args));
    }

    /** The collector settings {@link JvmDefaults} chose for this process (logged at start). */
    private static String jvmDefaults = "";

    /**
     * Installs a handler for a signal. A JVM will not handle SIGINT when it started with the signal
     * ignored (what a non-interactive shell does to a background job), and nothing in Java can undo
     * that: bin/cachalot-server resets it before starting the JVM, and otherwise the log says so.
     */
    @SuppressWarnings("restriction")
    private static void handleSignal(String name, Runnable action, org.slf4j.Logger log) {
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                log.warn("SIG{} was ignored when the JVM started (a background job of a script?): it will not stop "
                        + "Cachalot; use SIGTERM or SHUTDOWN, or start it with bin/cachalot-server", name);
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // -Xrs or a platform without the signal: the shutdown hook still closes the server
        }
    }

    /** What --help prints (to standard error, exit status 1, as redis-server). */
    static final String USAGE = String.join("\n",
            "Usage: cachalot-server [/path/to/cachalot.conf] [options] [-]",
            "       cachalot-server - (read config from stdin)",
            "       cachalot-server -v or --version",
            "       cachalot-server -h or --help",
            "",
            "The configuration is redis.conf's: a file, then standard input, then --name value options,",
            "the last value of a parameter winning. Redis 7.0 parameters that Cachalot does not apply are",
            "accepted and logged; those of features not built yet (appendonly yes, replicaof...) are refused.",
            "",
            "Examples:",
            "       cachalot-server (run the server with the default configuration)",
            "       echo 'maxmemory 128mb' | cachalot-server -",
            "       cachalot-server /etc/redis/redis.conf --daemonize no",
            "       cachalot-server --port 7777",
            "       cachalot-server --port 7777 --maxmemory 1gb --maxmemory-policy allkeys-lru",
            "       cachalot-server cachalot.conf --loglevel verbose -",
            "       cachalot-server cachalot.conf --loglevel verbose",
            "",
            "JVM options go in JAVA_OPTS with bin/cachalot-server (e.g. JAVA_OPTS=-Xmx4g).",
            "See docs/configuration.md for every parameter.",
            "");

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
            System.err.print(USAGE);
            return 1;
        }
        Path configFile = null;
        if (!list.isEmpty() && !list.get(0).startsWith("-")) {
            configFile = Path.of(list.remove(0));
        }
        // "-" as the first or the last argument: the configuration also comes from standard input
        boolean fromStdin = false;
        if (!list.isEmpty() && (list.get(0).equals("-") || list.get(list.size() - 1).equals("-"))) {
            list.remove(list.get(0).equals("-") ? 0 : list.size() - 1);
            fromStdin = true;
        }
        Settings settings = new Settings();
        // the server saves as redis-server does unless its configuration says otherwise
        settings.useServerDefaults();
        List<ConfigFile.NotApplied> notApplied;
        try {
            if (configFile != null && !Files.isReadable(configFile)) {
                System.err.println("Fatal error, can't open config file '" + configFile + "': "
                        + (Files.exists(configFile) ? "Permission denied" : "No such file or directory"));
                return 1;
            }
            String stdin = null;
            if (fromStdin) {
                System.err.println("Reading config from stdin");
                stdin = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            notApplied = ConfigFile.load(configFile, stdin, list, settings);
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
        log.info(configFile == null && !fromStdin ? "No config file specified, using the default config."
                : "Configuration loaded");
        for (ConfigFile.NotApplied n : notApplied) {
            if (n.atDefault()) {
                log.info(n.line());
            } else {
                log.warn(n.line());
            }
        }

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
        // SIGINT and SIGTERM stop the server as SHUTDOWN does, naming the signal as Redis does
        for (String signal : new String[] {"INT", "TERM"}) {
            handleSignal(signal, () -> {
                if (!server.isClosed()) {
                    log.warn("Received SIG{} scheduling shutdown...", signal);
                    log.warn("User requested shutdown...");
                    // shutdown-on-sig*: by default the data is saved first when save points are set; if
                    // that fails the server stays up, as Redis
                    String flags = " " + (signal.equals("INT") ? settings.shutdownOnSigint : settings.shutdownOnSigterm)
                            .value().toLowerCase(java.util.Locale.ROOT) + " ";
                    if (!server.engine().persistence().prepareForShutdown(flags.contains(" save "),
                            flags.contains(" nosave "), flags.contains(" force "))) {
                        log.warn("SIG{} received but errors trying to shut down the server, check the logs for "
                                + "more information", signal);
                        return;
                    }
                    stop.run();
                }
            }, log);
        }
        // Any other end of the JVM (SIGHUP, System.exit elsewhere) still closes the server first.
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
        } catch (CachalotServer.LoadFailure e) {
            server.close(); // logged by the server, as redis-server exits on a file it cannot read
            return 1;
        } catch (IOException e) {
            // logged once, as redis-server does (to the log file when there is one)
            log.warn(e.getMessage());
            if (!e.getMessage().startsWith("Failed listening")) {
                log.warn("Failed listening on port {} (TCP), aborting.", settings.port.value());
            }
            server.close();
            return 1;
        }
        if (!jvmDefaults.isEmpty()) {
            log.debug("JVM defaults (not given on the command line): {}", jvmDefaults);
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
