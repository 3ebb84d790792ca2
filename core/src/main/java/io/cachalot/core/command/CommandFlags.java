package io.cachalot.core.command;

/** Redis command flags as bits, parsed from the flag names of COMMAND INFO. */
public final class CommandFlags {
    public static final long WRITE = 1L;
    public static final long READONLY = 1L << 1;
    public static final long DENYOOM = 1L << 2;
    public static final long ADMIN = 1L << 3;
    public static final long PUBSUB = 1L << 4;
    public static final long NOSCRIPT = 1L << 5;
    public static final long BLOCKING = 1L << 6;
    public static final long LOADING = 1L << 7;
    public static final long STALE = 1L << 8;
    public static final long SKIP_MONITOR = 1L << 9;
    public static final long SKIP_SLOWLOG = 1L << 10;
    public static final long ASKING = 1L << 11;
    public static final long FAST = 1L << 12;
    public static final long NO_AUTH = 1L << 13;
    public static final long MAY_REPLICATE = 1L << 14;
    public static final long NO_MANDATORY_KEYS = 1L << 15;
    public static final long NO_ASYNC_LOADING = 1L << 16;
    public static final long NO_MULTI = 1L << 17;
    public static final long MOVABLE_KEYS = 1L << 18;
    public static final long ALLOW_BUSY = 1L << 19;
    public static final long SENTINEL = 1L << 20;
    public static final long ONLY_SENTINEL = 1L << 21;
    /** Cachalot's own: DEBUG and friends, refused unless enable-debug-command allows them. */
    public static final long PROTECTED = 1L << 22;

    // Cachalot's own roles in transactions, declared by each family for its commands (Redis
    // decides these by comparing command procedures; here they are data on the descriptor).
    /** Runs at once after MULTI instead of being queued (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET). */
    public static final long TXN_CONTROL = 1L << 23;
    /** Ends or leaves a transaction, so it is allowed after MULTI while over maxmemory (DISCARD, QUIT, RESET). */
    public static final long TXN_EXIT = 1L << 24;
    /** Runs the queued commands (EXEC): what is checked of a command is checked of its queue. */
    public static final long TXN_EXEC = 1L << 25;
    /** Touches no key: a transaction locks nothing for it. */
    public static final long KEYLESS = 1L << 26;
    /** Touches only the keys its arguments name, whatever its categories (DEL, EXPIRE, OBJECT ...). */
    public static final long NAMED_KEYS_ONLY = 1L << 27;
    /** May reach keys its arguments do not name (SORT ... BY/GET, MOVE): a transaction with it locks everything. */
    public static final long OTHER_KEYS = 1L << 28;
    /** Reaches another database when given a DB argument (COPY ... DB n). */
    public static final long DB_OPTION = 1L << 29;
    /** Switches the client's database (SELECT): queued commands after it name keys of that one. */
    public static final long SELECTS_DB = 1L << 30;
    /** Answers MISCONF like a write while the server cannot persist (PING: a health check sees the disk error). */
    public static final long PROBES_WRITABLE = 1L << 31;
    /** Allowed to a subscribed RESP2 client ((P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT, RESET). */
    public static final long PUBSUB_CONTEXT = 1L << 32;

    private CommandFlags() {
    }

    /** The bit for a COMMAND INFO flag name, 0 for names without dispatch meaning. */
    public static long byName(String name) {
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
