package io.cachalot.core.propagate;

/**
 * Where the {@link EffectLog} delivers the effects of writes, in the order they were applied: the
 * AOF now, replicas later. Called by one thread at a time.
 */
public interface EffectSink {
    /** Takes the next bytes of the stream (commands in RESP form); they must not be kept. */
    void append(byte[] b, int off, int len);

    /**
     * Hands what was appended to the system (Redis' write(2) before replying). Returns the
     * sink's position after it, which {@link #awaitDurable} takes.
     */
    long flush();

    /** Returns once everything up to {@code position} is as durable as the sink promises (fsync always). */
    void awaitDurable(long position);

    /** Whether everything up to {@code position} is already as durable as the sink promises. */
    default boolean isDurable(long position) {
        return true;
    }

    /** A marker the log reached in order (e.g. where an AOF rewrite's snapshot was taken). */
    default void marker(Object marker) {
    }
}
