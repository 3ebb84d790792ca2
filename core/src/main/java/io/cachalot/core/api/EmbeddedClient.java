package io.cachalot.core.api;

import io.cachalot.core.Engine;
import io.cachalot.core.client.Session;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.Dispatcher;
import io.cachalot.core.command.Errors;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.pubsub.MessageListener;
import io.cachalot.core.pubsub.Subscription;
import io.cachalot.core.types.string.StringEncoding;
import io.cachalot.core.util.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * In-process access to an {@link Engine}, with no network and no RESP: any command through
 * {@link #call}, and direct typed operations for the hot paths. One client holds one session
 * (selected database, client flags) and is meant for one thread at a time; create one per thread
 * for parallel use — the engine itself is thread-safe.
 */
public final class EmbeddedClient {
    private final Engine engine;
    private final CommandContext context;
    private final Session session;
    private final ObjectReply reply = new ObjectReply();

    private final Object wakeUp = new Object();
    private boolean woken;

    public EmbeddedClient(Engine engine) {
        this.engine = engine;
        this.context = engine.newClient(null);
        this.session = context.session();
        reply.setErrorObserver(engine.errorObserver());
        session.setBlockHandler(() -> {
            synchronized (wakeUp) {
                woken = true;
                wakeUp.notifyAll();
            }
        });
    }

    public Session session() {
        return session;
    }

    /**
     * Runs any command and returns its reply as Java values (see {@link ObjectReply}); an error
     * reply is thrown as {@link CommandException}. Arguments are not copied: do not change them
     * afterwards.
     */
    public Object call(byte[]... args) {
        if (engine.execute(context, args, args.length, reply) == Dispatcher.BLOCKED) {
            // a blocking command (BLPOP ...) waits here, on the caller's thread
            boolean interrupted = false;
            synchronized (wakeUp) {
                while (!woken) {
                    try {
                        wakeUp.wait();
                    } catch (InterruptedException e) {
                        // an interrupted caller stops waiting as if CLIENT UNBLOCK had been sent
                        interrupted = true;
                        engine.blocking().unblock(session, false);
                    }
                }
                woken = false;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            engine.blocking().finish(session, reply);
        }
        Object v = reply.take();
        if (v instanceof ObjectReply.ReplyError) {
            throw new CommandException(((ObjectReply.ReplyError) v).message());
        }
        return v;
    }

    /**
     * PUBLISH: sends a message to the channel's subscribers, embedded ({@link #subscribe}) and
     * RESP clients alike; returns how many received it.
     */
    public long publish(byte[] channel, byte[] message) {
        return (Long) call(PUBLISH, channel, message);
    }

    /** {@link #publish(byte[], byte[])} with a UTF-8 channel and message. */
    public long publish(String channel, String message) {
        return publish(channel.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8));
    }

    private static final byte[] PUBLISH = "PUBLISH".getBytes(StandardCharsets.US_ASCII);

    /**
     * A new subscription whose messages go to {@code listener}, delivered in order on the
     * engine's subscriber threads (never on a publisher's). Subscribe to channels and patterns
     * on the returned object; close it when done. It is a client of its own, independent of this
     * one.
     */
    public Subscription subscribe(MessageListener listener) {
        return engine.subscriber(listener, null);
    }

    /** {@link #subscribe(MessageListener)} with the listener run by {@code executor}. */
    public Subscription subscribe(MessageListener listener, java.util.concurrent.Executor executor) {
        return engine.subscriber(listener, executor);
    }

    /** {@link #call} with UTF-8 string arguments. */
    public Object call(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return call(a);
    }

    /** GET without the command path: the value, or null when absent or expired. */
    public byte[] get(byte[] key) {
        int h = Bytes.hash(key);
        try (Segment seg = engine.keyspace().db(session.db()).lock(h)) {
            Entry e = engine.keyspace().lookupRead(seg, key, h, System.currentTimeMillis(), !session.noTouch());
            if (e == null) {
                return null;
            }
            if (!e.isType(ValueType.STRING)) {
                throw new CommandException(Errors.WRONGTYPE);
            }
            return e.bytes();
        }
    }

    /**
     * SET without the command path: stores a copy of {@code value}, clearing any time to live.
     * maxmemory applies as to the SET command: keys are evicted first when the engine is over its
     * limit, and when nothing may be evicted the write is refused with the OOM error.
     */
    public void set(byte[] key, byte[] value) {
        if (engine.evictor().performEvictions(System.currentTimeMillis())
                == io.cachalot.core.evict.Evictor.FAIL) {
            throw new CommandException(Errors.OOM);
        }
        byte[] k = key.clone();
        byte[] v = value.clone();
        int h = Bytes.hash(k);
        Segment seg = engine.keyspace().db(session.db()).lock(h);
        try {
            Entry e = seg.findLive(k, h, System.currentTimeMillis());
            io.cachalot.core.types.Encoding enc = StringEncoding.of(v);
            e = seg.store(k, h, e, v, ValueType.STRING, enc, false);
            e.setSharedInteger(StringEncoding.shared(v, enc, engine.sharedIntegers()));
        } finally {
            seg.unlock();
        }
        engine.keyspace().writeDone(1);
    }

    /** An error reply of an in-process command. */
    public static final class CommandException extends RuntimeException {
        public CommandException(String message) {
            super(message);
        }
    }
}
