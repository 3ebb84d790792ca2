package io.cachalot.core;

import io.cachalot.core.client.ClientConnection;
import io.cachalot.core.client.ClientPause;
import io.cachalot.core.client.ClientRegistry;
import io.cachalot.core.client.Session;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandTable;
import io.cachalot.core.command.Dispatcher;
import io.cachalot.core.command.EngineServices;
import io.cachalot.core.command.Reply;
import io.cachalot.core.config.Settings;
import io.cachalot.core.expire.ActiveExpireCycle;
import io.cachalot.core.host.ServerHooks;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.stats.LatencyMonitor;
import io.cachalot.core.stats.ServerStats;
import io.cachalot.core.stats.SlowLog;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Cachalot engine: keyspace, command table, configuration, statistics and background cron.
 * Thread-safe; a command runs on the calling thread ({@link #execute}) and is atomic.
 *
 * <p>In-process use: create a client with {@link #newClient(ClientConnection)} passing null,
 * then run commands through {@link io.cachalot.core.api.EmbeddedClient}.
 */
public final class Engine implements AutoCloseable, EngineServices {
    /** The Redis version Cachalot is compatible with, reported to clients. */
    public static final String REDIS_VERSION = "7.0.15";

    private final Settings settings;
    private final Keyspace keyspace;
    private final CommandTable commands;
    private final Dispatcher dispatcher;
    private final ServerStats stats = new ServerStats();
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final ClientRegistry clients = new ClientRegistry();
    private final CopyOnWriteArrayList<Session> monitors = new CopyOnWriteArrayList<>();
    private final ClientPause pause = new ClientPause();
    private final ActiveExpireCycle expireCycle;
    private final io.cachalot.core.evict.Evictor evictor;
    private final io.cachalot.core.persist.Persistence persistence;
    private final io.cachalot.core.propagate.EffectLog effects = new io.cachalot.core.propagate.EffectLog();
    private final io.cachalot.core.blocking.BlockingRegistry blocking;
    private final io.cachalot.core.script.ScriptEngine scripts;
    private final io.cachalot.core.pubsub.PubSub pubsub = new io.cachalot.core.pubsub.PubSub();
    private final io.cachalot.core.pubsub.KeyspaceNotifier notifier;
    private final io.cachalot.core.tracking.Tracking tracking;
    private final ScheduledExecutorService cron;
    private ScheduledFuture<?> cronTask;
    private final long startMillis = System.currentTimeMillis();
    private final io.cachalot.core.util.WallClock clock = new io.cachalot.core.util.WallClock();
    private final String runId;
    private final io.cachalot.core.client.ClientMemory clientMemory = new io.cachalot.core.client.ClientMemory();
    private volatile ServerHooks hooks = ServerHooks.EMBEDDED;
    private volatile boolean activeExpireEnabled = true;
    private volatile boolean cronPaused;
    private volatile boolean closed;

    /**
     * The command families, found once per class loader that loaded the engine (families keep no
     * state: registering them again for each engine is safe).
     */
    private static final List<CommandFamily> FAMILIES = loadFamilies();

    private static List<CommandFamily> loadFamilies() {
        List<CommandFamily> out = new ArrayList<>();
        for (CommandFamily f : ServiceLoader.load(CommandFamily.class, CommandFamily.class.getClassLoader())) {
            out.add(f);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no command families found (META-INF/services/"
                    + CommandFamily.class.getName() + " missing from the classpath)");
        }
        return List.copyOf(out);
    }

    public Engine() {
        this(new Settings());
    }

    /** An engine with the given settings (start-up values already applied). */
    public Engine(Settings settings) {
        this.settings = settings;
        this.keyspace = new Keyspace((int) settings.databases.value());
        keyspace.setLfu(settings.lfuPolicy());
        keyspace.setLfuParameters(settings.lfuLogFactor.intValue(), settings.lfuDecayTime.intValue());
        CommandCatalog catalog = new CommandCatalog();
        for (CommandFamily family : FAMILIES) {
            family.register(catalog);
        }
        this.scripts = new io.cachalot.core.script.ScriptEngine(this, () -> newClient(null), errorObserver());
        new io.cachalot.core.script.ScriptCommands(scripts).register(catalog);
        new io.cachalot.core.script.FunctionCommands(scripts).register(catalog);
        this.commands = catalog.build();
        this.dispatcher = new Dispatcher(this);
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        this.expireCycle = new ActiveExpireCycle(keyspace, settings);
        this.blocking = new io.cachalot.core.blocking.BlockingRegistry(this);
        keyspace.changes().subscribe(blocking.changeListener());
        keyspace.changes().subscribe(effects);
        this.notifier = new io.cachalot.core.pubsub.KeyspaceNotifier(settings.notifyKeyspaceEvents, pubsub);
        keyspace.changes().subscribe(notifier);
        this.tracking = new io.cachalot.core.tracking.Tracking(clients, pubsub, settings.trackingTableMaxKeys);
        keyspace.changes().subscribe(tracking);
        this.cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachalot-cron");
            t.setDaemon(true);
            return t;
        });
        this.evictor = new io.cachalot.core.evict.Evictor(keyspace, settings, cron, clientMemory::total);
        this.persistence = new io.cachalot.core.persist.Persistence(keyspace, settings, () -> evictor.usedMemory(),
                effects);
        persistence.setFunctions(scripts.functionStore());
        updateSharedIntegers();
        start();
    }

    /**
     * Hands the engine to other threads (setting listeners, the cron, the evictor's heap guard):
     * the constructor's last step, so that none of them can see a field not yet assigned.
     */
    private void start() {
        settings.maxmemoryPolicy.onChange(p -> keyspace.setLfu(settings.lfuPolicy()));
        settings.lfuLogFactor.onChange(p -> keyspace.setLfuParameters(settings.lfuLogFactor.intValue(),
                settings.lfuDecayTime.intValue()));
        settings.lfuDecayTime.onChange(p -> keyspace.setLfuParameters(settings.lfuLogFactor.intValue(),
                settings.lfuDecayTime.intValue()));
        settings.slowlogMaxLen.onChange(p -> slowLog.trim(settings.slowlogMaxLen.value()));
        // CONFIG SET appendonly: on starts a rewrite whose snapshot is where logging begins (as Redis)
        settings.appendonly.onChange(p -> {
            if (settings.appendonly.value()) {
                persistence.aof().enable();
            } else {
                persistence.aof().disable();
            }
        });
        settings.maxmemory.onChange(p -> updateSharedIntegers());
        settings.maxmemoryPolicy.onChange(p -> updateSharedIntegers());
        settings.hz.onChange(p -> scheduleCron());
        pause.attach(cron, keyspace);
        evictor.start();
        scheduleCron();
    }

    private volatile boolean sharedIntegers;

    private void updateSharedIntegers() {
        sharedIntegers = io.cachalot.core.types.string.StringEncoding.sharingAllowed(settings.maxmemory.value(),
                settings.maxmemoryPolicy.value());
    }

    @Override
    public boolean sharedIntegers() {
        return sharedIntegers;
    }

    private synchronized void scheduleCron() {
        if (closed) {
            return;
        }
        if (cronTask != null) {
            cronTask.cancel(false);
        }
        long periodMicros = 1_000_000L / Math.max(1, settings.hz.value());
        cronTask = cron.scheduleAtFixedRate(this::cronTick, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** The periodic work of Redis' serverCron that the engine owns. */
    private void cronTick() {
        if (cronPaused) {
            return;
        }
        try {
            long now = System.currentTimeMillis();
            clock.sync();
            keyspace.tickClock(now);
            stats.sample(now);
            stats.notePeakMemory(evictor.usedMemory());
            pause.expire(now);
            if (activeExpireEnabled && !keyspace.expiryPaused()) {
                expireCycle.run(now, settings.hz.value());
            }
            persistence.cron(now);
            // client-side caching: keys changed outside commands (expiry above, embedded writes)
            // reach BCAST clients, and the table keeps within tracking-table-max-keys
            tracking.limitUsedSlots();
            tracking.broadcast();
        } catch (OutOfMemoryError e) {
            hooks.outOfMemory("the engine's cron", e);
        } catch (RuntimeException | Error e) {
            org.slf4j.LoggerFactory.getLogger(Engine.class).warn("cron failed", e);
        }
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Keyspace keyspace() {
        return keyspace;
    }

    @Override
    public CommandTable commands() {
        return commands;
    }

    @Override
    public ServerStats stats() {
        return stats;
    }

    @Override
    public SlowLog slowLog() {
        return slowLog;
    }

    @Override
    public LatencyMonitor latency() {
        return latency;
    }

    @Override
    public ClientRegistry clients() {
        return clients;
    }

    /** What client connections hold in buffers (counted in used memory). */
    @Override
    public io.cachalot.core.client.ClientMemory clientMemory() {
        return clientMemory;
    }

    @Override
    public ClientPause pause() {
        return pause;
    }

    /**
     * Loads what persistence holds, before the engine serves anyone: the AOF with appendonly yes
     * (which is then opened for appending, created from the data if absent), else the RDB file.
     * Returns whether anything was loaded.
     */
    public boolean loadPersistedData() throws java.io.IOException, io.cachalot.core.persist.rdb.RdbFormatException,
            io.cachalot.core.persist.aof.AofFormatException {
        CommandContext ctx = newClient(null);
        try {
            return persistence.loadAtStart(new io.cachalot.core.command.ReplayClient(dispatcher, ctx));
        } finally {
            closeClient(ctx);
        }
    }

    /**
     * An embedded engine is durable when it has save points or appendonly yes: it loads its data
     * when it starts ({@link #loadPersistedData}). Returns whether anything was loaded.
     */
    public boolean loadIfDurable() throws java.io.IOException, io.cachalot.core.persist.rdb.RdbFormatException,
            io.cachalot.core.persist.aof.AofFormatException {
        if (!persistence.hasSavePoints() && !settings.appendonly.value()) {
            return false;
        }
        return loadPersistedData();
    }

    @Override
    public void loadAof() throws Exception {
        if (!persistence.aof().enabled()) {
            throw new IllegalStateException("appendonly is off");
        }
        CommandContext ctx = newClient(null);
        try {
            persistence.reloadAof(new io.cachalot.core.command.ReplayClient(dispatcher, ctx));
        } finally {
            closeClient(ctx);
        }
    }

    @Override
    public io.cachalot.core.propagate.EffectLog effects() {
        return effects;
    }

    @Override
    public io.cachalot.core.persist.Persistence persistence() {
        return persistence;
    }

    /** maxmemory enforcement. */
    @Override
    public io.cachalot.core.evict.Evictor evictor() {
        return evictor;
    }

    @Override
    public String busyScript() {
        return scripts.busyError();
    }

    @Override
    public io.cachalot.core.pubsub.PubSub pubsub() {
        return pubsub;
    }

    @Override
    public io.cachalot.core.tracking.Tracking tracking() {
        return tracking;
    }

    @Override
    public io.cachalot.core.pubsub.KeyspaceNotifier notifier() {
        return notifier;
    }

    @Override
    public io.cachalot.core.command.ScriptFacts scriptFacts() {
        return scripts;
    }

    /** Lua scripting: the script cache, the Lua states, busy scripts. */
    public io.cachalot.core.script.ScriptEngine scripts() {
        return scripts;
    }

    public ActiveExpireCycle expireCycle() {
        return expireCycle;
    }

    /** Clients blocked on keys. */
    @Override
    public io.cachalot.core.blocking.BlockingRegistry blocking() {
        return blocking;
    }

    /** The engine's timer thread (cron, timeouts). Tasks must be short. */
    @Override
    public ScheduledExecutorService scheduler() {
        return cron;
    }

    @Override
    public long startMillis() {
        return startMillis;
    }

    @Override
    public String runId() {
        return runId;
    }

    /** The command clock: wall milliseconds from a nanoTime reading. */
    @Override
    public io.cachalot.core.util.WallClock clock() {
        return clock;
    }

    @Override
    public ServerHooks hooks() {
        return hooks;
    }

    public void setHooks(ServerHooks hooks) {
        this.hooks = hooks;
    }

    public boolean activeExpireEnabled() {
        return activeExpireEnabled;
    }

    /** DEBUG PAUSE-CRON. */
    @Override
    public void setCronPaused(boolean paused) {
        this.cronPaused = paused;
    }

    /** DEBUG SET-ACTIVE-EXPIRE. */
    @Override
    public void setActiveExpireEnabled(boolean enabled) {
        this.activeExpireEnabled = enabled;
    }

    // ------------------------------------------------------------------ sessions

    /**
     * A new client: its session and the context its commands run in ({@link CommandContext#session()}).
     * With a connection it is registered for CLIENT LIST and counts as a connected client; with
     * null it is an in-process client.
     */
    public CommandContext newClient(ClientConnection connection) {
        CommandContext ctx = new CommandContext(this);
        boolean authenticated = settings.requirepass.value().isEmpty();
        Session s = new Session(clients.nextId(), connection, authenticated);
        ctx.bind(s);
        if (connection != null) {
            clients.add(s);
            stats.totalConnectionsReceived.increment();
        }
        return ctx;
    }

    /**
     * A new in-process subscriber: messages published by any client of this engine (and keyspace
     * notifications) to what it subscribes go to {@code listener}, run by {@code executor} (null:
     * the engine's own daemon threads, made as needed and shared by all subscriptions).
     */
    public io.cachalot.core.pubsub.Subscription subscriber(io.cachalot.core.pubsub.MessageListener listener,
                                                           java.util.concurrent.Executor executor) {
        java.util.Objects.requireNonNull(listener, "listener");
        CommandContext ctx = newClient(null);
        io.cachalot.core.pubsub.Subscription sub = new io.cachalot.core.pubsub.Subscription(pubsub, ctx.session(),
                listener, executor != null ? executor : subscriberThreads(), settings.clientOutputBufferLimit,
                stats.clientOutputBufferLimitDisconnections, () -> closeClient(ctx));
        pubsub.attach(ctx.session(), sub);
        return sub;
    }

    private java.util.concurrent.ExecutorService subscriberThreads;

    private synchronized java.util.concurrent.ExecutorService subscriberThreads() {
        if (closed) {
            throw new IllegalStateException("engine closed");
        }
        if (subscriberThreads == null) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            // threads only while listeners have messages to take: a cached pool lets them go when idle
            subscriberThreads = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "cachalot-subscriber-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return subscriberThreads;
    }

    /** Forgets a client whose connection closed. */
    public void closeClient(CommandContext ctx) {
        Session s = ctx.session();
        blocking.cancel(s);
        scripts.forget(s);
        pubsub.forget(s);
        tracking.disable(s);
        ctx.transaction().unwatchAll(keyspace);
        clients.remove(s);
        if (s.isMonitor()) {
            monitors.remove(s);
        }
    }

    @Override
    public void addMonitor(Session s) {
        s.setMonitor(true);
        monitors.addIfAbsent(s);
    }

    @Override
    public CopyOnWriteArrayList<Session> monitors() {
        return monitors;
    }

    // ------------------------------------------------------------------ commands

    /**
     * Runs one command: {@code argv[0..argc)} of the context's session, replying into
     * {@code reply}. Never throws for bad input: errors become error replies. Returns
     * {@link Dispatcher#DONE}, {@link Dispatcher#PAUSED} (not run: CLIENT PAUSE holds a network
     * client's command back) or {@link Dispatcher#BLOCKED} (the client waits on keys; it is resumed
     * through its session's block handler).
     */
    public int execute(CommandContext ctx, byte[][] argv, int argc, Reply reply) {
        return dispatcher.execute(ctx, argv, argc, reply);
    }

    @Override
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Observer that counts error replies in INFO errorstats; attach it to every reply sink. */
    public Reply.ErrorObserver errorObserver() {
        return stats::recordError;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // with save points, what changed since the last save is saved first (a server has saved
        // already when it shut down on SHUTDOWN or a signal, and then nothing is left to save)
        persistence.saveOnClose();
        synchronized (this) {
            if (cronTask != null) {
                cronTask.cancel(false);
            }
        }
        cron.shutdownNow();
        pubsub.endInProcess("engine closed");
        synchronized (this) {
            if (subscriberThreads != null) {
                subscriberThreads.shutdown(); // after the listeners were told
            }
        }
        evictor.close();
        scripts.close();
    }

    /**
     * A parked client's command ended: writes its reply (a script's, run on the script thread, or
     * a blocking command's) into the client's sink, on the client's thread.
     */
    public void finishParked(Session s, io.cachalot.core.command.Reply out) {
        if (!scripts.finishParked(s, out)) {
            blocking.finish(s, out);
        }
        // invalidations the command caused for this client follow its reply
        tracking.sendHeld(s);
    }
}
