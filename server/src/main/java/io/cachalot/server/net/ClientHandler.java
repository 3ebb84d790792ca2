package io.cachalot.server.net;

import io.cachalot.core.Engine;
import io.cachalot.core.client.ClientConnection;
import io.cachalot.core.client.Session;
import io.cachalot.core.command.Dispatcher;
import io.cachalot.core.command.Repr;
import io.cachalot.core.command.connection.ClientCommands;
import io.cachalot.core.config.OutputBufferLimits;
import io.cachalot.core.config.Settings;
import io.cachalot.core.evict.Evictor;
import io.cachalot.core.stats.ServerStats;
import io.cachalot.server.log.Fatal;
import io.cachalot.server.resp.RespParser;
import io.cachalot.server.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection: parses requests as they arrive, runs each command on this channel's
 * event loop against the engine, and writes the replies of a whole read batch, with the messages
 * other clients' commands made for it, in one flush at the end of the loop's turn (TurnFlush), so
 * a pipeline of many commands costs one system call.
 *
 * <p>It also keeps the client's memory in bounds. Input — unparsed bytes and the arguments of the
 * command being read — counts toward client-query-buffer-limit, and grows only while data and
 * client buffers stay under the heap ceiling ({@link Evictor#clientsMayTake}); past either the
 * client is closed with Redis' log line. Output is bounded by client-output-buffer-limit, and a
 * reply is delivered whole or the client is disconnected with a log line, never cut short.
 * What the connection holds is published to the engine's client memory (used_memory).
 */
final class ClientHandler extends ChannelInboundHandlerAdapter
        implements ClientConnection, RespParser.Handler, RespWriter.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Redis' answer to a connection from another host in protected mode (no password set). */
    private static final byte[] PROTECTED_MODE = ("-DENIED Redis is running in protected mode because protected "
            + "mode is enabled and no password is set for the default user. "
            + "In this mode connections are only accepted from the loopback interface. "
            + "If you want to connect from external computers to Redis you "
            + "may adopt one of the following solutions: "
            + "1) Just disable protected mode sending the command "
            + "'CONFIG SET protected-mode no' from the loopback interface "
            + "by connecting to Redis from the same host the server is "
            + "running, however MAKE SURE Redis is not publicly accessible "
            + "from internet if you do so. Use CONFIG REWRITE to make this "
            + "change permanent. "
            + "2) Alternatively you can just disable the protected mode by "
            + "editing the Redis configuration file, and setting the protected "
            + "mode option to 'no', and then restarting the server. "
            + "3) If you started the server manually just for testing, restart "
            + "it with the '--protected-mode no' option. "
            + "4) Setup a an authentication password for the default user. "
            + "NOTE: You only need to do one of the above things in order for "
            + "the server to start accepting connections from the outside.\r\n").getBytes(StandardCharsets.US_ASCII);
    /** A client holding more input than this after a read takes part in the heap-ceiling check. */
    private static final long SMALL_INPUT = 64 * 1024;
    /**
     * Redis' static reply buffer (PROTO_REPLY_CHUNK_BYTES): output limits and CLIENT LIST omem
     * count only the output beyond it, as Redis counts only its reply list.
     */
    private static final long REPLY_BUFFER = 16 * 1024;
    /** The inbox grows by this many messages at a time. */
    private static final int INBOX_CHUNK = 64;
    /** The size of a buffer that gathers messages between flushes. */
    private static final int FEED_CHUNK = 8 * 1024;

    private final Engine engine;
    private final ServerStats stats;
    private final Settings settings;
    private final RespParser parser = new RespParser(this);
    private ChannelHandlerContext ctx;
    private Channel channel;
    private Session session;
    /** The context this client's commands run in (owns {@link #session}). */
    private io.cachalot.core.command.CommandContext context;
    private RespWriter writer;
    private ClientOutput output;
    private ByteBuf cum;
    /** Reader index of {@link #cum} where the current read batch began (CLIENT LIST qbuf counts from it). */
    private int qbufStart;
    private boolean closeAfterReply;
    /** The connection is closing or closed: nothing more is read, run or written. */
    private boolean closed;
    private boolean waitingForUnpause;
    /** A blocking command of this client waits on keys: input is not processed meanwhile. */
    private boolean blocked;
    /** The auto-read state last given to the channel. */
    private boolean reading = true;
    /** The bytes this connection has added to the engine's client memory. */
    private long published;
    /** The last refusal of more input came from the heap ceiling, not the client's own limit. */
    private boolean heapLimited;
    /** When the output went over a soft limit and stayed (ms), 0 while under it. */
    private long softLimitSince;
    private String address = "";
    private String localAddress = "";
    /** Messages other threads send this connection, written by its event loop in batches. */
    private volatile Queue<byte[]> inbox;
    private final AtomicBoolean inboxScheduled = new AtomicBoolean();
    private final Runnable drainInboxTask = this::drainInbox;
    /** This connection waits in its loop's TurnFlush, for its replies or for messages. */
    private boolean flushRequested;
    private boolean messageFlushRequested;
    /** Messages were added since the output limits were last applied. */
    private boolean fed;
    /** Messages added since the last flush, gathered for one write; they precede the writer's output. */
    private ByteBuf feedBuf;

    ClientHandler(Engine engine) {
        this.engine = engine;
        this.stats = engine.stats();
        this.settings = engine.settings();
    }

    Session session() {
        return session;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.address = format(channel.remoteAddress());
        this.localAddress = format(channel.localAddress());
        if (engine.clients().size() >= settings.maxclients.value()) {
            stats.rejectedConnections.increment();
            closed = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(MAX_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (settings.protectedMode.value() && settings.requirepass.value().isEmpty() && !isLocal(channel.remoteAddress())) {
            stats.rejectedConnections.increment();
            closed = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(PROTECTED_MODE)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        writer = new RespWriter(ctx.alloc(), this);
        writer.setErrorObserver(engine.errorObserver());
        output = new ClientOutput(ctx);
        context = engine.newClient(this);
        session = context.session();
        session.setBlockHandler(() -> channel.eventLoop().execute(this::resumeAfterBlock));
        LOG.debug("Accepted {}", address);
    }

    /** Redis' islocalClient: 127.0.0.1 or ::1 exactly (an embedded channel counts as local). */
    static boolean isLocal(java.net.SocketAddress a) {
        if (!(a instanceof java.net.InetSocketAddress)) {
            return true;
        }
        java.net.InetAddress ip = ((java.net.InetSocketAddress) a).getAddress();
        if (ip instanceof java.net.Inet4Address) {
            byte[] b = ip.getAddress();
            return b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
        }
        return ip != null && ip.isLoopbackAddress();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (session != null) {
            engine.closeClient(context);
            LOG.trace("Client closed connection id={} addr={}", session.id(), address);
        }
        if (cum != null) {
            cum.release();
            cum = null;
        }
        if (writer != null) {
            writer.releaseAll();
        }
        if (feedBuf != null) {
            feedBuf.release();
            feedBuf = null;
        }
        if (output != null) {
            output.release();
        }
        unpublish();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Fatal.isFatal(cause)) {
            Fatal.report("the connection of client " + address, cause);
        } else if (cause instanceof OutOfMemoryError) {
            LOG.warn("Client {} closed: no direct memory left for its buffers ({})", clientInfo(), cause.getMessage());
        } else {
            LOG.debug("Closing client {}: {}", address, cause.toString());
        }
        closeNow();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!closed && output != null) {
            if (!output.drain()) {
                noMemoryForOutput();
            } else {
                context.awaitEffects();
                output.flush();
                finishCloseAfterReply();
                publishMemory();
                updateReading();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private static String format(java.net.SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
            return host + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    /** The client as CLIENT LIST describes it, for log lines (Redis logs the same). */
    private String clientInfo() {
        return session == null ? "addr=" + address : ClientCommands.describe(engine, session, System.currentTimeMillis());
    }

    /** Closes at once, dropping output not yet sent; the memory the connection held is given back. */
    private void closeNow() {
        if (!closed) {
            closed = true;
            unpublish();
        }
        channel.close();
    }

    /**
     * Back-pressure and state in one place: input is read while the client may send more — not
     * paused, not blocked, not closing, and its output drained into the channel below the
     * high-water mark.
     */
    private void updateReading() {
        boolean want = !closed && !waitingForUnpause && !blocked && !closeAfterReply && output.accepting();
        if (want != reading) {
            reading = want;
            channel.config().setAutoRead(want);
        }
    }

    // ------------------------------------------------------------------ input

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        stats.netInputBytes.add(in.readableBytes());
        stats.totalReadsProcessed.increment();
        if (session == null || closeAfterReply || closed) {
            in.release();
            return;
        }
        if (cum == null) {
            cum = in;
        } else {
            if (cum.writableBytes() < in.readableBytes() || cum.refCnt() > 1 || cum.isReadOnly()) {
                ByteBuf n = ctx.alloc().ioBuffer(cum.readableBytes() + in.readableBytes());
                n.writeBytes(cum);
                cum.release();
                cum = n;
            }
            cum.writeBytes(in);
            in.release();
        }
        qbufStart = cum.readerIndex();
        if (!waitingForUnpause && !blocked) {
            process();
        }
    }

    /** Parses and runs what has arrived; stops at a CLIENT PAUSE, a blocking command, QUIT or a protocol error. */
    private void process() {
        qbufStart = cum.readerIndex();
        try {
            if (!parser.parse(cum) && !closeAfterReply && !blocked && !closed) {
                waitForUnpause();
            }
        } catch (RespParser.ProtocolException e) {
            writer.setDiscard(false);
            writer.error("ERR " + e.getMessage());
            LOG.debug("Protocol error ({}) from client: {}", e.getMessage(), address);
            closeAfterReply = true;
        } catch (RespParser.InputLimitException e) {
            closeForInputLimit(e.getMessage());
            return;
        }
        if (closed) {
            return;
        }
        if (cum != null) {
            if (!cum.isReadable()) {
                cum.release();
                cum = null;
            } else {
                cum.discardSomeReadBytes();
                qbufStart = cum.readerIndex();
            }
        }
        if (closeAfterReply) {
            return;
        }
        long input = inputBytes();
        if (input > settings.clientQueryBufferLimit.value()) {
            closeForInputLimit(null);
            return;
        }
        publishMemory();
        if (input > SMALL_INPUT && !engine.evictor().clientsMayTake(0)) {
            heapLimited = true;
            closeForInputLimit(null);
        }
    }

    /** Input held: unparsed bytes and what the parser holds (arguments, a partial big argument). */
    private long inputBytes() {
        ByteBuf c = cum;
        return (c == null ? 0 : c.readableBytes()) + parser.heldBytes();
    }

    /** Redis' readQueryFromClient limit: the client is closed, without a reply. */
    private void closeForInputLimit(String detail) {
        LOG.warn("Closing client that reached max query buffer length: {} (qbuf initial bytes: {})", clientInfo(),
                initialBytes());
        if (heapLimited) {
            LOG.warn("(its input{} would have taken data and client buffers past {}% of the JVM's maximum heap:"
                    + " client-query-buffer-limit is bounded by the heap)", detail == null ? "" : ", " + detail,
                    Evictor.CLIENT_CEILING_PERCENT);
        }
        stats.clientQueryBufferLimitDisconnections.increment();
        closeNow();
    }

    /** The first 64 bytes of the query buffer, quoted (Redis' sdscatrepr(querybuf, 64)). */
    private String initialBytes() {
        ByteBuf c = cum;
        if (c == null || !c.isReadable()) {
            return "\"\"";
        }
        byte[] b = new byte[Math.min(64, c.readableBytes())];
        c.getBytes(c.readerIndex(), b);
        return Repr.of(b);
    }

    @Override
    public boolean mayHold(long bytes) {
        if (inputBytes() + bytes > settings.clientQueryBufferLimit.value()) {
            return false;
        }
        if (!engine.evictor().clientsMayTake(bytes)) {
            heapLimited = true;
            return false;
        }
        // counted at once, so that the command this argument belongs to sees it in used memory
        // (as Redis' used_memory holds its argv); the next publication settles the figure
        published += bytes;
        engine.clientMemory().add(bytes);
        return true;
    }

    private void waitForUnpause() {
        waitingForUnpause = true;
        updateReading();
        engine.pause().whenUnpaused(() -> channel.eventLoop().execute(this::resumeAfterPause));
    }

    private void resumeAfterPause() {
        if (!channel.isActive() || closed) {
            return;
        }
        waitingForUnpause = false;
        if (!parser.resume()) {
            if (!closed) {
                waitForUnpause();
            }
            return;
        }
        if (cum != null && !closeAfterReply && !closed) {
            process();
        }
        flushAtEndOfTurn(false);
    }

    @Override
    public int command(byte[][] argv, int argc) {
        if (closeAfterReply || closed) {
            return RespParser.CONTINUE; // the rest of a pipeline after QUIT is ignored, as in Redis
        }
        if (published > SMALL_INPUT) {
            // a large command: used memory holds exactly its arguments while it runs (Redis' argv)
            publish(true);
        }
        writer.beginCommand();
        int r = engine.execute(context, argv, argc, writer);
        if (writer.broken()) {
            LOG.warn("Client {} closed: its reply could not be completed (out of memory)", clientInfo());
            closeNow();
            return RespParser.STOP;
        }
        if (r == Dispatcher.PAUSED) {
            return RespParser.HOLD;
        }
        if (published > SMALL_INPUT) {
            // the arguments go now (a stored value is the keyspace's to count): settle the figure
            // before the next command of this batch looks at used memory
            publish(false);
        }
        if (r == Dispatcher.BLOCKED) {
            blocked = true;
            updateReading();
            return RespParser.STOP;
        }
        return outputLimitReached(true) ? RespParser.STOP : RespParser.CONTINUE;
    }

    /** The blocking command ended (served, timed out, unblocked): reply, then go on with the input. */
    private void resumeAfterBlock() {
        if (!channel.isActive() || !blocked || closed) {
            return;
        }
        blocked = false;
        engine.finishParked(session, writer);
        if (cum != null && !closeAfterReply) {
            process();
        }
        flushAtEndOfTurn(false);
    }

    @Override
    public long maxBulkLength() {
        return settings.protoMaxBulkLen.value();
    }

    @Override
    public boolean authRequired() {
        return !session.authenticated() && !settings.requirepass.value().isEmpty();
    }

    // ------------------------------------------------------------------ output

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushAtEndOfTurn(false);
    }

    private void flush() {
        if (writer == null || closed) {
            return;
        }
        emitFeed();
        if (writer.hasPending()) {
            emit(writer.takeForWrite());
        }
        if (!output.drain()) {
            noMemoryForOutput();
            return;
        }
        // what the batch's commands logged reaches the AOF before their replies leave; under
        // appendfsync always they leave after the loop's one sync for this turn (SyncBatch)
        long logged = context.awaitEffectsWritten();
        if (logged >= 0 && !engine.effects().isDurable(logged)) {
            SyncBatch.add(channel.eventLoop(), engine.effects(), this, logged);
            return;
        }
        flushOutput();
    }

    /** The AOF sync this client's replies waited for is done. */
    void flushAfterSync() {
        if (!closed && writer != null) {
            flushOutput();
        }
    }

    private void flushOutput() {
        if (output.flush()) {
            stats.totalWritesProcessed.increment();
        }
        finishCloseAfterReply();
        publishMemory();
        updateReading();
    }

    /** QUIT or a protocol error: close once everything before it has been written. */
    private void finishCloseAfterReply() {
        if (closeAfterReply && !closed && output.accepting()) {
            closed = true;
            unpublish();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void noMemoryForOutput() {
        LOG.warn("Client {} closed: no direct memory left to send its output", clientInfo());
        closeNow();
    }

    @Override
    public void emit(ByteBuf buf) {
        // messages gathered before this reply go first
        emitFeed();
        send(buf);
    }

    private void emitFeed() {
        ByteBuf f = feedBuf;
        if (f != null) {
            feedBuf = null;
            send(f);
        }
    }

    private void send(ByteBuf buf) {
        stats.netOutputBytes.add(buf.readableBytes());
        output.add(buf);
    }

    /**
     * Redis' client-output-buffer-limit: over the hard limit, or over the soft limit for longer
     * than its seconds, the client is closed (its pending output dropped) with Redis' log line.
     * {@code async} says whether a reply was just added (else a timer checks). True when closed.
     */
    private boolean outputLimitReached(boolean async) {
        OutputBufferLimits limits = settings.clientOutputBufferLimit;
        int cls = limitClass();
        if (!limits.limited(cls)) {
            softLimitSince = 0;
            return false;
        }
        long used = replyListBytes();
        long hard = limits.hard(cls);
        long soft = limits.soft(cls);
        boolean over = hard != 0 && used >= hard;
        if (soft != 0 && used >= soft) {
            long now = System.currentTimeMillis();
            long seconds = limits.softSeconds(cls);
            if (softLimitSince == 0) {
                softLimitSince = now;
                // a client that reads nothing sends no command either: a timer looks again
                ctx.executor().schedule(() -> {
                    if (!closed) {
                        outputLimitReached(false);
                    }
                }, (seconds + 1) * 1000, TimeUnit.MILLISECONDS);
            } else if ((now - softLimitSince) / 1000 > seconds) {
                over = true;
            }
        } else {
            softLimitSince = 0;
        }
        if (!over) {
            return false;
        }
        if (async) {
            LOG.warn("Client {} scheduled to be closed ASAP for overcoming of output buffer limits.", clientInfo());
        } else {
            LOG.warn("Client {} closed for overcoming of output buffer limits.", clientInfo());
        }
        stats.clientOutputBufferLimitDisconnections.increment();
        closeNow();
        return true;
    }

    /**
     * The client class whose output limits apply, as Redis' getClientType: a subscriber (any
     * protocol) is a pub/sub client; MONITOR clients count as normal ones. Replicas come later.
     */
    private int limitClass() {
        return engine.pubsub().isSubscribed(session) ? OutputBufferLimits.PUBSUB : OutputBufferLimits.NORMAL;
    }

    /** Publishes the change of what this connection holds to the engine's client memory. */
    private void publishMemory() {
        publish(true);
    }

    /** As {@link #publishMemory}; without {@code args}, the parser's arguments (about to go) are left out. */
    private void publish(boolean args) {
        if (closed) {
            return;
        }
        ByteBuf c = cum;
        long now = (c == null ? 0 : c.capacity()) + (args ? parser.heldBytes() : 0) + output.ownedBytes();
        long d = now - published;
        if (d != 0) {
            published = now;
            engine.clientMemory().add(d);
        }
    }

    private void unpublish() {
        if (published != 0) {
            engine.clientMemory().add(-published);
            published = 0;
        }
    }

    // ------------------------------------------------------------------ ClientConnection

    @Override
    public String address() {
        return address;
    }

    @Override
    public String localAddress() {
        return localAddress;
    }

    @Override
    public int fd() {
        return Transport.fd(channel);
    }

    @Override
    public boolean isLocal() {
        java.net.SocketAddress a = channel.remoteAddress();
        return a instanceof InetSocketAddress && ((InetSocketAddress) a).getAddress() != null
                && ((InetSocketAddress) a).getAddress().isLoopbackAddress();
    }

    @Override
    public long queryBufferLength() {
        ByteBuf c = cum;
        return (c == null ? 0 : c.writerIndex() - qbufStart) + parser.partialBytes();
    }

    @Override
    public long queryBufferFree() {
        ByteBuf c = cum;
        return c == null ? 0 : c.capacity() - c.writerIndex();
    }

    @Override
    public long argvLength() {
        return parser.argvLength();
    }

    /** Output not yet sent: in the channel, in the queue and in the writer. */
    private long outputBytes() {
        ByteBuf f = feedBuf;
        return output == null ? 0 : output.pendingBytes() + writer.pendingBytes() + (f == null ? 0 : f.readableBytes());
    }

    /** The output beyond Redis' static reply buffer: what Redis would hold in its reply list. */
    private long replyListBytes() {
        return Math.max(0, outputBytes() - REPLY_BUFFER);
    }

    @Override
    public long outputBufferLength() {
        return outputBytes() - replyListBytes();
    }

    @Override
    public long outputListLength() {
        return replyListBytes() == 0 ? 0 : output.pendingBuffers();
    }

    @Override
    public long pendingOutputBytes() {
        return replyListBytes();
    }

    @Override
    public long memoryUsage() {
        ByteBuf c = cum;
        return (c == null ? 0 : c.capacity()) + parser.heldBytes() + outputBytes();
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public void closeAfterReply() {
        closeAfterReply = true;
    }

    /**
     * The hard limit of a feed (MONITOR) when the client's class has none: a client that does not
     * read its feed is closed before it holds more than this (Redis' replica default, and no more
     * than an eighth of the heap).
     */
    private static final long FEED_LIMIT = Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8);

    @Override
    public void sendAsync(byte[] data) {
        if (channel.eventLoop().inEventLoop()) {
            // a message made on this connection's own thread (a keyspace event of a command this
            // client or a neighbour runs) goes where Redis writes it: behind what is written so far
            Queue<byte[]> q = inbox;
            if (q != null && !q.isEmpty()) {
                drainInbox();
            }
            feed(data);
            flushAtEndOfTurn(true);
        } else {
            // one wake-up of the event loop per batch, not per message: the loop writes all that
            // arrived meanwhile and flushes once (Redis writes its clients once per loop turn)
            inbox().offer(data);
            if (!inboxScheduled.get() && inboxScheduled.compareAndSet(false, true)) {
                channel.eventLoop().execute(drainInboxTask);
            }
        }
    }

    /** Made on the first message from another thread: most connections never get one. */
    private Queue<byte[]> inbox() {
        Queue<byte[]> q = inbox;
        if (q == null) {
            synchronized (this) {
                q = inbox;
                if (q == null) {
                    q = PlatformDependent.newMpscQueue(INBOX_CHUNK, 1 << 30);
                    inbox = q;
                }
            }
        }
        return q;
    }

    private void drainInbox() {
        inboxScheduled.set(false);
        Queue<byte[]> q = inbox;
        byte[] d;
        while ((d = q.poll()) != null) {
            feed(d);
        }
        // with the messages this loop's own commands made: one flush per turn
        flushAtEndOfTurn(true);
    }

    /**
     * This connection has output for the end of the loop's turn (TurnFlush): messages for it
     * ({@code message}), or replies to its own commands.
     */
    private void flushAtEndOfTurn(boolean message) {
        if (message ? !messageFlushRequested : !flushRequested && !messageFlushRequested) {
            if (message) {
                messageFlushRequested = true;
            } else {
                flushRequested = true;
            }
            TurnFlush.add(channel.eventLoop(), this, message, engine.tracking());
        }
    }

    /**
     * The loop's turn ends: this connection's replies and messages leave together, and the output
     * limits apply when messages were added (as Redis applies them per message).
     */
    void endOfTurn() {
        flushRequested = false;
        messageFlushRequested = false;
        flush();
        if (fed && !closed && output != null) {
            fed = false;
            outputLimitReached(true);
        }
    }

    /** Adds a message (pub/sub, invalidation, MONITOR line) behind this connection's output. */
    private void feed(byte[] data) {
        if (closed || output == null) {
            return;
        }
        // the size first: the class costs a look-up, and this runs per message
        if (outputBytes() + data.length > FEED_LIMIT
                && !settings.clientOutputBufferLimit.limited(limitClass())) {
            LOG.warn("Client {} scheduled to be closed ASAP for overcoming of output buffer limits.", clientInfo());
            stats.clientOutputBufferLimitDisconnections.increment();
            closeNow();
            return;
        }
        if (writer.hasPending()) {
            emit(writer.takeForWrite());
        }
        // messages share buffers until the next flush: one channel write per buffer, not per message
        ByteBuf b = feedBuf;
        if (b == null || b.writableBytes() < data.length) {
            emitFeed();
            try {
                b = ctx.alloc().ioBuffer(Math.max(FEED_CHUNK, data.length));
            } catch (OutOfMemoryError e) {
                exceptionCaught(ctx, e);
                return;
            }
            feedBuf = b;
        }
        b.writeBytes(data);
        fed = true;
    }
}
