package io.cachalot.core.types.string;

import io.cachalot.core.types.Encoding;
import io.cachalot.core.util.Numbers;

/**
 * Which encoding Redis would give a string value, so that OBJECT ENCODING answers alike:
 * "int" for canonical 64-bit integers of at most 20 characters, "embstr" up to 44 bytes, "raw"
 * beyond, and "raw" for strings changed in place (APPEND, SETRANGE).
 */
public final class StringEncoding {
    /** Redis' OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_LIMIT = 44;
    /** Redis shares the integer objects 0..9999 (OBJ_SHARED_INTEGERS). */
    public static final int SHARED_INTEGERS = 10000;

    private StringEncoding() {
    }

    /** tryObjectEncoding: the encoding of a value stored by SET and friends. */
    public static Encoding of(byte[] v) {
        int len = v.length;
        if (len <= 20 && Numbers.isLong(v)) {
            return Encoding.INT;
        }
        return len <= EMBSTR_LIMIT ? Encoding.EMBSTR : Encoding.RAW;
    }

    /**
     * True when Redis would store this int-encoded value as one of its shared integer objects:
     * 0..9999, when sharing is allowed (see {@link #sharingAllowed}).
     */
    public static boolean shared(byte[] v, Encoding encoding, boolean sharingAllowed) {
        if (!sharingAllowed || encoding != Encoding.INT) {
            return false;
        }
        long n = Numbers.parseLong(v);
        return n >= 0 && n < SHARED_INTEGERS;
    }

    /** Redis shares small integers unless maxmemory is set with an LRU/LFU policy (per-key access data). */
    public static boolean sharingAllowed(long maxmemory, String policy) {
        return maxmemory == 0 || !(policy.endsWith("-lru") || policy.endsWith("-lfu"));
    }

    /** createStringObject: embstr or raw by length only (INCRBYFLOAT results). */
    public static Encoding byLength(byte[] v) {
        return v.length <= EMBSTR_LIMIT ? Encoding.EMBSTR : Encoding.RAW;
    }
}
