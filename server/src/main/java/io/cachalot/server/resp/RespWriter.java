package io.cachalot.server.resp;

import io.cachalot.core.command.Reply;
import io.cachalot.core.util.Doubles;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Writes replies as RESP2 or RESP3 bytes straight into an outbound {@link ByteBuf}: no
 * intermediate objects, integers formatted in place. Large bulk strings are not copied: the
 * pending buffer is handed on and the value's (immutable) array is wrapped instead.
 */
public final class RespWriter extends Reply {
    /** Bulk strings at least this long are wrapped rather than copied. */
    static final int WRAP_THRESHOLD = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ONE = ":1\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Receives buffers that are complete and must go out before anything written later. */
    public interface Sink {
        void emit(ByteBuf buf);
    }

    private final ByteBufAllocator alloc;
    private final Sink sink;
    private ByteBuf out;
    /** The last flushed buffer, kept (retained) for reuse once the channel has written it. */
    private ByteBuf spare;
    private int protocol = 2;
    private boolean discard;
    /** Bytes handed on so far, and where the writer stood when the current command began. */
    private long handedOn;
    private long commandStart;
    /** A reply was given up half-written ({@link #outOfMemory}): nothing more may follow it. */
    private boolean broken;
    private final byte[] digits = new byte[20];

    public RespWriter(ByteBufAllocator alloc, Sink sink) {
        this.alloc = alloc;
        this.sink = sink;
    }

    /** The buffered output so far (may be null); the caller takes ownership. */
    public ByteBuf take() {
        ByteBuf b = out;
        out = null;
        if (b != null) {
            handedOn += b.writerIndex();
        }
        return b;
    }

    /** Bytes this writer has produced so far (a buffer's bytes all start at index 0). */
    private long produced() {
        ByteBuf b = out;
        return handedOn + (b == null ? 0 : b.writerIndex());
    }

    /** Notes where the reply of the command about to run begins (see {@link #outOfMemory}). */
    public void beginCommand() {
        commandStart = produced();
    }

    /**
     * The command ran out of memory: with nothing of its reply written yet, the reply is the
     * error; otherwise the reply cannot be completed, and the writer is {@link #broken()}: it
     * drops everything from now on and the connection must close without sending more.
     */
    @Override
    public void outOfMemory(String error) {
        if (!broken && produced() == commandStart) {
            error(error);
            return;
        }
        broken = true;
        discard = true;
    }

    /** True once a reply was given up half-written: the connection must close. */
    public boolean broken() {
        return broken;
    }

    public boolean hasPending() {
        return out != null && out.isReadable();
    }

    /** Bytes written and not yet handed on (CLIENT LIST obl). */
    public int pendingBytes() {
        ByteBuf b = out;
        return b == null ? 0 : b.readableBytes();
    }

    private ByteBuf buf() {
        ByteBuf b = out;
        if (b == null) {
            b = out = fresh();
        }
        return b;
    }

    /**
     * An empty output buffer: the previous one when the channel is done with it (the usual case,
     * as a flush on the event loop writes at once), else a new pooled one.
     */
    private ByteBuf fresh() {
        ByteBuf s = spare;
        if (s != null) {
            spare = null;
            if (s.refCnt() == 1) {
                s.clear();
                return s;
            }
            s.release();
        }
        return alloc.ioBuffer(4096);
    }

    /**
     * Takes the buffered output for writing, keeping a reference so that the buffer can be reused
     * after the channel has written it. The caller passes the result to the channel.
     */
    public ByteBuf takeForWrite() {
        ByteBuf b = take();
        if (b != null && b.capacity() <= 64 * 1024) {
            spare = b.retain();
        }
        return b;
    }

    /** Releases buffers still held (the connection closed). */
    public void releaseAll() {
        if (out != null) {
            out.release();
            out = null;
        }
        if (spare != null) {
            spare.release();
            spare = null;
        }
    }

