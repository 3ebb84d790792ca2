package io.cachalot.core.command;

import io.cachalot.core.util.LongDouble;

/** Blocking commands' timeout argument, in seconds, with Redis' parsing and errors. */
public final class Timeouts {
    private Timeouts() {
    }

    /**
     * The absolute deadline in Unix ms for the timeout at argument {@code i}, 0 for "forever".
     * As Redis: a long double number of seconds, converted with {@code (long long)(t * 1000)}
     * (so 0.0001 means forever), negative values refused.
     */
    public static long deadline(CommandContext ctx, int i) {
        LongDouble t = LongDouble.parse(ctx.argv[i]);
        if (t == null) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        long ms = t.thousandthsTruncated();
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        return ms == 0 ? 0 : ms + ctx.now;
    }

    /** A timeout in milliseconds (XREAD BLOCK): an integer, 0 for "forever"; the absolute deadline. */
    public static long deadlineMillis(CommandContext ctx, int i) {
        byte[] b = ctx.argv[i];
        if (!io.cachalot.core.util.Numbers.isLong(b)) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        long ms = io.cachalot.core.util.Numbers.parseLong(b);
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (ms > 0 && ms > Long.MAX_VALUE - ctx.now) {
            throw new CommandError("ERR timeout is out of range");
        }
        return ms == 0 ? 0 : ms + ctx.now;
    }
}
