package io.cachalot.core.command;

import io.cachalot.core.client.Session;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Keyspace;
import io.cachalot.core.keyspace.LockSet;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

/**
 * Everything a command needs while it runs: the engine, the client's session, the arguments, the
 * reply sink and the command's time. One per session, reused for every command.
 */
public final class CommandContext {
    private final EngineServices engine;
    private Session session;
    public byte[][] argv;
    public int argc;
    public Reply reply;
    /** The command's time in Unix milliseconds, fixed for its whole run (expiry checks use it). */
    public long now;
    CommandSpec spec;
    /** Bit i set: argument i is shown as "(redacted)" in MONITOR and SLOWLOG. */
    long redacted;
    private final LockSet locks = new LockSet();
    private final KeyLock keyLock = new KeyLock(this);
    private final KeyPair keyPair = new KeyPair(this);
    /** Set while a blocked client's command is run again on its behalf (it must not block again). */
    boolean retry;
    /** Set when this command blocked its client (the dispatcher answers BLOCKED). */
    boolean blocked;
    /** The client's MULTI queue and WATCHed keys. */
    private final TransactionState transaction = new TransactionState();
    /** Changes counted by this command (Redis' server.dirty increments): gates WATCH touches. */
    long dirtyCount;
    /** Set while EXEC runs the queued commands: blocking commands must not block. */
    boolean inExec;
    /** The last effect-log slot of this network client's commands whose replies have not left yet. */
    Object pendingEffects;
    /** The AOF's replay client: no maxmemory, MISCONF or pause refusals. */
    boolean loading;
    /** The effects the handler gave instead of its arguments ({@link #propagate}); reset per command. */
    byte[][][] propagated = new byte[2][][];
    int propagatedCount;
    /** Set by {@link #propagateOnlyEffects}: counted changes do not propagate the command's own arguments. */
    boolean onlyEffects;
    /** Whether this command started over maxmemory with nothing left to evict (scripts refuse denyoom writes then). */
    boolean overMaxmemory;
    /** Cleared by a script's redis.set_repl(REPL_NONE): its commands' effects are not logged. */
    private boolean propagation = true;

    /** Writes a pub/sub message meant for this client itself into its reply stream, where Redis puts it. */
    private final io.cachalot.core.pubsub.PubSub.SelfDelivery self = (kind, pattern, channel, message) -> {
        Reply r = reply;
        r.push(pattern == null ? 3 : 4);
        r.bulk(kind);
        if (pattern != null) {
            r.bulk(pattern);
        }
        r.bulk(channel);
        r.bulk(message);
    };

    public CommandContext(EngineServices engine) {
        this.engine = engine;
    }

    /** How a message published by this command reaches this client itself (a RESP3 subscriber). */
    public io.cachalot.core.pubsub.PubSub.SelfDelivery selfDelivery() {
        return self;
    }

    /** Publishes keyspace event {@code ev} on {@code key} of the current database (when enabled). */
    public void notify(io.cachalot.core.pubsub.KeyEvent ev, byte[] key) {
        engine.notifier().notify(ev, key, session.db(), session, self);
    }

    /** {@link #notify(io.cachalot.core.pubsub.KeyEvent, byte[])} in database {@code db}. */
    public void notify(io.cachalot.core.pubsub.KeyEvent ev, byte[] key, int db) {
        engine.notifier().notify(ev, key, db, session, self);
    }

    /** Counts {@code n} changes to the dataset (INFO rdb_changes_since_last_save, WATCH). */
    public void dirty(long n) {
        if (n != 0) {
            engine.keyspace().dirty().add(n);
            dirtyCount += n;
        }
    }

    /** True while EXEC runs this client's queued commands (blocking forms reply at once). */
    /**
     * Records what this command did, in place of its own arguments, for the AOF and replicas (Redis'
     * rewriteClientCommandVector / alsoPropagate): e.g. SET … PXAT for SET … EX, PEXPIREAT for
     * EXPIRE, SREM for SPOP. Called several times, the effects follow each other. A command that
     * counted changes and gave none propagates its arguments as they are.
     */
    /** Whether anyone consumes effects (the AOF is on): {@link #propagate} is worth building arguments for. */
    public boolean propagating() {
        return propagation && engine.effects().active();
    }

    /** Whether this client's changes reach the effect log (a script's client under redis.set_repl). */
    public void setPropagation(boolean on) {
        propagation = on;
    }

    boolean propagation() {
        return propagation;
    }

    private boolean scriptClient;

    /** This is a script's own client (Redis' CLIENT_SCRIPT): e.g. SORT orders sets for it. */
    public void markScriptClient() {
        scriptClient = true;
    }

    /** Whether this is the AOF's replay client (Redis' mustObeyClient): commands were made exact before they were logged. */
    public boolean isReplaying() {
        return loading;
    }

    public boolean isScriptClient() {
        return scriptClient;
    }

    /** Whether the command started over maxmemory with nothing left to evict (Redis' pre_command_oom_state). */
    public boolean overMaxmemory() {
        return overMaxmemory;
    }