    @Override
    public void setDiscard(boolean discard) {
        this.discard = discard || broken;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void switchProtocol(int protocol) {
        this.protocol = protocol;
    }

    /** Writes pre-encoded bytes regardless of protocol (protocol errors, MONITOR). */
    public void raw(byte[] b) {
        if (!discard) {
            buf().writeBytes(b);
        }
    }

    private void writeLong(ByteBuf b, long v) {
        if (v >= 0 && v < 10) {
            b.writeByte('0' + (int) v);
            return;
        }
        int len = io.cachalot.core.util.Numbers.length(v);
        io.cachalot.core.util.Numbers.write(v, digits, 0, len);
        b.writeBytes(digits, 0, len);
    }

    private void header(byte type, long n) {
        ByteBuf b = buf();
        b.writeByte(type);
        writeLong(b, n);
        b.writeBytes(CRLF);
    }

    @Override
    protected void writeError(String message) {
        if (discard) {
            return;
        }
        ByteBuf b = buf();
        b.writeByte('-');
        b.writeCharSequence(message, StandardCharsets.ISO_8859_1);
        b.writeBytes(CRLF);
    }

    @Override
    public void status(String s) {
        if (discard) {
            return;
        }
        ByteBuf b = buf();
        b.writeByte('+');
        b.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        b.writeBytes(CRLF);
    }

    @Override
    public void ok() {
        if (!discard) {
            buf().writeBytes(OK);
        }
    }

    @Override
    public void integer(long v) {
        if (discard) {
            return;
        }
        if (v == 0) {
            buf().writeBytes(ZERO);
        } else if (v == 1) {
            buf().writeBytes(ONE);
        } else {
            header((byte) ':', v);
        }
        element();
    }

    @Override
    public void bulk(byte[] v, int off, int len) {
        if (discard) {
            return;
        }
        header((byte) '$', len);
        if (len >= WRAP_THRESHOLD) {
            sink.emit(take());
            sink.emit(Unpooled.wrappedBuffer(v, off, len));
            handedOn += len;
            buf().writeBytes(CRLF);
        } else {
            ByteBuf b = buf();
            b.writeBytes(v, off, len);
            b.writeBytes(CRLF);
        }
        element();
    }

    @Override
    public void nullBulk() {
        if (!discard) {
            buf().writeBytes(protocol == 3 ? NULL3 : NULL_BULK);
            element();
        }
    }

    @Override
    public void nullArray() {
        if (!discard) {
            buf().writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY);
        }
    }

    @Override
    public void array(int n) {
        if (!discard) {
            header((byte) '*', n);
        }
    }

    @Override
    public void map(int n) {
        if (!discard) {
            if (protocol == 3) {
                header((byte) '%', n);
            } else {
                header((byte) '*', 2L * n);
            }
        }
    }

    @Override
    public void set(int n) {
        if (!discard) {
            header(protocol == 3 ? (byte) '~' : (byte) '*', n);
        }
    }

    @Override
    public void attribute(int n) {
        if (!discard && protocol == 3) {
            header((byte) '|', n);
        }
    }

    @Override
    public void push(int n) {
        if (discard && !broken && n > 0) {
            // as Redis' CLIENT_PUSHING: a push (a pub/sub confirmation or message, an array in
            // RESP2) is sent even under CLIENT REPLY OFF/SKIP; its elements are written, then
            // discarding resumes
            discard = false;
            pushElements = n;
        }
        if (!discard) {
            header(protocol == 3 ? (byte) '>' : (byte) '*', n);
        }
    }

    /** Elements left of a push written under CLIENT REPLY OFF (0: none). */
    private int pushElements;

    /** After a scalar element: ends a push written under CLIENT REPLY OFF. */
    private void element() {
        if (pushElements > 0 && --pushElements == 0) {
            discard = true;
        }
    }

    @Override
    public void doubleValue(double d) {
        if (discard) {
            return;
        }
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (long) d && d != 0) {
            // an integral score prints as the integer: write its digits without a String
            long v = (long) d;
            ByteBuf b = buf();
            if (protocol == 3) {
                b.writeByte(',');
            } else {
                b.writeByte('$');
                writeLong(b, io.cachalot.core.util.Numbers.length(v));
                b.writeBytes(CRLF);
            }
            writeLong(b, v);
            b.writeBytes(CRLF);
            return;
        }
        String s = Doubles.format17g(d);
        if (protocol == 3) {
            ByteBuf b = buf();
            b.writeByte(',');
            b.writeCharSequence(s, StandardCharsets.US_ASCII);
            b.writeBytes(CRLF);
        } else {
            bulk(s.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public void humanDouble(byte[] text) {
        if (discard) {
            return;
        }
        if (protocol == 3) {
            ByteBuf b = buf();
            b.writeByte(',');
            b.writeBytes(text);
            b.writeBytes(CRLF);
        } else {
            bulk(text, 0, text.length);
        }
    }

    @Override
    public void bool(boolean v) {
        if (discard) {
            return;
        }
        if (protocol == 3) {
            buf().writeBytes(v ? "#t\r\n".getBytes(StandardCharsets.US_ASCII) : "#f\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            integer(v ? 1 : 0);
        }
    }

    @Override
    public void verbatim(String format, byte[] text) {
        if (discard) {
            return;
        }
        if (protocol == 3) {
            header((byte) '=', text.length + 4L);
            ByteBuf b = buf();
            b.writeCharSequence(format, StandardCharsets.US_ASCII);
            b.writeByte(':');
            b.writeBytes(text);
            b.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    @Override
    public void bigNumber(String n) {
        if (discard) {
            return;
        }
        if (protocol == 3) {
            ByteBuf b = buf();
            b.writeByte('(');
            b.writeCharSequence(n, StandardCharsets.US_ASCII);
            b.writeBytes(CRLF);
        } else {
            bulk(n.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
