package io.cachalot.core.types.stream;

/**
 * A delivered, not yet acknowledged entry of a consumer group (Redis' streamNACK): who has it,
 * when it was last delivered and how many times. The group's and the owner's pending lists share
 * the one instance.
 */
public final class PendingEntry {
    public long deliveryTime;
    public long deliveryCount;
    /** The owner; null only for an entry XCLAIM FORCE created this instant, or one loaded before its consumer. */
    Consumer consumer;

    PendingEntry(Consumer consumer, long deliveryTime, long deliveryCount) {
        this.consumer = consumer;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
    }

    public Consumer consumer() {
        return consumer;
    }
}