    /**
     * This command's changes travel only as the effects it gave ({@link #propagate}), never as its
     * own arguments (Redis' preventCommandPropagation: XREADGROUP, XCLAIM, XAUTOCLAIM).
     */
    public void propagateOnlyEffects() {
        onlyEffects = true;
    }

    public void propagate(byte[]... argv) {
        if (propagatedCount == propagated.length) {
            propagated = java.util.Arrays.copyOf(propagated, propagatedCount << 1);
        }
        propagated[propagatedCount++] = argv;
    }

    /**
     * Before this network client's replies leave: returns once what its commands logged reached
     * the AOF (written; synced under appendfsync always), as Redis writes the AOF before replying.
     */
    public void awaitEffects() {
        Object p = pendingEffects;
        if (p != null) {
            pendingEffects = null;
            engine.effects().await(p);
        }
    }

    /**
     * {@link #awaitEffects} in two halves: returns once this client's logged effects were written,
     * with the position to make durable ({@link io.cachalot.core.propagate.EffectLog#makeDurable}),
     * or -1 when nothing is pending.
     */
    public long awaitEffectsWritten() {
        Object p = pendingEffects;
        if (p == null) {
            return -1;
        }
        pendingEffects = null;
        return engine.effects().awaitWritten(p);
    }

    /**
     * Whether this command runs inside EXEC: a snapshot taken now would hold part of the
     * transaction, so BGSAVE and BGREWRITEAOF are scheduled instead, as Redis does.
     */
    public boolean inTransaction() {
        return inExec;
    }

    public boolean denyBlocking() {
        return inExec;
    }

    public void bind(Session session) {
        this.session = session;
        session.setTransaction(transaction);
    }

    /** The client's MULTI queue and WATCHed keys. */
    public TransactionState transaction() {
        return transaction;
    }

    public EngineServices engine() {
        return engine;
    }

    public Session session() {
        return session;
    }

    public CommandSpec spec() {
        return spec;
    }

    public Keyspace keyspace() {
        return engine.keyspace();
    }

    /** The engine's settings (encoding thresholds, limits): what a data command reads of the configuration. */
    public io.cachalot.core.config.Settings settings() {
        return engine.settings();
    }

    /** Where a blocking command parks its client. */
    public Blocker blocking() {
        return engine.blocking();
    }

    /** Whether small integer values count as shared objects (OBJECT REFCOUNT), as Redis decides. */
    public boolean sharedIntegers() {
        return engine.sharedIntegers();
    }

    /** The client's selected database. */
    public Database db() {
        return engine.keyspace().db(session.db());
    }

    /**
     * Locks the segment of argument {@code i}'s key in the client's database and returns it for a
     * try-with-resources block (the single-key handler's skeleton, see {@link KeyLock}).
     */
    public KeyLock lockKey(int i) {
        return keyLock.open(argv[i]);
    }

    /** Locks the segments of arguments {@code i} and {@code j}'s keys, in the global order (see {@link KeyPair}). */
    public KeyPair lockKeys(int i, int j) {
        return keyPair.open(argv[i], argv[j]);
    }

    /** {@link #lockKey(int)} of a key that is not an argument as such. */
    public KeyLock lockKey(byte[] key) {
        return keyLock.open(key);
    }

    /** A reusable lock set for multi-key commands (empty when a command starts). */
    public LockSet locks() {
        return locks;
    }

    public byte[] arg(int i) {
        return argv[i];
    }

    /** True when argument {@code i} equals the lower-case word, ignoring case. */
    public boolean argIs(int i, String lowerWord) {
        return Bytes.equalsIgnoreCase(argv[i], lowerWord);
    }

    /** Argument {@code i} as a canonical integer, else "value is not an integer or out of range". */
    public long longArg(int i) {
        byte[] b = argv[i];
        if (!Numbers.isLong(b)) {
            throw Errors.E_NOT_INTEGER;
        }
        return Numbers.parseLong(b);
    }

    /**
     * Argument {@code i} as a non-negative integer; anything else (not an integer included) fails
     * with {@code error}, as Redis' getPositiveLongFromObjectOrReply with a message.
     */
    public long nonNegativeArg(int i, String error) {
        byte[] b = argv[i];
        if (!Numbers.isLong(b) || Numbers.parseLong(b) < 0) {
            throw new CommandError(error);
        }
        return Numbers.parseLong(b);
    }

    /** Argument {@code i} as an int (Redis' getIntFromObjectOrReply). */
    public int intArg(int i) {
        long v = longArg(i);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw INT_RANGE;
        }
        return (int) v;
    }

    private static final CommandError INT_RANGE =
            new CommandError("ERR value is out of range, value must between -2147483648 and 2147483647");

    /** True when the command runs again for a client that was blocked: it replies if it can, or does nothing. */
    public boolean isRetry() {
        return retry;
    }

    /** Called by the blocking registry when this command blocked its client. */
    public void markBlocked() {
        this.blocked = true;
    }

    /** Hides argument {@code i} from MONITOR and SLOWLOG (passwords). */
    public void redact(int i) {
        if (i < 64) {
            redacted |= 1L << i;
        }
    }

    public boolean isRedacted(int i) {
        return i < 64 && (redacted & (1L << i)) != 0;
    }
}
