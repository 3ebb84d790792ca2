package io.cachalot.core.command.strings;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLock;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.KeyEvent;
import io.cachalot.core.types.string.Bits;
import io.cachalot.core.types.string.MutableString;
import io.cachalot.core.util.Numbers;

/**
 * BITFIELD and BITFIELD_RO: signed and unsigned integers of 1 to 64 (unsigned: 63) bits at any
 * bit offset, read, set and incremented with WRAP, SAT or FAIL overflow, all operations of one
 * call parsed before any runs.
 */
final class BitField {
    private static final CommandError BAD_TYPE = new CommandError("ERR Invalid bitfield type. Use something like "
            + "i16 u8. Note that u64 is not supported but i64 is.");
    private static final CommandError BAD_OVERFLOW = new CommandError("ERR Invalid OVERFLOW type specified");
    private static final CommandError READ_ONLY = new CommandError("ERR BITFIELD_RO only supports the GET subcommand");

    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    private BitField() {
    }

    static void bitfield(CommandContext ctx, boolean readOnlyCommand) {
        // one op per 3-4 arguments: opcode | overflow << 2 | signed << 4 | bits << 5, offset, value
        int max = (ctx.argc - 2) / 3 + 1;
        int[] code = new int[max];
        long[] offsets = new long[max];
        long[] values = new long[max];
        int n = 0;
        int overflow = WRAP;
        boolean readOnly = true;
        long highestWrite = 0;
        for (int j = 2; j < ctx.argc; j++) {
            int remaining = ctx.argc - j - 1;
            int op;
            if (ctx.argIs(j, "get") && remaining >= 2) {
                op = GET;
            } else if (ctx.argIs(j, "set") && remaining >= 3) {
                op = SET;
            } else if (ctx.argIs(j, "incrby") && remaining >= 3) {
                op = INCRBY;
            } else if (ctx.argIs(j, "overflow") && remaining >= 1) {
                j++;
                if (ctx.argIs(j, "wrap")) {
                    overflow = WRAP;
                } else if (ctx.argIs(j, "sat")) {
                    overflow = SAT;
                } else if (ctx.argIs(j, "fail")) {
                    overflow = FAIL;
                } else {
                    throw BAD_OVERFLOW;
                }
                continue;
            } else {
                throw Errors.E_SYNTAX;
            }
            int type = type(ctx.argv[j + 1]);
            int bits = type >>> 1;
            long offset = BitCommands.offsetArg(ctx, j + 2, bits);
            long value = 0;
            if (op != GET) {
                readOnly = false;
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                value = ctx.longArg(j + 3);
            }
            code[n] = op | overflow << 2 | (type & 1) << 4 | bits << 5;
            offsets[n] = offset;
            values[n] = value;
            n++;
            j += op == GET ? 2 : 3;
        }
        try (KeyLock k = ctx.lockKey(1)) {
            Entry e;
            byte[] s;
            MutableString m = null;
            // Redis makes (or grows) the key to the farthest bit written first, even if every write fails
            boolean grown = false;
            boolean created = false;
            if (readOnly) {
                e = k.read(ValueType.STRING);
                s = e == null ? null : InPlace.array(e);
            } else {
                if (readOnlyCommand) {
                    throw READ_ONLY;
                }
                e = k.write(ValueType.STRING);
                long need = InPlace.bytesFor(highestWrite);
                if (e == null) {
                    m = InPlace.create(k, need);
                    created = true;
                } else if (need > InPlace.length(e)) {
                    m = InPlace.mutable(k.segment(), e, need);
                    grown = true;
                }
                s = m != null ? m.array() : InPlace.array(e);
            }
            long changes = 0;
            ctx.reply.array(n);
            for (int i = 0; i < n; i++) {
                int op = code[i] & 3;
                int ow = (code[i] >>> 2) & 3;
                boolean signed = (code[i] & 16) != 0;
                int bits = code[i] >>> 5;
                long offset = offsets[i];
                if (op == GET) {
                    ctx.reply.integer(s == null ? 0
                            : signed ? Bits.getSigned(s, offset, bits) : Bits.getUnsigned(s, offset, bits));
                    continue;
                }
                long old = signed ? Bits.getSigned(s, offset, bits) : Bits.getUnsigned(s, offset, bits);
                long incr = op == INCRBY ? values[i] : 0;
                long base = op == INCRBY ? old : values[i];
                int over = signed ? signedOverflow(base, incr, bits) : unsignedOverflow(base, incr, bits);
                if (over != 0 && ow == FAIL) {
                    ctx.reply.nullBulk();
                    continue;
                }
                long v = over == 0 ? base + incr
                        : ow == WRAP ? wrap(base + incr, bits, signed)
                        : saturate(over, bits, signed);
                ctx.reply.integer(op == INCRBY ? v : old);
                if (old != v) {
                    if (m == null) {
                        // the first change of a value read in place so far
                        m = InPlace.mutable(k.segment(), e, 0);
                        s = m.array();
                    }
                    Bits.setField(s, offset, bits, v);
                }
                if (created || grown || old != v) {
                    changes++;
                }
            }
            // a created key counted one change when stored
            long dirty = created ? changes - 1 : changes;
            if (dirty > 0) {
                ctx.dirty(dirty);
            }
            if (changes > 0) {
                ctx.notify(KeyEvent.SETBIT, ctx.argv[1]);
            }
        }
    }

    /** "i<bits>" (1..64) or "u<bits>" (1..63): bits << 1 | signed. */
    private static int type(byte[] a) {
        if (a.length < 2 || (a[0] != 'i' && a[0] != 'u') || !Numbers.isLong(a, 1, a.length - 1)) {
            throw BAD_TYPE;
        }
        long bits = Numbers.parseLong(a, 1, a.length - 1);
        boolean signed = a[0] == 'i';
        if (bits < 1 || bits > (signed ? 64 : 63)) {
            throw BAD_TYPE;
        }
        return (int) bits << 1 | (signed ? 1 : 0);
    }

    /**
     * 1 when {@code value + incr} is above the signed range of {@code bits}, -1 below it, else 0,
     * decided as Redis decides it (its limits wrap like these longs: a SET of a value far below
     * a narrow field's range counts as above it, which matters to SAT).
     */
    private static int signedOverflow(long value, long incr, int bits) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value;
        long minIncr = min - value;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            return 1;
        }
        if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            return -1;
        }
        return 0;
    }

    /** As {@link #signedOverflow} for unsigned fields; {@code value} is read as unsigned. */
    private static int unsignedOverflow(long value, long incr, int bits) {
        long max = (1L << bits) - 1;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > max - value)) {
            return 1;
        }
        if (incr < 0 && incr < -value) {
            return -1;
        }
        return 0;
    }

    /** The low {@code bits} bits of {@code v}, sign-extended for a signed field. */
    private static long wrap(long v, int bits, boolean signed) {
        if (bits == 64) {
            return v;
        }
        return signed ? (v << (64 - bits)) >> (64 - bits) : v & ((1L << bits) - 1);
    }

    private static long saturate(int over, int bits, boolean signed) {
        if (!signed) {
            return over > 0 ? (1L << bits) - 1 : 0;
        }
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        return over > 0 ? max : -max - 1;
    }
}
