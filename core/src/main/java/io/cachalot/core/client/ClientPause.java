package io.cachalot.core.client;

import io.cachalot.core.keyspace.Keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CLIENT PAUSE state. While paused, network clients' commands (all, or only those that may
 * write) wait unexecuted, and keys do not expire, so the dataset stays constant (as in Redis,
 * for failovers). Clients waiting are resumed when the pause ends.
 */
public final class ClientPause {
    public static final int OFF = 0;
    public static final int WRITE = 1;
    public static final int ALL = 2;

    private volatile int type = OFF;
    private volatile long endMillis;
    private final List<Runnable> waiters = new ArrayList<>();
    private ScheduledExecutorService timer;
    private Keyspace keyspace;

    /** Called once by the engine that owns the pause: its timer and keyspace. */
    public void attach(ScheduledExecutorService timer, Keyspace keyspace) {
        this.timer = timer;
        this.keyspace = keyspace;
    }

    public int type() {
        return type;
    }

    public long endMillis() {
        return endMillis;
    }

    /** Pauses until {@code end} (or longer, if a pause already lasts longer); ALL wins over WRITE. */
    public synchronized void pause(long end, int pauseType) {
        if (pauseType > type) {
            type = pauseType;
        }
        if (end > endMillis) {
            endMillis = end;
        }
        keyspace.setExpiryPaused(true);
        long delay = Math.max(0, endMillis - System.currentTimeMillis());
        timer.schedule(() -> expire(System.currentTimeMillis()), delay, TimeUnit.MILLISECONDS);
    }

    /** Ends the pause and resumes every waiting client. */
    public void unpause() {
        List<Runnable> resume;
        synchronized (this) {
            type = OFF;
            endMillis = 0;
            keyspace.setExpiryPaused(false);
            resume = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Runnable r : resume) {
            r.run();
        }
    }

    /** Ends the pause if its time has come. */
    public void expire(long now) {
        if (type != OFF && now >= endMillis) {
            unpause();
        }
    }

    /**
     * True when a network client's command must wait for the pause to end; {@code writes}: the
     * command may write or replicate (what CLIENT PAUSE WRITE holds back).
     */
    public boolean blocks(boolean writes, long now) {
        int t = type;
        if (t == OFF) {
            return false;
        }
        if (now >= endMillis) {
            expire(now);
            return false;
        }
        return t == ALL || writes;
    }

    /** Runs {@code r} once no pause is in effect (at once if none is). */
    public void whenUnpaused(Runnable r) {
        synchronized (this) {
            if (type != OFF) {
                waiters.add(r);
                return;
            }
        }
        r.run();
    }
}
