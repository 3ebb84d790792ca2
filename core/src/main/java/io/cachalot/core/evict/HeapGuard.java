package io.cachalot.core.evict;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The JVM's last line of defence against data clients wrote: after each garbage collection it
 * looks at how full the heap still is. Above {@link #HIGH_PERCENT}% the engine's estimate was too
 * optimistic (or the application holds much besides), so the data limit drops to 90% of what the
 * data is estimated to take now, and writes get OOM errors or evictions rather than the process
 * an OutOfMemoryError. Below {@link #LOW_PERCENT}% after a collection the limit is lifted again.
 */
public final class HeapGuard {
    public static final int HIGH_PERCENT = 90;
    public static final int LOW_PERCENT = 75;
    private static final String GC_NOTIFICATION = "com.sun.management.gc.notification";

    private final Consumer<Boolean> onChange;
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::gcDone;
    private volatile long pressureLimit;
    /** Where the estimate stands, set by the owner before the guard lowers the limit. */
    private volatile java.util.function.LongSupplier estimate = () -> 0;

    HeapGuard(Consumer<Boolean> onChange) {
        this.onChange = onChange;
    }

    /** Starts listening to the collectors (their notification thread calls back from then on). */
    void start() {
        if (maxHeap == Long.MAX_VALUE || !emitters.isEmpty()) {
            return;
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter) {
                NotificationEmitter em = (NotificationEmitter) gc;
                em.addNotificationListener(listener, n -> GC_NOTIFICATION.equals(n.getType()), null);
                emitters.add(em);
            }
        }
    }

    void setEstimate(java.util.function.LongSupplier estimate) {
        this.estimate = estimate;
    }

    /** The lowered data limit while the heap is under pressure, 0 otherwise. */
    public long pressureLimit() {
        return pressureLimit;
    }

    public boolean underPressure() {
        return pressureLimit > 0;
    }

    private void gcDone(Notification n, Object handback) {
        try {
            CompositeData info = (CompositeData) n.getUserData();
            CompositeData gcInfo = (CompositeData) info.get("gcInfo");
            @SuppressWarnings("unchecked")
            javax.management.openmbean.TabularData after =
                    (javax.management.openmbean.TabularData) gcInfo.get("memoryUsageAfterGc");
            long used = 0;
            for (Object row : after.values()) {
                CompositeData r = (CompositeData) row;
                String pool = (String) r.get("key");
                MemoryUsage u = MemoryUsage.from((CompositeData) r.get("value"));
                if (isHeapPool(pool)) {
                    used += u.getUsed();
                }
            }
            heapUsedAfterGc(used);
        } catch (RuntimeException ex) {
            // an unexpected notification format: the guard stays as it is
        }
    }

    private static boolean isHeapPool(String name) {
        return !(name.contains("Metaspace") || name.contains("Code") || name.contains("Compressed Class")
                || name.contains("CodeHeap"));
    }

    /** The decision, apart for tests: heap bytes still used after a collection. */
    void heapUsedAfterGc(long used) {
        long percent = used * 100 / maxHeap;
        if (percent >= HIGH_PERCENT) {
            long lowered = Math.max(Evictor.STARTUP_MEMORY, estimate.getAsLong() / 10 * 9);
            boolean was = pressureLimit > 0;
            if (!was || lowered < pressureLimit) {
                pressureLimit = lowered;
            }
            if (!was) {
                onChange.accept(true);
            }
        } else if (percent < LOW_PERCENT && pressureLimit > 0) {
            pressureLimit = 0;
            onChange.accept(false);
        }
    }

    void close() {
        for (NotificationEmitter em : emitters) {
            try {
                em.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        emitters.clear();
    }
}
