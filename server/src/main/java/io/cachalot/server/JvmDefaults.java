package io.cachalot.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The collector settings the standalone server chooses when its command line did not (measured
 * in docs/benchmarks.md, "Memory per key" and "the collector choice"): G1 gives free heap back to
 * the operating system — a concurrent cycle after 60 s without a collection while the load average is below 3/4 of the
 * CPUs, and a heap kept within 5-10% free after a cycle — so that RSS follows the data (2M keys
 * of 64 bytes, 130 s after the load: 159 B/key, redis-server 171) at the same throughput. These flags are
 * "manageable": set here at start, they apply to {@code java -jar} and {@code bin/cachalot-server}
 * alike; a flag given on the command line (or in JAVA_TOOL_OPTIONS) is left as given. Only the
 * server's own process sets them: an application embedding Cachalot keeps its JVM's settings.
 */
final class JvmDefaults {
    private JvmDefaults() {
    }

    /** Sets each default whose flag still has the JVM's own value; returns what was set, for the log. */
    static String apply() {
        HotSpotDiagnosticMXBean hotspot;
        try {
            hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError notHotSpot) {
            return "";
        }
        if (hotspot == null) {
            return "";
        }
        double load = 0.75 * Runtime.getRuntime().availableProcessors();
        String[][] defaults = {
            // not shorter: under a light load (below the threshold) every interval without a
            // young collection starts a concurrent cycle, 5-21 ms pauses each 5 s at 5000
            {"G1PeriodicGCInterval", "60000"},
            {"G1PeriodicGCSystemLoadThreshold", String.format(Locale.ROOT, "%.2f", load)},
            // the lower bound first: MinHeapFreeRatio may not exceed MaxHeapFreeRatio at any step
            // 10-20% kept 18 B/key more at 2M keys (RSS 177 against 159 B/key, redis-server 171);
            // under load G1 grows the heap as its pause and time goals ask, whatever these say
            {"MinHeapFreeRatio", "5"},
            {"MaxHeapFreeRatio", "10"},
        };
        StringBuilder set = new StringBuilder();
        for (String[] d : defaults) {
            try {
                VMOption o = hotspot.getVMOption(d[0]);
                if (o.getOrigin() == VMOption.Origin.DEFAULT && o.isWriteable()) {
                    hotspot.setVMOption(d[0], d[1]);
                    set.append(set.length() == 0 ? "" : " ").append(d[0]).append('=').append(d[1]);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException unknown) {
                // another JVM or collector without the flag: its own behaviour stays
            }
        }
        return set.toString();
    }
}
