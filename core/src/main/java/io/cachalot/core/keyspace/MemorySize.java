package io.cachalot.core.keyspace;

/**
 * Estimates of heap use for a 64-bit JVM with compressed references, the default for heaps under
 * 32 GB: object headers of 12 bytes, 8-byte alignment, arrays with a 16-byte header.
 */
public final class MemorySize {
    /** An {@link Entry} object (48 bytes) plus its share of the bucket array (4 bytes at load 0.75). */
    public static final long ENTRY = 48 + 6;

    private MemorySize() {
    }

    public static long align(long n) {
        return (n + 7) & ~7L;
    }

    public static long array(int length) {
        return align(16L + length);
    }

    public static long value(Object v) {
        if (v instanceof byte[]) {
            return array(((byte[]) v).length);
        }
        if (v instanceof Sized) {
            return ((Sized) v).memoryUsage();
        }
        return 16;
    }

    /** A value that knows its own estimated footprint (collections keep it up to date). */
    public interface Sized {
        long memoryUsage();
    }
}
