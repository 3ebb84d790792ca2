package io.cachalot.core.pubsub;

/**
 * Receives the messages of an in-process {@link Subscription}: those PUBLISH and SPUBLISH send
 * from any client of the engine (embedded or RESP) and keyspace notifications. Calls for one
 * subscription come one at a time, in the order the messages were published, on the
 * subscription's executor, never on the publisher's thread: a slow listener delays only itself.
 */
@FunctionalInterface
public interface MessageListener {
    /** One message. An exception thrown here is logged and the next message is delivered. */
    void onMessage(Message message);

    /**
     * The subscription ended without {@link Subscription#close()}: the listener fell behind past
     * {@code client-output-buffer-limit pubsub} (the messages still queued are dropped, as Redis
     * drops a slow subscriber's output), or the engine closed. Called once, after the last message.
     */
    default void onClosed(String reason) {
    }
}
