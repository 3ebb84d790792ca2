package io.cachalot.core.pubsub;

import io.cachalot.core.client.Session;
import io.cachalot.core.config.OutputBufferLimits;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-process subscriber: a client of the engine without a connection whose messages go to a
 * {@link MessageListener}. It subscribes to channels, patterns and shard channels as a RESP
 * client does (PUBSUB NUMSUB and NUMPAT count it, keyspace notifications reach it) and receives
 * what any client publishes. A publish only queues the message here; the subscription's executor
 * delivers the queue in order, one message at a time, so a publisher never runs a listener and
 * never waits for one. What is queued counts as a pub/sub client's output: past
 * {@code client-output-buffer-limit pubsub} the subscription is ended as Redis disconnects a
 * slow subscriber. Thread-safe; close it when done.
 */
public final class Subscription implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Subscription.class);
    /** With the pubsub class unlimited, a listener that never keeps up still cannot take the heap. */
    private static final long UNLIMITED_BOUND = Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8);

    private final PubSub pubsub;
    private final Session session;
    private final MessageListener listener;
    private final Executor executor;
    private final OutputBufferLimits limits;
    private final LongAdder limitDisconnections;
    private final Runnable release;

    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean closed;
    /** Why the engine ended it (told to the listener once), null while open or when the owner closed it. */
    private volatile String endReason;
    private boolean endTold;
    private long softLimitSince;

    /**
     * Made by the engine ({@code Engine.subscriber}); {@code release} forgets the session when
     * the subscription ends.
     */
    public Subscription(PubSub pubsub, Session session, MessageListener listener, Executor executor,
                        OutputBufferLimits limits, LongAdder limitDisconnections, Runnable release) {
        this.pubsub = pubsub;
        this.session = session;
        this.listener = listener;
        this.executor = executor;
        this.limits = limits;
        this.limitDisconnections = limitDisconnections;
        this.release = release;
    }

    /** The client id of this subscriber (as CLIENT ID would answer). */
    public long id() {
        return session.id();
    }

    /** SUBSCRIBE: listens to channels. */
    public Subscription subscribe(String... channels) {
        return change(PubSub.Kind.CHANNEL, true, utf8(channels));
    }

    /** SUBSCRIBE with binary channel names. */
    public Subscription subscribe(byte[]... channels) {
        return change(PubSub.Kind.CHANNEL, true, channels);
    }

    /** PSUBSCRIBE: listens to every channel matching glob-style patterns. */
    public Subscription psubscribe(String... patterns) {
        return change(PubSub.Kind.PATTERN, true, utf8(patterns));
    }

    /** PSUBSCRIBE with binary patterns. */
    public Subscription psubscribe(byte[]... patterns) {
        return change(PubSub.Kind.PATTERN, true, patterns);
    }

    /** SSUBSCRIBE: listens to shard channels (SPUBLISH). */
    public Subscription ssubscribe(String... channels) {
        return change(PubSub.Kind.SHARD, true, utf8(channels));
    }

    /** UNSUBSCRIBE: stops listening to channels; with none, to every channel. */
    public Subscription unsubscribe(String... channels) {
        return change(PubSub.Kind.CHANNEL, false, utf8(channels));
    }

    /** PUNSUBSCRIBE: drops patterns; with none, every pattern. */
    public Subscription punsubscribe(String... patterns) {
        return change(PubSub.Kind.PATTERN, false, utf8(patterns));
    }

    /** SUNSUBSCRIBE: stops listening to shard channels; with none, to every shard channel. */
    public Subscription sunsubscribe(String... channels) {
        return change(PubSub.Kind.SHARD, false, utf8(channels));
    }

    /** The names subscribed to, of one kind, in subscription order. */
    public List<byte[]> names(PubSub.Kind kind) {
        return pubsub.names(session, kind);
    }

    /** Whether the subscription is still open (not closed, not ended for falling behind). */
    public boolean isOpen() {
        return !closed;
    }

    private Subscription change(PubSub.Kind kind, boolean add, byte[][] names) {
        if (closed) {
            throw new IllegalStateException(endReason != null ? "subscription ended: " + endReason
                    : "subscription closed");
        }
        if (add) {
            for (byte[] n : names) {
                pubsub.subscribe(session, kind, n);
            }
        } else {
            List<byte[]> all = names.length == 0 ? pubsub.names(session, kind) : List.of(names);
            for (byte[] n : all) {
                pubsub.unsubscribe(session, kind, n);
            }
        }
        return this;
    }

    private static byte[][] utf8(String[] names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Leaves every channel and pattern; messages still queued are dropped. */
    @Override
    public void close() {
        end(null);
    }

    /** Called by a publisher: queues the message and makes sure a delivery runs. */
    void offer(Message m) {
        if (closed) {
            return;
        }
        long size = m.size();
        if (overLimit(pending.addAndGet(size))) {
            pending.addAndGet(-size);
            LOG.warn("Client id={} (in-process subscriber) scheduled to be closed ASAP for overcoming of output "
                    + "buffer limits.", session.id());
            limitDisconnections.increment();
            end("client-output-buffer-limit pubsub reached: the listener fell behind");
            return;
        }
        queue.add(m);
        schedule();
    }

    /** The pubsub class's hard limit, or its soft limit held longer than its seconds (as Redis). */
    private boolean overLimit(long used) {
        int cls = OutputBufferLimits.PUBSUB;
        if (!limits.limited(cls)) {
            return used > UNLIMITED_BOUND;
        }
        long hard = limits.hard(cls);
        long soft = limits.soft(cls);
        if (hard != 0 && used >= hard) {
            return true;
        }
        synchronized (this) {
            if (soft == 0 || used < soft) {
                softLimitSince = 0;
                return false;
            }
            long now = System.currentTimeMillis();
            if (softLimitSince == 0) {
                softLimitSince = now;
                return false;
            }
            return (now - softLimitSince) / 1000 > limits.softSeconds(cls);
        }
    }

    /** Ends the subscription once; a reason (the engine ended it) is told to the listener. */
    void end(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            endReason = reason;
            closed = true;
        }
        release.run();
        if (reason != null) {
            schedule(); // tells the listener, after the messages already being delivered
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                queue.clear();
                end("the subscription's executor refused delivery");
            }
        }
    }

    private void drain() {
        for (;;) {
            Message m;
            while ((m = queue.poll()) != null) {
                pending.addAndGet(-m.size());
                if (closed) {
                    continue; // dropped, as a closed client's output is
                }
                try {
                    listener.onMessage(m);
                } catch (RuntimeException e) {
                    LOG.warn("A pub/sub listener failed on a message of {}", m.channelText(), e);
                }
            }
            String reason = endReason;
            if (reason != null && !endTold) {
                endTold = true;
                try {
                    listener.onClosed(reason);
                } catch (RuntimeException e) {
                    LOG.warn("A pub/sub listener failed when told its subscription ended", e);
                }
            }
            scheduled.set(false);
            // a message queued after the poll above found the flag still set: take it over
            if (queue.isEmpty() && (endReason == null || endTold) || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
