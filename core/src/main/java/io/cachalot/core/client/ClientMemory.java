package io.cachalot.core.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory that client connections hold: input not yet run (query buffers and the arguments of the
 * command being read) and output not yet sent that a connection holds of its own. Redis counts
 * client buffers in used_memory, so this total takes part in maxmemory decisions and INFO
 * (mem_clients_normal). Each connection publishes the changes of its own figure, and takes its
 * figure back when it closes.
 */
public final class ClientMemory {
    private final AtomicLong total = new AtomicLong();

    /** Adds a connection's change (negative when it shrank); returns the new total. */
    public long add(long delta) {
        return total.addAndGet(delta);
    }

    /** Bytes all connections hold. */
    public long total() {
        return total.get();
    }
}
