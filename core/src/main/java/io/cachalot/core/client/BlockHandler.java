package io.cachalot.core.client;

import io.cachalot.core.blocking.Waiter;

/**
 * Wakes a blocked client: called (on any thread) once its wait ended — served, timed out,
 * unblocked. The implementation continues the client on its own thread, where it calls
 * {@link io.cachalot.core.command.Dispatcher#finishBlocked} to write the reply.
 */
@FunctionalInterface
public interface BlockHandler {
    void resume(Waiter waiter);
}
