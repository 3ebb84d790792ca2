package io.cachalot.core.command.strings;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Keys;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.string.MutableString;

/**
 * String values that commands read and change in place (the bit commands, HyperLogLog), the
 * caller holding the key's lock: a stored array is read as is, and turned into a
 * {@link MutableString} on its first change, as Redis unshares and then edits its sds.
 */
public final class InPlace {
    private InPlace() {
    }

    /** A string entry's bytes to read in place while the lock is held (a MutableString's are zero past its length). */
    public static byte[] array(Entry e) {
        Object v = e.value();
        return v instanceof MutableString ? ((MutableString) v).array() : (byte[]) v;
    }

    /** A string entry's length in bytes. */
    public static int length(Entry e) {
        int off = e.stringOffset();
        if (off != 0) {
            return e.stringArray().length - off; // packed with its key: read in place
        }
        Object v = e.value();
        return v instanceof MutableString ? (int) ((MutableString) v).length() : ((byte[]) v).length;
    }

    /** The number of bytes that hold bit {@code maxBit}, refused beyond what an array can hold. */
    static long bytesFor(long maxBit) {
        long need = (maxBit >>> 3) + 1;
        if (need > Integer.MAX_VALUE - 8) {
            throw new CommandError(StringCommands.STRING_TOO_LONG);
        }
        return need;
    }

    /**
     * A new key's string of {@code length} zero bytes, stored, to be changed in place
     * (lookupStringForBitCommand on an absent key).
     */
    static MutableString create(io.cachalot.core.command.KeyLock k, long length) {
        MutableString m;
        try {
            m = MutableString.of(null, length);
        } catch (OutOfMemoryError oom) {
            throw new CommandError(Errors.OOM);
        }
        k.store(null, m, ValueType.STRING, Encoding.RAW, false);
        return m;
    }

    /** Stores {@code m} as the new string value of an absent key of the current database (its lock held). */
    public static void store(CommandContext ctx, Segment seg, byte[] key, int hash, MutableString m) {
        Keys.store(ctx, seg, key, hash, null, m, ValueType.STRING, Encoding.RAW, false);
    }

    /**
     * The locked key's string made changeable in place and at least {@code minLength} bytes
     * long (zero-filled), its memory accounted and the change announced to watchers: a plain
     * value is copied once into a {@link MutableString}, which later writes reuse.
     */
    public static MutableString mutable(Segment seg, Entry e, long minLength) {
        Object v = e.value();
        try {
            if (v instanceof MutableString) {
                MutableString m = (MutableString) v;
                long before = seg.beforeMutation(e);
                m.grow(minLength);
                seg.afterMutation(e, before);
                return m;
            }
            MutableString m = MutableString.of((byte[]) v, minLength);
            seg.setValue(e, m, ValueType.STRING, Encoding.RAW);
            return m;
        } catch (OutOfMemoryError oom) {
            throw new CommandError(Errors.OOM);
        }
    }
}
