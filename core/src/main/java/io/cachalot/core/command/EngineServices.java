package io.cachalot.core.command;

import io.cachalot.core.client.ClientMemory;
import io.cachalot.core.client.ClientPause;
import io.cachalot.core.client.ClientRegistry;
import io.cachalot.core.client.Session;
import io.cachalot.core.config.Settings;
import io.cachalot.core.evict.Evictor;
import io.cachalot.core.host.ServerHooks;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.stats.LatencyMonitor;
import io.cachalot.core.stats.ServerStats;
import io.cachalot.core.stats.SlowLog;
import io.cachalot.core.util.WallClock;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the command layer (dispatcher, handlers, blocked clients) uses of the engine, declared
 * here so that the layer depends on this interface and not on {@code io.cachalot.core.Engine},
 * which implements it and assembles everything. Narrower services per family are the next step.
 */
public interface EngineServices {
    Settings settings();

    Keyspace keyspace();

    CommandTable commands();

    Dispatcher dispatcher();

    Blocker blocking();

    /** RDB snapshots: SAVE, BGSAVE, LASTSAVE, DEBUG RELOAD, INFO persistence. */
    io.cachalot.core.persist.Persistence persistence();

    /** The ordered effects of writes, for the AOF (and replicas). */
    io.cachalot.core.propagate.EffectLog effects();

    /** DEBUG LOADAOF: empties the keyspace and loads the AOF (with appendonly yes; else nothing to load). */
    void loadAof() throws Exception;

    Evictor evictor();

    /**
     * While a script has run longer than busy-reply-threshold: the -BUSY error other clients'
     * commands get (unless the command is allowed then); else null.
     */
    String busyScript();

    /** Pub/sub: subscriptions and delivery. */
    io.cachalot.core.pubsub.PubSub pubsub();

    /** Client-side caching (CLIENT TRACKING): who may cache which key, and invalidation. */
    io.cachalot.core.tracking.Tracking tracking();

    /** Keyspace notifications (notify-keyspace-events). */
    io.cachalot.core.pubsub.KeyspaceNotifier notifier();

    /** Lua scripting as INFO and DEBUG see it. */
    ScriptFacts scriptFacts();

    ServerStats stats();

    SlowLog slowLog();

    LatencyMonitor latency();

    ClientRegistry clients();

    ClientMemory clientMemory();

    ClientPause pause();

    /** What the process hosting the engine provides (INFO server facts, shutdown, ...). */
    ServerHooks hooks();

    /** The engine's timer thread (cron, timeouts). Tasks must be short. */
    ScheduledExecutorService scheduler();

    WallClock clock();

    long startMillis();

    String runId();

    /** Whether small integer values count as shared objects (OBJECT REFCOUNT), as Redis decides. */
    boolean sharedIntegers();

    /** DEBUG PAUSE-CRON: the periodic work (active expiry, persistence, tracking upkeep ...) stops while paused. */
    void setCronPaused(boolean paused);

    /** DEBUG SET-ACTIVE-EXPIRE. */
    void setActiveExpireEnabled(boolean enabled);

    /** MONITOR: the client starts receiving every command. */
    void addMonitor(Session s);

    /** The clients in MONITOR mode. */
    List<Session> monitors();
}
