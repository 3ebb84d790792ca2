package io.cachalot.core.command;

import io.cachalot.core.util.Glob;

/**
 * The arguments of SCAN and its per-collection forms (HSCAN, SSCAN, ZSCAN): the cursor, and for
 * the collection forms the options after it, parsed as Redis' scanGenericCommand does.
 */
public final class ScanArgs {
    /** Pattern filter, null for none ("*" counts as none). */
    public Glob glob;
    public long count = 10;
    /** HSCAN ... NOVALUES (Redis 7.4): fields only. */
    public boolean noValues;
    /** The elements to return. */
    public final java.util.List<byte[]> out = new java.util.ArrayList<>();
    /** Elements met so far, filtered or not (Redis stops at COUNT of these). */
    public long gathered;

    private ScanArgs() {
    }

    /** Parses a cursor as Redis' strtoul-based parser: no leading space, whole string, in range. */
    public static long cursor(byte[] b) {
        if (b.length > 0 && isSpace(b[0])) {
            throw new CommandError("ERR invalid cursor");
        }
        int i = 0;
        boolean negative = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        long v = 0;
        int digits = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandError("ERR invalid cursor");
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw new CommandError("ERR invalid cursor");
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                throw new CommandError("ERR invalid cursor");
            }
            v = next;
            digits++;
        }
        if (digits == 0 && i != 0) {
            throw new CommandError("ERR invalid cursor"); // a lone sign: strtoul consumes nothing
        }
        return negative ? -v : v;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    /**
     * The options of HSCAN/SSCAN/ZSCAN from argument {@code from}: MATCH and COUNT, and NOVALUES
     * when {@code hash}. TYPE is a syntax error here, as in Redis.
     */
    public static ScanArgs collection(CommandContext ctx, int from, boolean hash) {
        ScanArgs a = new ScanArgs();
        int i = from;
        while (i < ctx.argc) {
            int remaining = ctx.argc - i;
            if (ctx.argIs(i, "count") && remaining >= 2) {
                a.count = ctx.longArg(i + 1);
                if (a.count < 1) {
                    throw Errors.E_SYNTAX;
                }
                i += 2;
            } else if (ctx.argIs(i, "match") && remaining >= 2) {
                byte[] pattern = ctx.argv[i + 1];
                a.glob = pattern.length == 1 && pattern[0] == '*' ? null : new Glob(pattern, false);
                i += 2;
            } else if (hash && ctx.argIs(i, "novalues")) {
                a.noValues = true;
                i++;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        return a;
    }

    /** One bucket of a table scan: visits it and returns the next cursor. */
    @FunctionalInterface
    public interface Step {
        long next(long cursor);
    }

    /**
     * Walks a table from {@code cursor} as Redis' scanGenericCommand: until the table is covered,
     * COUNT elements were met (before filtering), or COUNT*10 buckets were visited.
     */
    public long walk(long cursor, Step step) {
        long maxIterations = count * 10;
        long next = cursor;
        do {
            next = step.next(next);
        } while (next != 0 && maxIterations-- > 0 && gathered < count);
        return next;
    }

    /** The reply: the next cursor and the collected elements. */
    public void reply(Reply r, long next) {
        r.array(2);
        r.bulk(io.cachalot.core.util.Bytes.ascii(Long.toUnsignedString(next)));
        r.array(out.size());
        for (byte[] b : out) {
            r.bulk(b);
        }
    }

    /** Whether an element passes the MATCH filter. */
    public boolean matches(byte[] b, int off, int len) {
        return glob == null || glob.matches(b, off, len);
    }

    /**
     * The start of HSCAN/SSCAN/ZSCAN once the key was looked up: for a missing key ({@code e}
     * null) the empty reply is sent and null returned (the options are not even parsed, as in
     * Redis); otherwise the options from argument 3.
     */
    public static ScanArgs collection(CommandContext ctx, io.cachalot.core.keyspace.Entry e, boolean hash) {
        if (e == null) {
            replyEmpty(ctx.reply);
            return null;
        }
        return collection(ctx, 3, hash);
    }

    /** The reply for a missing key: cursor 0, no elements. */
    public static void replyEmpty(Reply r) {
        r.array(2);
        r.bulk(ZERO);
        r.array(0);
    }

    private static final byte[] ZERO = {'0'};
}
