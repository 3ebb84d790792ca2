package io.cachalot.core.client;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandSpec;

/**
 * The state of one client of the engine: selected database, protocol, name, authentication and
 * client flags. A network connection has one; an in-process caller can create its own. Not
 * thread-safe: a session is used by one thread at a time (its connection's event loop).
 */
public final class Session {
    /** CLIENT REPLY modes. */
    public static final int REPLY_ON = 0;
    public static final int REPLY_OFF = 1;
    public static final int REPLY_SKIP_NEXT = 2;
    public static final int REPLY_SKIP = 3;

    private final long id;
    private final ClientConnection connection;
    private final long createdAt;
    private final CommandContext context;
    int db;
    int protocol = 2;
    byte[] name;
    boolean authenticated;
    boolean noTouch;
    boolean noEvict;
    boolean monitor;
    int replyMode = REPLY_ON;
    String libName = "";
    String libVersion = "";
    /** Written by the session's own thread on every command; read racily by CLIENT LIST (diagnostics only). */
    long lastInteraction;
    CommandSpec lastCommand;
    volatile boolean killed;
    private volatile io.cachalot.core.blocking.Waiter waiter;
    private BlockHandler blockHandler;
    private final TransactionState transaction = new TransactionState();

    public Session(long id, ClientConnection connection, CommandContext context, boolean authenticated) {
        this.id = id;
        this.connection = connection;
        this.createdAt = System.currentTimeMillis();
        this.lastInteraction = createdAt;
        this.context = context;
        this.authenticated = authenticated;
    }

    /** MULTI queue and WATCHed keys. */
    public TransactionState transaction() {
        return transaction;
    }

    public long id() {
        return id;
    }

    /** The network connection, or null for an in-process session. */
    public ClientConnection connection() {
        return connection;
    }

    public CommandContext context() {
        return context;
    }

    public long createdAt() {
        return createdAt;
    }

    public int db() {
        return db;
    }

    public void setDb(int db) {
        this.db = db;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    public byte[] name() {
        return name;
    }

    public void setName(byte[] name) {
        this.name = name;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void setNoTouch(boolean noTouch) {
        this.noTouch = noTouch;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void setNoEvict(boolean noEvict) {
        this.noEvict = noEvict;
    }

    public boolean isMonitor() {
        return monitor;
    }

    public void setMonitor(boolean monitor) {
        this.monitor = monitor;
    }

    public int replyMode() {
        return replyMode;
    }

    public void setReplyMode(int replyMode) {
        this.replyMode = replyMode;
    }

    public String libName() {
        return libName;
    }

    public void setLibName(String libName) {
        this.libName = libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void setLibVersion(String libVersion) {
        this.libVersion = libVersion;
    }

    public long lastInteraction() {
        return lastInteraction;
    }

    public void touch(long now) {
        lastInteraction = now;
    }

    public CommandSpec lastCommand() {
        return lastCommand;
    }

    public void setLastCommand(CommandSpec c) {
        lastCommand = c;
    }

    /** The wait the client is blocked in, or null. */
    public io.cachalot.core.blocking.Waiter waiter() {
        return waiter;
    }

    public void setWaiter(io.cachalot.core.blocking.Waiter waiter) {
        this.waiter = waiter;
    }

    public BlockHandler blockHandler() {
        return blockHandler;
    }

    /** How this client is woken from a blocking command (set by whoever runs the session). */
    public void setBlockHandler(BlockHandler handler) {
        this.blockHandler = handler;
    }

    public boolean killed() {
        return killed;
    }

    /** Marks the session killed and closes its connection (CLIENT KILL). */
    public void kill() {
        killed = true;
        if (connection != null) {
            connection.close();
        }
    }
}
