package io.cachalot.core.command;

/**
 * The count argument of HRANDFIELD and ZRANDMEMBER ({@code key count [WITHVALUES|WITHSCORES]}),
 * validated in Redis' order: the integer and its range first, then the option word, then the
 * halved range when elements come with values.
 */
public final class RandomCount {
    private static final CommandError COUNT_RANGE = new CommandError(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
    private static final CommandError OUT_OF_RANGE = new CommandError("ERR value is out of range");
    /** Replies beyond this many elements are refused (Redis would try, and run out of memory). */
    private static final long MAX_REPLY_ELEMENTS = Integer.MAX_VALUE / 2;

    /** The count: negative means elements may repeat. */
    public final long count;
    public final boolean withValues;

    private RandomCount(long count, boolean withValues) {
        this.count = count;
        this.withValues = withValues;
    }

    /** Parses a count alone (SRANDMEMBER): -LONG_MAX..LONG_MAX, negatives capped. */
    public static long parseCount(CommandContext ctx) {
        long l = ctx.longArg(2);
        if (l == Long.MIN_VALUE) {
            throw COUNT_RANGE;
        }
        if (l < 0 && -l > MAX_REPLY_ELEMENTS) {
            throw OUT_OF_RANGE;
        }
        return l;
    }

    /** Parses argument 2 and the optional argument 3, which must equal {@code word}. */
    public static RandomCount parse(CommandContext ctx, String word) {
        long l = ctx.longArg(2);
        if (l == Long.MIN_VALUE) {
            throw COUNT_RANGE;
        }
        if (ctx.argc > 4 || (ctx.argc == 4 && !ctx.argIs(3, word))) {
            throw Errors.E_SYNTAX;
        }
        boolean withValues = ctx.argc == 4;
        if (withValues && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) {
            throw OUT_OF_RANGE;
        }
        if (l < 0 && -l > MAX_REPLY_ELEMENTS) {
            throw OUT_OF_RANGE;
        }
        return new RandomCount(l, withValues);
    }

    /** The reply header for {@code n} picks: pairs are flat in RESP2, nested in RESP3. */
    public void header(Reply r, int n) {
        if (withValues && r.protocol() == 2) {
            r.array(n * 2);
        } else {
            r.array(n);
        }
    }

    /** Call before each pick's element: RESP3 nests an element and its value. */
    public void beforeElement(Reply r) {
        if (withValues && r.protocol() == 3) {
            r.array(2);
        }
    }

    /**
     * Moves {@code n} distinct random picks of {@code a} to its front (a partial Fisher-Yates
     * shuffle), for the positive counts that ask for distinct elements.
     */
    public static void pickDistinct(int[] a, int n, java.util.random.RandomGenerator rnd) {
        if (n >= a.length) {
            return; // all of them, in their order
        }
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
