package io.cachalot.core.keyspace;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WATCH bookkeeping shared by the segments. A command's writes to watched keys are held as
 * pending touches on its thread and only become "changed" marks if the command really changed
 * the dataset (Redis signals a key as modified exactly where it counts a change), see
 * {@link #commit}. Deletions by expiry mark at once, as Redis' expiry does.
 */
public final class Watches {
    private final AtomicInteger registered = new AtomicInteger();
    private final ThreadLocal<ArrayList<WatchedKey>> pending = ThreadLocal.withInitial(ArrayList::new);

    /** True when some client watches some key (otherwise nothing here needs doing). */
    public boolean any() {
        return registered.get() > 0;
    }

    void added() {
        registered.incrementAndGet();
    }

    void removed() {
        registered.decrementAndGet();
    }

    void touched(WatchedKey w) {
        pending.get().add(w);
    }

    /**
     * Ends a command on this thread: its pending touches mark their owners when
     * {@code changed} (the command counted changes), and are dropped otherwise.
     */
    public void commit(boolean changed) {
        ArrayList<WatchedKey> p = pending.get();
        if (p.isEmpty()) {
            return;
        }
        if (changed) {
            for (int i = 0; i < p.size(); i++) {
                p.get(i).owner.watchedKeyChanged();
            }
        }
        p.clear();
    }
}
