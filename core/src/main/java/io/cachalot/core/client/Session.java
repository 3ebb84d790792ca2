package io.cachalot.core.client;

/**
 * The state of one client of the engine: selected database, protocol, name, authentication and
 * client flags, and what CLIENT LIST shows of the command layer's work for it (last command,
 * MULTI/WATCH state, blocked). A network connection has one; an in-process caller can create its
 * own; the command layer's {@code CommandContext} owns it. Not thread-safe: a session is used by
 * one thread at a time (its connection's event loop).
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
    /** The full name of the last command run (CLIENT LIST cmd=), null before the first. */
    String lastCommand;
    volatile boolean killed;
    /** Set while the client waits in a blocking command (CLIENT LIST's b flag). */
    private volatile boolean blocked;
    private BlockHandler blockHandler;
    private TransactionView transaction = TransactionView.NONE;
    /** CLIENT TRACKING state (TRACKING_* bits, 0 when off) and redirection; read by writers on other threads. */
    private volatile int trackingFlags;
    private volatile long trackingRedirect;
    /** Invalidations for this client's own keys, held until its command has replied (owned by its running thread). */
    private java.util.ArrayList<byte[]> trackingDeferred;

    /** CLIENT TRACKING flags. */
    public static final int TRACKING_ON = 1;
    public static final int TRACKING_BCAST = 1 << 1;
    public static final int TRACKING_OPTIN = 1 << 2;
    public static final int TRACKING_OPTOUT = 1 << 3;
    public static final int TRACKING_NOLOOP = 1 << 4;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) given for the next command. */
    public static final int TRACKING_CACHING = 1 << 5;
    /** The redirection client went away (CLIENT LIST flag R). */
    public static final int TRACKING_BROKEN_REDIR = 1 << 6;

    public Session(long id, ClientConnection connection, boolean authenticated) {
        this.id = id;
        this.connection = connection;
        this.createdAt = System.currentTimeMillis();
        this.lastInteraction = createdAt;
        this.authenticated = authenticated;
    }

    /** The MULTI/WATCH state as CLIENT LIST shows it. */
    public TransactionView transaction() {
        return transaction;
    }

    /** Attaches the command layer's MULTI/WATCH state (once, when its context binds the session). */
    public void setTransaction(TransactionView t) {
        this.transaction = t;
    }

    public long id() {
        return id;
    }

    /** The network connection, or null for an in-process session. */
    public ClientConnection connection() {
        return connection;
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

    /** The full name of the last command run, or null before the first. */
    public String lastCommand() {
        return lastCommand;
    }

    public void setLastCommand(String fullName) {
        lastCommand = fullName;
    }

    /** Whether the client waits in a blocking command. */
    public boolean blocked() {
        return blocked;
    }

    public void setBlocked(boolean blocked) {
        this.blocked = blocked;
    }

    public BlockHandler blockHandler() {
        return blockHandler;
    }

    /** How this client is woken from a blocking command (set by whoever runs the session). */
    public void setBlockHandler(BlockHandler handler) {
        this.blockHandler = handler;
    }

    public int trackingFlags() {
        return trackingFlags;
    }

    public void setTrackingFlags(int flags) {
        this.trackingFlags = flags;
    }

    public long trackingRedirect() {
        return trackingRedirect;
    }

    public void setTrackingRedirect(long id) {
        this.trackingRedirect = id;
    }

    /** The invalidations held until this client's command has replied (created on first use). */
    public java.util.ArrayList<byte[]> trackingDeferred() {
        if (trackingDeferred == null) {
            trackingDeferred = new java.util.ArrayList<>(4);
        }
        return trackingDeferred;
    }

    /** Whether invalidations are held for this client. */
    public boolean hasTrackingDeferred() {
        return trackingDeferred != null && !trackingDeferred.isEmpty();
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
