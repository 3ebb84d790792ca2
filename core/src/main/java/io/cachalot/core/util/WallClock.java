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

    /**
     * Re-anchors to the system wall clock (called by the cron). The anchor keeps the wall clock's
     * sub-millisecond part ({@link java.time.Instant} reads it to the microsecond or better):
     * anchoring to {@link System#currentTimeMillis()} would put this clock up to 1 ms behind the
     * system's for a whole tick, and a client that computes an absolute expiry from its own clock
     * (GETEX PXAT now+10000) would then read a PTTL of 10001, longer than it asked for.
     */
    public void sync() {
        // the wall clock read between two monotonic readings, the closest pair of three (the first
        // call also loads classes): the anchor is then off by half that gap, nanoseconds
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            long n0 = System.nanoTime();
            java.time.Instant now = java.time.Instant.now();
            long n1 = System.nanoTime();
            if (n1 - n0 < best) {
                best = n1 - n0;
                offset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (n0 + ((n1 - n0) >> 1));
            }
        }
        offsetNanos = offset;
    }

    /** Wall time in milliseconds for a {@link System#nanoTime()} reading. */
    public long millis(long nanoTime) {
        return (nanoTime + offsetNanos) / 1_000_000L;
    }
}
