package io.cachalot.core.types;

/**
 * Estimates of heap use for a 64-bit JVM with compressed references, the default for heaps under
 * 32 GB: object headers of 12 bytes, 8-byte alignment, arrays with a 16-byte header.
 */
public final class MemorySize {
    /** An {@link Entry} object (40 bytes) plus its share of the bucket array (4 bytes at load 0.75). */
    public static final long ENTRY = 40 + 6;
    /** What an entry variant with one more field (a JCache cache's key object or decoded value) adds. */
    public static final long ENTRY_VARIANT = 8;
    /** A key's share of its segment's set of keys with a TTL (4-byte slots, 3/8 to 3/4 full). */
    public static final long TTL_SLOT = 8;

    private MemorySize() {
    }

    public static long align(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * G1 puts an object of half a region or more in whole regions of its own ("humongous"): a
     * 512 KB value takes 1 MB of a small heap. 0 when the collector is not G1.
     */
    private static final long G1_REGION = g1RegionSize();

    public static long array(int length) {
        long n = align(16L + length);
        if (G1_REGION != 0 && n >= G1_REGION >>> 1) {
            n = (n + G1_REGION - 1) / G1_REGION * G1_REGION;
        }
        return n;
    }

    private static long g1RegionSize() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hs == null || !Boolean.parseBoolean(hs.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(hs.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 0; // not HotSpot: plain sizes
        }
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

    /**
     * An {@link Entry#memo()}: a String (assumed Latin-1, as decoded ASCII text is) or a boxed
     * number or other small object.
     */
    public static long memo(Object m) {
        if (m instanceof String) {
            return 24 + array(((String) m).length());
        }
        return 24;
    }

    /** A value that knows its own estimated footprint (collections keep it up to date). */
    public interface Sized {
        long memoryUsage();
    }
}
