package io.cachalot.core.config;

/**
 * notify-keyspace-events: which classes of keyspace events are published, as the set of Redis'
 * class letters. The value is kept as flag bits (Redis' NOTIFY_* values) that the notifier reads
 * on every event, and printed back in Redis' canonical order ({@code A} for all the classes it
 * stands for).
 */
public final class KeyspaceEventsParam extends ConfigParam {
    public static final int KEYSPACE = 1;          // K
    public static final int KEYEVENT = 1 << 1;     // E
    public static final int GENERIC = 1 << 2;      // g
    public static final int STRING = 1 << 3;       // $
    public static final int LIST = 1 << 4;         // l
    public static final int SET = 1 << 5;          // s
    public static final int HASH = 1 << 6;         // h
    public static final int ZSET = 1 << 7;         // z
    public static final int EXPIRED = 1 << 8;      // x
    public static final int EVICTED = 1 << 9;      // e
    public static final int STREAM = 1 << 10;      // t
    public static final int KEY_MISS = 1 << 11;    // m (not part of A, as in Redis)
    public static final int MODULE = 1 << 13;      // d
    public static final int NEW = 1 << 14;         // n (not part of A, as in Redis)
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private volatile int flags;

    public KeyspaceEventsParam() {
        super("notify-keyspace-events", null, 0);
    }

    /** The enabled classes, as flag bits. */
    public int flags() {
        return flags;
    }

    @Override
    public String get() {
        return format(flags);
    }

    @Override
    public String defaultValue() {
        return "";
    }

    @Override
    protected Object parse(String value) throws ConfigException {
        int f = 0;
        for (int i = 0; i < value.length(); i++) {
            int bit = bit(value.charAt(i));
            if (bit < 0) {
                throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            }
            f |= bit;
        }
        return f;
    }

    private static int bit(char c) {
        switch (c) {
            case 'A': return ALL;
            case 'g': return GENERIC;
            case '$': return STRING;
            case 'l': return LIST;
            case 's': return SET;
            case 'h': return HASH;
            case 'z': return ZSET;
            case 'x': return EXPIRED;
            case 'e': return EVICTED;
            case 'K': return KEYSPACE;
            case 'E': return KEYEVENT;
            case 't': return STREAM;
            case 'm': return KEY_MISS;
            case 'd': return MODULE;
            case 'n': return NEW;
            default: return -1;
        }
    }

    @Override
    protected void apply(Object parsed) {
        flags = (Integer) parsed;
    }

    /** Redis' keyspaceEventsFlagsToString. */
    static String format(int f) {
        StringBuilder sb = new StringBuilder();
        if ((f & ALL) == ALL) {
            sb.append('A');
        } else {
            append(sb, f, GENERIC, 'g');
            append(sb, f, STRING, '$');
            append(sb, f, LIST, 'l');
            append(sb, f, SET, 's');
            append(sb, f, HASH, 'h');
            append(sb, f, ZSET, 'z');
            append(sb, f, EXPIRED, 'x');
            append(sb, f, EVICTED, 'e');
            append(sb, f, STREAM, 't');
            append(sb, f, MODULE, 'd');
            append(sb, f, NEW, 'n');
        }
        append(sb, f, KEYSPACE, 'K');
        append(sb, f, KEYEVENT, 'E');
        append(sb, f, KEY_MISS, 'm');
        return sb.toString();
    }

    private static void append(StringBuilder sb, int f, int bit, char c) {
        if ((f & bit) != 0) {
            sb.append(c);
        }
    }
}
