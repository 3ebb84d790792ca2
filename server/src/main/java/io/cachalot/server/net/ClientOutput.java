package io.cachalot.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;

import java.util.ArrayDeque;

/**
 * A connection's replies on their way from the writer to the socket, in order. Direct buffers
 * the writer filled go to the channel as they come. A large bulk value arrives wrapped, not
 * copied (values are immutable), and is copied into direct memory one chunk at a time, only
 * while the channel is writable: a client that reads slowly holds at most the channel's
 * high-water mark of direct memory plus one chunk, however many large replies wait for it.
 * Everything behind such a value waits in the queue so that the order stays intact.
 *
 * <p>Every write goes to the channel as a direct buffer, so Netty never has to allocate on the
 * write path (a failure there would be dropped silently with a void promise). When a chunk
 * cannot be allocated, {@link #drain} reports it and the connection closes: a reply is
 * delivered whole or the client is disconnected, never cut short.
 */
final class ClientOutput {
    /** The most copied from a wrapped value into direct memory at a time. */
    static final int CHUNK = 256 * 1024;

    private final ChannelHandlerContext ctx;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    /** Bytes waiting in the queue, and how many of them sit in direct buffers of their own. */
    private long queued;
    private long queuedDirect;
    /** Something was written since the last flush. */
    private boolean unflushed;

    ClientOutput(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Takes a complete buffer of output; it goes out after everything added before it. */
    void add(ByteBuf buf) {
        if (queue.isEmpty() && buf.isDirect()) {
            write(buf);
            return;
        }
        queue.addLast(buf);
        int n = buf.readableBytes();
        queued += n;
        if (buf.isDirect()) {
            queuedDirect += n;
        }
    }

    private void write(ByteBuf buf) {
        ctx.write(buf, ctx.voidPromise());
        unflushed = true;
    }

    /**
     * Hands queued output to the channel while it stays writable. Returns false when a chunk
     * could not be allocated: the caller must close the connection.
     */
    boolean drain() {
        while (!queue.isEmpty() && ctx.channel().isWritable()) {
            ByteBuf head = queue.peekFirst();
            if (head.isDirect()) {
                queue.pollFirst();
                int n = head.readableBytes();
                queued -= n;
                queuedDirect -= n;
                write(head);
                continue;
            }
            int n = Math.min(head.readableBytes(), CHUNK);
            ByteBuf chunk;
            try {
                chunk = ctx.alloc().directBuffer(n);
            } catch (OutOfMemoryError e) {
                return false;
            }
            chunk.writeBytes(head, n);
            queued -= n;
            if (!head.isReadable()) {
                queue.pollFirst();
                head.release();
            }
            write(chunk);
        }
        return true;
    }

    /** Flushes what was written since the last flush; false when there was nothing. */
    boolean flush() {
        if (!unflushed) {
            return false;
        }
        unflushed = false;
        ctx.flush();
        return true;
    }

    /** Nothing waits in the queue and the channel takes more: the client may send more requests. */
    boolean accepting() {
        return queue.isEmpty() && ctx.channel().isWritable();
    }

    /** Bytes of output not yet sent: in the channel and in the queue (wrapped values included). */
    long pendingBytes() {
        return channelPending() + queued;
    }

    /** Buffers not yet sent (CLIENT LIST oll): the queue's, plus the channel's when it holds any. */
    int pendingBuffers() {
        return queue.size() + (channelPending() > 0 ? 1 : 0);
    }

    /**
     * Memory this output holds of its own: everything in the channel (direct copies) and the
     * direct buffers in the queue. Wrapped values are shared with the keyspace and not counted.
     */
    long ownedBytes() {
        return channelPending() + queuedDirect;
    }

    private long channelPending() {
        ChannelOutboundBuffer ob = ctx.channel().unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }

    /** Drops what is still queued (the connection closed). */
    void release() {
        ByteBuf b;
        while ((b = queue.pollFirst()) != null) {
            b.release();
        }
        queued = 0;
        queuedDirect = 0;
    }
}
