package io.cachalot.server.net;

import io.cachalot.core.Engine;
import io.cachalot.core.client.ClientConnection;
import io.cachalot.core.client.Session;
import io.cachalot.core.command.Dispatcher;
import io.cachalot.core.stats.ServerStats;
import io.cachalot.server.resp.RespParser;
import io.cachalot.server.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One client connection: parses requests as they arrive, runs each command on this channel's
 * event loop against the engine, and writes the replies of a whole read batch with one flush
 * (channelReadComplete), so a pipeline of many commands costs one system call.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter
        implements ClientConnection, RespParser.Handler, RespWriter.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Engine engine;
    private final ServerStats stats;
    private final RespParser parser = new RespParser(this);
    private ChannelHandlerContext ctx;
    private Channel channel;
    private Session session;
    private RespWriter writer;
    private ByteBuf cum;
    private boolean closeAfterReply;
    private boolean flushNeeded;
    private boolean waitingForUnpause;
    /** A blocking command of this client waits on keys: input is not processed meanwhile. */
    private boolean blocked;
    private String address = "";
    private String localAddress = "";

    ClientHandler(Engine engine) {
        this.engine = engine;
        this.stats = engine.stats();
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
        if (engine.clients().size() >= engine.settings().maxclients.value()) {
            stats.rejectedConnections.increment();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(MAX_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        writer = new RespWriter(ctx.alloc(), this);
        writer.setErrorObserver(engine.errorObserver());
        session = engine.newSession(this);
        session.setBlockHandler(w -> channel.eventLoop().execute(this::resumeAfterBlock));
        LOG.debug("Accepted {}", address);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            engine.closeSession(session);
            LOG.trace("Client closed connection id={} addr={}", session.id(), address);
        }
        if (cum != null) {
            cum.release();
            cum = null;
        }
        if (writer != null) {
            writer.releaseAll();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Closing client {}: {}", address, cause.toString());
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Back-pressure: a client that does not read its replies stops being read from.
        if (!waitingForUnpause && !blocked) {
            channel.config().setAutoRead(channel.isWritable());
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

    // ------------------------------------------------------------------ input

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        stats.netInputBytes.add(in.readableBytes());
        stats.totalReadsProcessed.increment();
        if (session == null || closeAfterReply) {
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
        if (!waitingForUnpause && !blocked) {
            process();
        }
    }

    /** Parses and runs what has arrived; stops at a CLIENT PAUSE, a blocking command, QUIT or a protocol error. */
    private void process() {
        try {
            if (!parser.parse(cum) && !closeAfterReply && !blocked) {
                waitForUnpause();
            }
        } catch (RespParser.ProtocolException e) {
            writer.setDiscard(false);
            writer.error("ERR " + e.getMessage());
            LOG.debug("Protocol error ({}) from client: {}", e.getMessage(), address);
            closeAfterReply = true;
        }
        if (cum != null) {
            long pendingBytes = cum.readableBytes() + parser.partialBytes();
            if (!closeAfterReply && pendingBytes > engine.settings().clientQueryBufferLimit.value()) {
                LOG.warn("Closing client that reached max query buffer length: addr={} qbuf={}", address, pendingBytes);
                stats.clientQueryBufferLimitDisconnections.increment();
                cum.release();
                cum = null;
                channel.close();
                return;
            }
            if (!cum.isReadable()) {
                cum.release();
                cum = null;
            } else {
                cum.discardSomeReadBytes();
            }
        }
    }

    private void waitForUnpause() {
        waitingForUnpause = true;
        channel.config().setAutoRead(false);
        engine.pause().whenUnpaused(() -> channel.eventLoop().execute(this::resumeAfterPause));
    }

    private void resumeAfterPause() {
        if (!channel.isActive()) {
            return;
        }
        waitingForUnpause = false;
        if (!parser.resume()) {
            waitForUnpause();
            return;
        }
        if (cum != null && !closeAfterReply) {
            process();
        }
        flush();
        if (!waitingForUnpause && !blocked && !closeAfterReply) {
            channel.config().setAutoRead(channel.isWritable());
        }
    }

    @Override
    public int command(byte[][] argv, int argc) {
        if (closeAfterReply) {
            return RespParser.CONTINUE; // the rest of a pipeline after QUIT is ignored, as in Redis
        }
        int r = engine.execute(session.context(), argv, argc, writer);
        if (r == Dispatcher.PAUSED) {
            return RespParser.HOLD;
        }
        if (r == Dispatcher.BLOCKED) {
            blocked = true;
            channel.config().setAutoRead(false);
            return RespParser.STOP;
        }
        return RespParser.CONTINUE;
    }

    /** The blocking command ended (served, timed out, unblocked): reply, then go on with the input. */
    private void resumeAfterBlock() {
        if (!channel.isActive() || !blocked) {
            return;
        }
        blocked = false;
        engine.dispatcher().finishBlocked(session, writer);
        if (cum != null && !closeAfterReply) {
            process();
        }
        flush();
        if (!waitingForUnpause && !blocked && !closeAfterReply) {
            channel.config().setAutoRead(channel.isWritable());
        }
    }

    @Override
    public long maxBulkLength() {
        return engine.settings().protoMaxBulkLen.value();
    }

    @Override
    public boolean authRequired() {
        return !session.authenticated() && !engine.settings().requirepass.value().isEmpty();
    }

    // ------------------------------------------------------------------ output

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    private void flush() {
        if (writer == null) {
            return;
        }
        if (writer.hasPending()) {
            emit(writer.takeForWrite());
        }
        if (flushNeeded) {
            flushNeeded = false;
            stats.totalWritesProcessed.increment();
            if (closeAfterReply) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.flush();
        } else if (closeAfterReply) {
            ctx.close();
        }
    }

    @Override
    public void emit(ByteBuf buf) {
        stats.netOutputBytes.add(buf.readableBytes());
        ctx.write(buf, ctx.voidPromise());
        flushNeeded = true;
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
        return (c == null ? 0 : c.readableBytes()) + parser.partialBytes();
    }

    @Override
    public long pendingOutputBytes() {
        ChannelOutboundBuffer ob = channel.unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
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
     * A MONITOR client that does not read its feed is disconnected once this much is queued for
     * it, as Redis' client-output-buffer-limit does for replicas and monitors (256mb hard limit).
     */
    private static final long ASYNC_OUTPUT_LIMIT = 256L * 1024 * 1024;

    @Override
    public void sendAsync(byte[] data) {
        if (pendingOutputBytes() > ASYNC_OUTPUT_LIMIT) {
            LOG.warn("Client addr={} scheduled to be closed ASAP for overcoming of output buffer limits.", address);
            channel.close();
            return;
        }
        stats.netOutputBytes.add(data.length);
        channel.writeAndFlush(Unpooled.wrappedBuffer(data), channel.voidPromise());
    }
}
