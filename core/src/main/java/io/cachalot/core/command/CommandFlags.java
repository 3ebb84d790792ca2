package io.cachalot.core.command;

/** Redis command flags as bits, parsed from the flag names of COMMAND INFO. */
public final class CommandFlags {
    public static final int WRITE = 1;
    public static final int READONLY = 1 << 1;
    public static final int DENYOOM = 1 << 2;
    public static final int ADMIN = 1 << 3;
    public static final int PUBSUB = 1 << 4;
    public static final int NOSCRIPT = 1 << 5;
    public static final int BLOCKING = 1 << 6;
    public static final int LOADING = 1 << 7;
    public static final int STALE = 1 << 8;
    public static final int SKIP_MONITOR = 1 << 9;
    public static final int SKIP_SLOWLOG = 1 << 10;
    public static final int ASKING = 1 << 11;
    public static final int FAST = 1 << 12;
    public static final int NO_AUTH = 1 << 13;
    public static final int MAY_REPLICATE = 1 << 14;
    public static final int NO_MANDATORY_KEYS = 1 << 15;
    public static final int NO_ASYNC_LOADING = 1 << 16;
    public static final int NO_MULTI = 1 << 17;
    public static final int MOVABLE_KEYS = 1 << 18;
    public static final int ALLOW_BUSY = 1 << 19;
    public static final int SENTINEL = 1 << 20;
    public static final int ONLY_SENTINEL = 1 << 21;
    /** Cachalot's own: DEBUG and friends, refused unless enable-debug-command allows them. */
    public static final int PROTECTED = 1 << 22;

    // Cachalot's own roles in transactions, declared by each family for its commands (Redis
    // decides these by comparing command procedures; here they are data on the descriptor).
    /** Runs at once after MULTI instead of being queued (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET). */
    public static final int TXN_CONTROL = 1 << 23;
    /** Ends or leaves a transaction, so it is allowed after MULTI while over maxmemory (DISCARD, QUIT, RESET). */
    public static final int TXN_EXIT = 1 << 24;
    /** Runs the queued commands (EXEC): what is checked of a command is checked of its queue. */
    public static final int TXN_EXEC = 1 << 25;
    /** Touches no key: a transaction locks nothing for it. */
    public static final int KEYLESS = 1 << 26;
    /** Touches only the keys its arguments name, whatever its categories (DEL, EXPIRE, OBJECT ...). */
    public static final int NAMED_KEYS_ONLY = 1 << 27;
    /** May reach keys its arguments do not name (SORT ... BY/GET, MOVE): a transaction with it locks everything. */
    public static final int OTHER_KEYS = 1 << 28;
    /** Reaches another database when given a DB argument (COPY ... DB n). */
    public static final int DB_OPTION = 1 << 29;
    /** Switches the client's database (SELECT): queued commands after it name keys of that one. */
    public static final int SELECTS_DB = 1 << 30;
    /** Answers MISCONF like a write while the server cannot persist (PING: a health check sees the disk error). */
    public static final int PROBES_WRITABLE = 1 << 31;

    private CommandFlags() {
    }

    /** The bit for a COMMAND INFO flag name, 0 for names without dispatch meaning. */
    public static int byName(String name) {
        switch (name) {
            case "write": return WRITE;
            case "readonly": return READONLY;
            case "denyoom": return DENYOOM;
            case "admin": return ADMIN;
            case "pubsub": return PUBSUB;
            case "noscript": return NOSCRIPT;
            case "blocking": return BLOCKING;
            case "loading": return LOADING;
            case "stale": return STALE;
            case "skip_monitor": return SKIP_MONITOR;
            case "skip_slowlog": return SKIP_SLOWLOG;
            case "asking": return ASKING;
            case "fast": return FAST;
            case "no_auth": return NO_AUTH;
            case "may_replicate": return MAY_REPLICATE;
            case "no_mandatory_keys": return NO_MANDATORY_KEYS;
            case "no_async_loading": return NO_ASYNC_LOADING;
            case "no_multi": return NO_MULTI;
            case "movablekeys": return MOVABLE_KEYS;
            case "allow_busy": return ALLOW_BUSY;
            case "sentinel": return SENTINEL;
            case "only_sentinel": return ONLY_SENTINEL;
            default: return 0;
        }
    }
}
