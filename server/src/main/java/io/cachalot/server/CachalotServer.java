package io.cachalot.server;

import io.cachalot.core.Engine;
import io.cachalot.core.host.ServerHooks;
import io.cachalot.core.client.Session;
import io.cachalot.core.config.Settings;
import io.cachalot.server.config.ConfigRewriter;
import io.cachalot.server.net.Listener;
import io.cachalot.server.net.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The RESP server: an {@link Engine} served over TCP by Netty. Commands run on the event loop of
 * the connection that sent them. Start it with {@link #start()}, stop it with {@link #close()}.
 */
public final class CachalotServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CachalotServer.class);

    private final Settings settings;
    private final Engine engine;
    private final Path configFile;
    private final Transport transport = Transport.choose();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Listener listener;
    private volatile Runnable shutdownAction = this::close;
    private volatile boolean closed;
    /** False when the engine belongs to someone else (an application serving its caches). */
    private final boolean ownsEngine;
    private io.netty.util.concurrent.ScheduledFuture<?> timeoutSweep;

    /**
     * A server on a new engine with these settings. {@code configFile} (may be null) is reported
     * by INFO and rewritten by CONFIG REWRITE.
     */
    public CachalotServer(Settings settings, Path configFile) {
        this(new Engine(settings), configFile, true);
    }

    /**
     * A server on an existing engine (its settings give bind and port); closing the server leaves
     * the engine running.
     */
    public CachalotServer(Engine engine) {
        this(engine, null, false);
    }

    private CachalotServer(Engine engine, Path configFile, boolean ownsEngine) {
        this.settings = engine.settings();
        this.configFile = configFile == null ? null : configFile.toAbsolutePath();
        this.engine = engine;
        this.ownsEngine = ownsEngine;
        this.boss = transport.group(1, new DefaultThreadFactory("cachalot-accept", true));
        this.workers = transport.group(ioThreads(), new DefaultThreadFactory("cachalot-io", true));
        this.listener = new Listener(engine, transport, boss, workers);
        settings.port.onChange(p -> portChanged());
        settings.bind.onChange(p -> bindChanged());
        // last: the engine's threads call the hooks from now on
        engine.setHooks(new Hooks());
    }

    /**
     * Event-loop threads: half the CPUs by default, leaving the rest to the garbage collector, the
     * JIT and (on small machines) the clients; measured on 2 CPUs, one loop served GET at P16 20%
     * faster than two (docs/benchmarks.md).
     */
    private static int ioThreads() {
        String t = System.getProperty("cachalot.io-threads");
        return t != null ? Integer.parseInt(t) : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public Engine engine() {
        return engine;
    }

    public Settings settings() {
        return settings;
    }

    /** The TCP port listened on (the OS-assigned one after {@link #startOnEphemeralPort}). */
    public int port() {
        return listener.port();
    }

    /** Replaces what SHUTDOWN does (by default: {@link #close()}); the process launcher exits instead. */
    public void setShutdownAction(Runnable action) {
        this.shutdownAction = action;
    }

    /**
     * Loads the AOF (appendonly yes) or {@code dir}/{@code dbfilename} when it exists, before accepting clients (a server on
     * an engine it was given leaves that engine's data alone). A file that cannot be read stops
     * the start, as Redis exits on it.
     */
    private void loadData() throws IOException {
        if (!ownsEngine) {
            return;
        }
        try {
            engine.loadPersistedData();
        } catch (io.cachalot.core.persist.aof.AofFormatException e) {
            engine.persistence().prepareForShutdown(false, true, true);
            // Redis' own words for a broken AOF, then it exits
            org.slf4j.LoggerFactory.getLogger(CachalotServer.class).warn("{}", e.getMessage());
            throw new LoadFailure(e);
        } catch (io.cachalot.core.persist.rdb.RdbFormatException | IOException e) {
            // what was loaded is partial: closing must not save it over the file
            engine.persistence().prepareForShutdown(false, true, true);
            org.slf4j.LoggerFactory.getLogger(CachalotServer.class).warn(
                    "Fatal error loading the DB: {}. Exiting.", e.getMessage());
            throw new LoadFailure(e);
        }
    }

    /** The data file could not be loaded (logged already): the server must not start. */
    public static final class LoadFailure extends IOException {
        LoadFailure(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Binds the configured addresses and port. */
    public CachalotServer start() throws IOException {
        loadData();
        listener.bind(settings.bind.value(), (int) settings.port.value());
        writePidFile();
        timeoutSweep = boss.next().scheduleAtFixedRate(this::closeIdleClients, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** Binds the configured addresses on a port the OS chooses, then records it in the port setting. */
    public CachalotServer startOnEphemeralPort() throws IOException {
        loadData();
        listener.bind(settings.bind.value(), 0);
        try {
            listener.suspendRebinding(() -> settings.config.setAtStartup("port", Integer.toString(listener.port())));
        } catch (Exception e) {
            throw new IOException(e);
        }
        timeoutSweep = boss.next().scheduleAtFixedRate(this::closeIdleClients, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** CONFIG SET port: as Redis' updatePort, nothing to do for the same port. */
    private void portChanged() {
        if (listener.rebindingSuspended() || settings.port.value() == listener.port()) {
            return;
        }
        rebind("Unable to listen on this port");
    }

    /** CONFIG SET bind: as Redis' updateBindAddresses, nothing to do for the same addresses. */
    private void bindChanged() {
        if (listener.rebindingSuspended() || settings.bind.value().trim().equals(listener.addresses())) {
            return;
        }
        rebind("Failed to bind to specified addresses.");
    }

    private void rebind(String error) {
        try {
            listener.bind(settings.bind.value(), (int) settings.port.value());
        } catch (IOException e) {
            throw new IllegalStateException(error, e);
        }
    }

    /** The "timeout" setting: closes clients idle for longer, as Redis' clientsCron. */
    private void closeIdleClients() {
        long timeout = settings.timeout.value();
        if (timeout <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Session s : engine.clients().list()) {
            if (!s.isMonitor() && now - s.lastInteraction() > timeout * 1000) {
                LOG.debug("Closing idle client id={}", s.id());
                s.kill();
            }
        }
    }

    private void writePidFile() {
        String pid = settings.pidfile.value();
        if (!pid.isEmpty()) {
            try {
                Files.writeString(Path.of(pid), ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                LOG.warn("Failed to write PID file: {}", e.getMessage());
            }
        }
    }

    /** Stops accepting, closes every connection, stops the engine. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (timeoutSweep != null) {
            timeoutSweep.cancel(false);
        }
        listener.close();
        for (Session s : engine.clients().list()) {
            s.kill();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (ownsEngine) {
            engine.close();
        }
        String pid = settings.pidfile.value();
        if (!pid.isEmpty()) {
            try {
                Files.deleteIfExists(Path.of(pid));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** What the engine asks of this server. */
    private final class Hooks implements ServerHooks {
        @Override
        public int tcpPort() {
            return port();
        }

        @Override
        public String configFile() {
            return configFile == null ? "" : configFile.toString();
        }

        @Override
        public String executable() {
            return ProcessHandle.current().info().command().orElse("");
        }

        @Override
        public Map<String, String> serverInfo() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("multiplexing_api", transport.name());
            return m;
        }

        @Override
        public boolean shutdown() {
            LOG.warn("User requested shutdown...");
            Thread t = new Thread(shutdownAction, "cachalot-shutdown");
            t.start();
            return true;
        }

        @Override
        public void outOfMemory(String where, OutOfMemoryError error) {
            io.cachalot.server.log.Fatal.report(where, error);
        }

        @Override
        public String rewriteConfig() {
            if (configFile == null) {
                return "The server is running without a config file";
            }
            try {
                ConfigRewriter.rewrite(configFile, settings);
                LOG.info("CONFIG REWRITE executed with success.");
                return null;
            } catch (IOException e) {
                LOG.warn("CONFIG REWRITE failed: {}", e.toString());
                return "Rewriting config file: " + e.getMessage();
            }
        }
    }
}
