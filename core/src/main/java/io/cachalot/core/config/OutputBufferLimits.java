package io.cachalot.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * client-output-buffer-limit: for each client class (normal, replica, pubsub) a hard limit, a
 * soft limit and how many seconds the soft limit may be exceeded, with Redis' syntax, defaults and
 * error texts. A value names one or more classes ({@code normal 64mb 32mb 10 pubsub 0 0 0}); the
 * classes it does not name keep their limits, as in Redis.
 */
public final class OutputBufferLimits extends ConfigParam {
    public static final int NORMAL = 0;
    public static final int REPLICA = 1;
    public static final int PUBSUB = 2;

    private static final long MB = 1024L * 1024;
    /** Redis' clientBufferLimitsDefaults: {hard, soft, soft seconds} per class. */
    private static final long[][] DEFAULTS = {{0, 0, 0}, {256 * MB, 64 * MB, 60}, {32 * MB, 8 * MB, 60}};
    /** As CONFIG GET names the classes (Redis' getClientTypeName). */
    private static final String[] GET_NAMES = {"normal", "slave", "pubsub"};
    /** As CONFIG REWRITE names them. */
    private static final String[] REWRITE_NAMES = {"normal", "replica", "pubsub"};

    /** Replaced whole on every change, so a reader sees one class's three values together. */
    private volatile long[][] limits = copy(DEFAULTS);

    public OutputBufferLimits() {
        super("client-output-buffer-limit", null, MULTI_ARG);
    }

    /** The hard limit of a class in bytes, 0 for none. */
    public long hard(int cls) {
        return limits[cls][0];
    }

    /** The soft limit of a class in bytes, 0 for none. */
    public long soft(int cls) {
        return limits[cls][1];
    }

    /** Seconds the soft limit of a class may be exceeded continuously. */
    public long softSeconds(int cls) {
        return limits[cls][2];
    }

    /** Whether a class has any limit. */
    public boolean limited(int cls) {
        long[] l = limits[cls];
        return l[0] != 0 || l[1] != 0;
    }

    @Override
    public String get() {
        return format(limits);
    }

    @Override
    public String defaultValue() {
        return format(DEFAULTS);
    }

    private static String format(long[][] l) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < l.length; c++) {
            if (c > 0) {
                sb.append(' ');
            }
            sb.append(GET_NAMES[c]).append(' ').append(l[c][0]).append(' ').append(l[c][1]).append(' ')
                    .append(l[c][2]);
        }
        return sb.toString();
    }

    /** One line per class, with memory in Redis' rewrite units ({@code replica 256mb 64mb 60}). */
    @Override
    public List<String> rewriteValues() {
        long[][] l = limits;
        List<String> out = new ArrayList<>(l.length);
        for (int c = 0; c < l.length; c++) {
            out.add(REWRITE_NAMES[c] + " " + ConfigParam.Memory.format(l[c][0]) + " " + ConfigParam.Memory.format(l[c][1]) + " " + l[c][2]);
        }
        return out;
    }

    /** Parses "class hard soft seconds ..." into the complete table it would leave behind. */
    @Override
    protected Object parse(String value) throws ConfigException {
        String[] args = value.isEmpty() ? new String[0] : value.split(" ", -1);
        if (args.length % 4 != 0) {
            throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        }
        long[][] next = copy(limits);
        // every class is checked before any is set: the whole value is taken or refused
        for (int j = 0; j < args.length; j += 4) {
            int cls = classOf(args[j]);
            if (cls < 0) {
                throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            }
            long hard = Memory.parseMemory(args[j + 1]);
            long soft = Memory.parseMemory(args[j + 2]);
            long seconds = parseSeconds(args[j + 3]);
            if (hard < 0 || soft < 0 || seconds < 0) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            next[cls] = new long[] {hard, soft, seconds};
        }
        return next;
    }

    /** Redis' getClientTypeByName, where "master" is a class but not one with limits. */
    private static int classOf(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "normal": return NORMAL;
            case "slave":
            case "replica": return REPLICA;
            case "pubsub": return PUBSUB;
            default: return -1;
        }
    }

    /** As strtoll into an int with nothing left over: -1 when invalid or negative. */
    private static long parseSeconds(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = Math.min(v * 10 + (c - '0'), Integer.MAX_VALUE);
        }
        return negative && v != 0 ? -1 : v;
    }

    @Override
    protected void apply(Object parsed) {
        limits = (long[][]) parsed;
    }

    private static long[][] copy(long[][] l) {
        long[][] c = new long[l.length][];
        for (int i = 0; i < l.length; i++) {
            c[i] = l[i].clone();
        }
        return c;
    }
}
