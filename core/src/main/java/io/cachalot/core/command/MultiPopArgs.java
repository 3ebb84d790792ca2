package io.cachalot.core.command;

import io.cachalot.core.util.Numbers;

/**
 * The arguments of LMPOP/BLMPOP and ZMPOP/BZMPOP: {@code numkeys key... LEFT|RIGHT (or MIN|MAX)
 * [COUNT count]}, validated in Redis' order and with its error texts.
 */
public final class MultiPopArgs {
    private static final CommandError NUMKEYS = new CommandError("ERR numkeys should be greater than 0");
    private static final CommandError COUNT = new CommandError("ERR count should be greater than 0");

    public final byte[][] keys;
    /** True for the first end word (LEFT, MIN). */
    public final boolean first;
    public final long count;

    private MultiPopArgs(byte[][] keys, boolean first, long count) {
        this.keys = keys;
        this.first = first;
        this.count = count;
    }

    public static MultiPopArgs parse(CommandContext ctx, int numkeysArg, String firstWord, String secondWord) {
        byte[] nk = ctx.argv[numkeysArg];
        if (!Numbers.isLong(nk) || Numbers.parseLong(nk) < 1) {
            throw NUMKEYS;
        }
        long numkeys = Numbers.parseLong(nk);
        long whereIdx = numkeysArg + numkeys + 1;
        if (whereIdx >= ctx.argc) {
            throw Errors.E_SYNTAX;
        }
        boolean first;
        if (ctx.argIs((int) whereIdx, firstWord)) {
            first = true;
        } else if (ctx.argIs((int) whereIdx, secondWord)) {
            first = false;
        } else {
            throw Errors.E_SYNTAX;
        }
        long count = -1;
        for (int j = (int) whereIdx + 1; j < ctx.argc; j++) {
            boolean more = ctx.argc - 1 - j > 0;
            if (count == -1 && ctx.argIs(j, "count") && more) {
                byte[] c = ctx.argv[++j];
                if (!Numbers.isLong(c) || Numbers.parseLong(c) < 1) {
                    throw COUNT;
                }
                count = Numbers.parseLong(c);
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        byte[][] keys = new byte[(int) numkeys][];
        System.arraycopy(ctx.argv, numkeysArg + 1, keys, 0, keys.length);
        return new MultiPopArgs(keys, first, count == -1 ? 1 : count);
    }
}
