package io.cachalot.core.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * A pub/sub message as an in-process subscriber receives it: the channel it was published to,
 * its payload and, for a pattern subscription, the pattern that matched. The arrays are shared by
 * every in-process subscriber of one publish: read them, do not change them.
 */
public final class Message {
    /** Bookkeeping per queued message, added to its bytes when it counts against output limits. */
    static final int OVERHEAD = 64;

    private final byte[] channel;
    private final byte[] message;
    private final byte[] pattern;
    private final boolean shard;

    Message(byte[] channel, byte[] message, byte[] pattern, boolean shard) {
        this.channel = channel;
        this.message = message;
        this.pattern = pattern;
        this.shard = shard;
    }

    /** The channel the message was published to. */
    public byte[] channel() {
        return channel;
    }

    /** The payload. */
    public byte[] message() {
        return message;
    }

    /** The pattern that matched the channel (a PSUBSCRIBE delivery), or null for a channel subscription. */
    public byte[] pattern() {
        return pattern;
    }

    /** Whether the message came by SPUBLISH to a shard channel. */
    public boolean isShard() {
        return shard;
    }

    /** The channel decoded as UTF-8. */
    public String channelText() {
        return new String(channel, StandardCharsets.UTF_8);
    }

    /** The payload decoded as UTF-8. */
    public String text() {
        return new String(message, StandardCharsets.UTF_8);
    }

    /** What the message holds, for output-buffer accounting. */
    long size() {
        return OVERHEAD + channel.length + message.length + (pattern == null ? 0 : pattern.length);
    }

    @Override
    public String toString() {
        return (pattern == null ? "" : new String(pattern, StandardCharsets.UTF_8) + " ") + channelText() + ": "
                + text();
    }
}
