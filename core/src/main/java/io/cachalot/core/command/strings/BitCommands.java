package io.cachalot.core.command.strings;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Keys;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.string.Bits;
import io.cachalot.core.types.string.MutableString;
import io.cachalot.core.util.Numbers;

/**
 * The bitmap commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP (BITFIELD is
 * {@link BitField}). A string that a bit write changes becomes a {@link MutableString}, changed in
 * place from then on as Redis changes its sds (a copy per SETBIT made a 1M-bit bitmap 40x slower).
 */
public final class BitCommands implements CommandFamily {
    static final CommandError BAD_OFFSET = new CommandError("ERR bit offset is not an integer or out of range");
    private static final CommandError BAD_BIT = new CommandError("ERR bit is not an integer or out of range");
    private static final CommandError BAD_POS_BIT = new CommandError("ERR The bit argument must be 1 or 0.");
    private static final CommandError NOT_ONE_KEY =
            new CommandError("ERR BITOP NOT must be called with a single source key.");

    /** The family, for the engine's ServiceLoader. */
    public BitCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("setbit", BitCommands::setbit);
        c.register("getbit", BitCommands::getbit);
        c.register("bitcount", BitCommands::bitcount);
        c.register("bitpos", BitCommands::bitpos);
        c.register("bitop", BitCommands::bitop);
        c.register("bitfield", ctx -> BitField.bitfield(ctx, false));
        c.register("bitfield_ro", ctx -> BitField.bitfield(ctx, true));
    }

    /**
     * A bit offset argument (getBitOffsetFromArgument): a non-negative integer addressing a bit
     * within proto-max-bulk-len bytes; with {@code bits} > 0, "#n" means n * bits (BITFIELD).
     */
    static long offsetArg(CommandContext ctx, int i, int bits) {
        byte[] a = ctx.argv[i];
        int skip = bits > 0 && a.length > 0 && a[0] == '#' ? 1 : 0;
        if (!Numbers.isLong(a, skip, a.length - skip)) {
            throw BAD_OFFSET;
        }
        long offset = Numbers.parseLong(a, skip, a.length - skip);
        if (skip == 1) {
            offset *= bits;
        }
        if (offset < 0 || (offset >>> 3) >= ctx.settings().protoMaxBulkLen.value()) {
            throw BAD_OFFSET;
        }
        return offset;
    }

    // ------------------------------------------------------------------ SETBIT, GETBIT

    static void setbit(CommandContext ctx) {
        long offset = offsetArg(ctx, 2, 0);
        byte[] onArg = ctx.argv[3];
        if (!Numbers.isLong(onArg)) {
            throw BAD_BIT;
        }
        long on = Numbers.parseLong(onArg);
        if ((on & ~1L) != 0) {
            throw BAD_BIT;
        }
        int was;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.write(ValueType.STRING);
            long need = InPlace.bytesFor(offset);
            if (e == null) {
                was = 0;
                Bits.set(InPlace.create(k, need).array(), offset, (int) on);
                ctx.notify(KeyEvent.SETBIT, ctx.argv[1]);
            } else {
                was = Bits.get(InPlace.array(e), offset);
                if (need > InPlace.length(e) || was != on) {
                    Bits.set(InPlace.mutable(k.segment(), e, need).array(), offset, (int) on);
                    ctx.dirty(1);
                    ctx.notify(KeyEvent.SETBIT, ctx.argv[1]);
                }
            }
        }
        ctx.reply.integer(was);
    }

    static void getbit(CommandContext ctx) {
        long offset = offsetArg(ctx, 2, 0);
        int bit;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.STRING);
            bit = e == null ? 0 : Bits.get(InPlace.array(e), offset);
        }
        ctx.reply.integer(bit);
    }

    // ------------------------------------------------------------------ BITCOUNT, BITPOS

    /** BIT or BYTE at argument {@code i}: true for BIT, a syntax error for anything else. */
    private static boolean unitIsBit(CommandContext ctx, int i) {
        if (ctx.argIs(i, "bit")) {
            return true;
        }
        if (ctx.argIs(i, "byte")) {
            return false;
        }
        throw Errors.E_SYNTAX;
    }

    static void bitcount(CommandContext ctx) {
        long count;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.STRING);
            if (e == null) {
                ctx.reply.integer(0);
                return;
            }
            byte[] s = InPlace.array(e);
            int len = InPlace.length(e);
            long start;
            long end;
            int firstMask = 0;
            int lastMask = 0;
            if (ctx.argc == 4 || ctx.argc == 5) {
                long total = len;
                start = ctx.longArg(2);
                end = ctx.longArg(3);
                if (start < 0 && end < 0 && start > end) {
                    ctx.reply.integer(0);
                    return;
                }
                boolean bit = ctx.argc == 5 && unitIsBit(ctx, 4);
                if (bit) {
                    total <<= 3;
                }
                start = clamp(start, total);
                end = Math.min(clamp(end, total), total - 1);
                if (bit && start <= end) {
                    // the bits of the edge bytes outside the range, taken off the count below
                    firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
                    lastMask = (1 << (7 - (int) (end & 7))) - 1;
                    start >>= 3;
                    end >>= 3;
                }
            } else if (ctx.argc == 2) {
                start = 0;
                end = len - 1;
            } else {
                throw Errors.E_SYNTAX;
            }
            if (start > end) {
                count = 0;
            } else {
                count = Bits.count(s, (int) start, (int) end);
                count -= Integer.bitCount(s[(int) start] & firstMask) + Integer.bitCount(s[(int) end] & lastMask);
            }
        }
        ctx.reply.integer(count);
    }

    /** A negative index counts from {@code total}; what stays negative becomes 0. */
    private static long clamp(long index, long total) {
        if (index < 0) {
            index += total;
        }
        return Math.max(index, 0);
    }

    static void bitpos(CommandContext ctx) {
        long bit = ctx.longArg(2);
        if (bit != 0 && bit != 1) {
            throw BAD_POS_BIT;
        }
        long pos;
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e = k.read(ValueType.STRING);
            if (e == null) {
                // an absent key is an endless run of zeros
                ctx.reply.integer(bit == 1 ? -1 : 0);
                return;
            }
            pos = position(ctx, InPlace.array(e), InPlace.length(e), (int) bit);
        }
        ctx.reply.integer(pos);
    }

    private static long position(CommandContext ctx, byte[] s, int len, int bit) {
        long start;
        long end;
        boolean endGiven = false;
        int firstMask = 0;
        int lastMask = 0;
        if (ctx.argc >= 4 && ctx.argc <= 6) {
            long total = len;
            start = ctx.longArg(3);
            boolean isBit = ctx.argc == 6 && unitIsBit(ctx, 5);
            if (ctx.argc >= 5) {
                end = ctx.longArg(4);
                endGiven = true;
            } else {
                end = isBit ? (total << 3) + 7 : total - 1;
            }
            if (isBit) {
                total <<= 3;
            }
            start = clamp(start, total);
            end = Math.min(clamp(end, total), total - 1);
            if (isBit && start <= end) {
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (ctx.argc == 3) {
            start = 0;
            end = len - 1;
        } else {
            throw Errors.E_SYNTAX;
        }
        if (start > end) {
            // an empty range holds neither a 0 nor a 1
            return -1;
        }
        int from = (int) start;
        int bytes = (int) (end - start + 1);
        long pos = search(s, from, bytes, bit, firstMask, lastMask);
        // looking for a 0 in an explicit range, the bit after the range is not a 0 of the string
        if (endGiven && bit == 0 && pos == (long) bytes << 3) {
            return -1;
        }
        return pos == -1 ? -1 : pos + ((long) from << 3);
    }

    /**
     * The first {@code bit} in bytes {@code from..from+bytes-1}, counted from the range's first bit,
     * the edge bytes' bits outside a BIT range masked away (set when looking for 0, cleared for 1).
     */
    private static long search(byte[] s, int from, int bytes, int bit, int firstMask, int lastMask) {
        long base = 0;
        int last = from + bytes - 1;
        if (firstMask != 0) {
            int b = edge(s[from], firstMask, bit);
            if (bytes == 1 && lastMask != 0) {
                b = edge((byte) b, lastMask, bit);
            }
            long p = Bits.position(new byte[] {(byte) b}, 0, 1, bit);
            if (bytes == 1 || (p != -1 && p != 8)) {
                return p;
            }
            from++;
            bytes--;
            base = 8;
        }
        int body = bytes - (lastMask != 0 ? 1 : 0);
        if (body > 0) {
            long p = Bits.position(s, from, body, bit);
            if (body == bytes || (p != -1 && p != (long) body << 3)) {
                return p == -1 ? -1 : base + p;
            }
            base += (long) body << 3;
        }
        long p = Bits.position(new byte[] {(byte) edge(s[last], lastMask, bit)}, 0, 1, bit);
        return p == -1 ? -1 : base + p;
    }

    private static int edge(byte b, int mask, int bit) {
        return bit == 1 ? b & ~mask & 0xff : (b | mask) & 0xff;
    }

    // ------------------------------------------------------------------ BITOP

    private static final int AND = 0;
    private static final int OR = 1;
    private static final int XOR = 2;
    private static final int NOT = 3;

    static void bitop(CommandContext ctx) {
        int op;
        if (ctx.argIs(1, "and")) {
            op = AND;
        } else if (ctx.argIs(1, "or")) {
            op = OR;
        } else if (ctx.argIs(1, "xor")) {
            op = XOR;
        } else if (ctx.argIs(1, "not")) {
            op = NOT;
        } else {
            throw Errors.E_SYNTAX;
        }
        if (op == NOT && ctx.argc != 4) {
            throw NOT_ONE_KEY;
        }
        int n = ctx.argc - 3;
        byte[][] keys = new byte[n + 1][];
        System.arraycopy(ctx.argv, 3, keys, 0, n);
        keys[n] = ctx.argv[2];
        int[] hashes = KeyLocks.lock(ctx, keys);
        Database db = ctx.db();
        byte[][] src = new byte[n][];
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            Entry e = Lookup.read(ctx, db.segment(hashes[i]), keys[i], hashes[i]);
            if (e != null && !e.isType(ValueType.STRING)) {
                throw Errors.E_WRONGTYPE;
            }
            // read in place: a MutableString's buffer is zero past its length, as the operation wants
            src[i] = e == null ? null : InPlace.array(e);
            if (e != null) {
                maxLen = Math.max(maxLen, InPlace.length(e));
            }
        }
        byte[] res = maxLen == 0 ? null : combine(op, src, maxLen);
        Keys.replaceOrDelete(ctx, ctx.argv[2], res, ValueType.STRING, Encoding.RAW, KeyEvent.SET);
        ctx.reply.integer(maxLen);
    }

    /** The operation over the sources (absent or shorter ones read as zeros), eight bytes at a time. */
    private static byte[] combine(int op, byte[][] src, int len) {
        byte[] res = new byte[len];
        if (op == NOT) {
            byte[] s = src[0];
            for (int i = 0; i < len; i += 8) {
                // NOT: bytes past the source's length do not exist (maxLen is its length)
                Bits.putWord(res, i, ~Bits.word(s, i));
            }
            return res;
        }
        for (int i = 0; i < len; i += 8) {
            long r = Bits.word(src[0], i);
            for (int j = 1; j < src.length; j++) {
                long x = Bits.word(src[j], i);
                r = op == AND ? r & x : op == OR ? r | x : r ^ x;
            }
            Bits.putWord(res, i, r);
        }
        return res;
    }
}
