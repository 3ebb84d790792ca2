package io.cachalot.core.client;

/**
 * Wakes a blocked client: called (on any thread) once its wait ended — served, timed out,
 * unblocked. The implementation continues the client on its own thread, where it asks the
 * engine's blocking registry to write the end of the command ({@code BlockingRegistry.finish}).
 */
@FunctionalInterface
public interface BlockHandler {
    void resume();
}
