package io.cachalot.core.util;

/**
 * Wall-clock milliseconds derived from {@link System#nanoTime()}, so that a command reads the
 * clock once for both its timestamp (expiry decisions) and its duration (statistics). Reading the
 * clock is not free: on the measurement machine clock_gettime was the single most expensive
 * symbol of the server's profile (9% of its CPU at P=16). The offset to wall time is refreshed by
 * the engine's cron every tick, so a step of the system clock is followed within one tick.
 */
public final class WallClock {
    private volatile long offsetNanos;

    public WallClock() {
        sync();
    }

    /** Re-anchors to the system wall clock (called by the cron). */
    public void sync() {
        offsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    /** Wall time in milliseconds for a {@link System#nanoTime()} reading. */
    public long millis(long nanoTime) {
        return (nanoTime + offsetNanos) / 1_000_000L;
    }
}
