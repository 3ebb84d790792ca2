package io.cachalot.server.resp;

import io.cachalot.core.util.ArgSplitter;
import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * Incremental request parser with the rules of Redis' processMultibulkBuffer and
 * processInlineBuffer: the same limits, the same protocol errors, and the same tolerance (the two
 * bytes after a length line or a bulk payload are skipped, not checked). Arguments are copied out
 * of the network buffer once, into arrays of their exact size; a large argument is filled as its
 * bytes arrive instead of waiting in an accumulating buffer.
 */
public final class RespParser {
    /** Redis' PROTO_INLINE_MAX_SIZE: the longest inline request or length line. */
    public static final int INLINE_MAX = 64 * 1024;
    /** Redis' PROTO_MBULK_BIG_ARG: arguments this large are filled in place as data arrives. */
    static final int BIG_ARG = 32 * 1024;

    /** {@link Handler#command} results. */
    public static final int CONTINUE = 0;
    /** Stop parsing and keep the command: {@link #resume} hands it again (CLIENT PAUSE). */
    public static final int HOLD = 1;
    /** Stop parsing; the command was taken (a blocking command now waits). */
    public static final int STOP = 2;

    /** What the parser needs from its connection. */
    public interface Handler {
        /** A complete command: {@link #CONTINUE}, {@link #HOLD} or {@link #STOP}. The array is reused afterwards. */
        int command(byte[][] argv, int argc);

        /** The limit for one bulk argument (proto-max-bulk-len). */
        long maxBulkLength();

        /** True while the client must authenticate (tighter limits apply). */
        boolean authRequired();
    }

    /** A malformed request: the connection replies this error and closes. */
    public static final class ProtocolException extends Exception {
        public ProtocolException(String message) {
            super(message, null, false, false);
        }
    }

    private final Handler handler;
    private byte[][] argv = new byte[8][];
    private int argc;
    /** Arguments still expected by the current multibulk command; 0 when between commands. */
    private long remaining;
    /** Length of the bulk being read, -1 while its "$len" line is awaited. */
    private long bulkLen = -1;
    /** A big argument being filled directly, and how much of it has arrived. */
    private byte[] big;
    private int bigFilled;
    /** Bytes of the line end still to skip after a big argument's payload. */
    private int skipAfterBig;
    private boolean pending;

    public RespParser(Handler handler) {
        this.handler = handler;
    }

    /** Bytes of a partially received big argument (counted against client-query-buffer-limit). */
    public long partialBytes() {
        return big == null ? 0 : bigFilled;
    }

    /** Hands the command held back by {@link #HOLD} again; true when parsing may continue. */
    public boolean resume() {
        if (!pending) {
            return true;
        }
        int r = handler.command(argv, argc);
        if (r == HOLD) {
            return false;
        }
        pending = false;
        clearArgs();
        return r == CONTINUE;
    }

    private void clearArgs() {
        for (int i = 0; i < argc; i++) {
            argv[i] = null;
        }
        argc = 0;
    }

    /**
     * Parses as many complete commands from {@code in} as it holds, handing each to the handler.
     * Returns false when the handler asked to stop (HOLD or STOP); bytes not yet consumed stay in
     * {@code in}.
     */
    public boolean parse(ByteBuf in) throws ProtocolException {
        while (true) {
            if (pending) {
                return false;
            }
            if (big != null) {
                if (!fillBig(in)) {
                    return true;
                }
                if (remaining == 0 && !dispatch()) {
                    return false;
                }
                continue;
            }
            if (remaining == 0) {
                if (!in.isReadable()) {
                    return true;
                }
                if (in.getByte(in.readerIndex()) == '*') {
                    if (!multibulkHeader(in)) {
                        return true;
                    }
                    continue;
                }
                if (!inline(in)) {
                    return true;
                }
                if (argc > 0 && !dispatch()) {
                    return false;
                }
                continue;
            }
            if (bulkLen < 0) {
                if (!bulkHeader(in)) {
                    return true;
                }
            }
            int readable = in.readableBytes();
            if (readable >= bulkLen + 2) {
                byte[] a = allocate(bulkLen);
                in.readBytes(a);
                in.skipBytes(2);
                addArg(a);
            } else if (bulkLen >= BIG_ARG) {
                big = allocate(bulkLen);
                bigFilled = 0;
                skipAfterBig = 2;
                continue;
            } else {
                return true;
            }
            if (remaining == 0 && !dispatch()) {
                return false;
            }
        }
    }

    /** Copies what has arrived of a big argument; true once it (and its line end) is complete. */
    private boolean fillBig(ByteBuf in) {
        int n = Math.min(in.readableBytes(), big.length - bigFilled);
        in.readBytes(big, bigFilled, n);
        bigFilled += n;
        if (bigFilled < big.length) {
            return false;
        }
        int skip = Math.min(skipAfterBig, in.readableBytes());
        in.skipBytes(skip);
        skipAfterBig -= skip;
        if (skipAfterBig > 0) {
            return false;
        }
        byte[] a = big;
        big = null;
        addArg(a);
        return true;
    }

    private void addArg(byte[] a) {
        if (argc == argv.length) {
            argv = java.util.Arrays.copyOf(argv, argc * 2);
        }
        argv[argc++] = a;
        remaining--;
        bulkLen = -1;
    }

    private boolean dispatch() {
        int r = handler.command(argv, argc);
        if (r == HOLD) {
            pending = true;
            return false;
        }
        clearArgs();
        return r == CONTINUE;
    }

    /** Index of the '\r' ending a length line that starts at the reader index, or -1 if not yet here. */
    private static int lineEnd(ByteBuf in, String tooBig) throws ProtocolException {
        int cr = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("Protocol error: " + tooBig);
            }
            return -1;
        }
        // The byte after '\r' (not checked, as in Redis) must have arrived.
        if (cr + 1 >= in.writerIndex()) {
            return -1;
        }
        return cr;
    }

    /**
     * Parses the digits of a length line in place, with string2ll's rules (canonical form only,
     * fits a signed 64-bit value); {@link Long#MIN_VALUE} when invalid. No allocation: this runs
     * for every argument of every request.
     */
    private static long parseLength(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len >= 21) {
            return Long.MIN_VALUE;
        }
        int i = from;
        byte first = in.getByte(i);
        if (len == 1 && first == '0') {
            return 0;
        }
        boolean negative = first == '-';
        if (negative) {
            if (++i == to) {
                return Long.MIN_VALUE;
            }
        }
        byte b = in.getByte(i);
        if (b < '1' || b > '9') {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 - d;
        }
        if (negative) {
            return v;
        }
        return v == Long.MIN_VALUE ? Long.MIN_VALUE : -v;
    }

    private boolean multibulkHeader(ByteBuf in) throws ProtocolException {
        int cr = lineEnd(in, "too big mbulk count string");
        if (cr < 0) {
            return false;
        }
        long n = parseLength(in, in.readerIndex() + 1, cr);
        if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new ProtocolException("Protocol error: invalid multibulk length");
        }
        if (n > 10 && handler.authRequired()) {
            throw new ProtocolException("Protocol error: unauthenticated multibulk length");
        }
        in.readerIndex(cr + 2);
        if (n > 0) {
            remaining = n;
            bulkLen = -1;
            if (n > argv.length && n <= 1024) {
                argv = new byte[(int) n][];
            }
        }
        return true;
    }

    /**
     * An argument's bytes. One the heap cannot hold (it would need more than half of the room
     * left) is refused as a protocol error that closes the connection, never an OutOfMemoryError
     * that other clients' threads would feel.
     */
    private static byte[] allocate(long len) throws ProtocolException {
        if (len >= BIG_ARG) {
            Runtime rt = Runtime.getRuntime();
            long room = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (len > room / 2) {
                throw new ProtocolException("Protocol error: an argument of " + len
                        + " bytes does not fit in the memory left to the JVM");
            }
        }
        try {
            return new byte[(int) len];
        } catch (OutOfMemoryError oom) {
            throw new ProtocolException("Protocol error: an argument of " + len
                    + " bytes does not fit in the memory left to the JVM");
        }
    }

    private boolean bulkHeader(ByteBuf in) throws ProtocolException {
        if (!in.isReadable()) {
            return false;
        }
        int cr = lineEnd(in, "too big bulk count string");
        if (cr < 0) {
            return false;
        }
        byte first = in.getByte(in.readerIndex());
        if (first != '$') {
            throw new ProtocolException("Protocol error: expected '$', got '" + (char) (first & 0xFF) + "'");
        }
        long n = parseLength(in, in.readerIndex() + 1, cr);
        if (n == Long.MIN_VALUE || n < 0 || n > handler.maxBulkLength() || n > Integer.MAX_VALUE - 8) {
            throw new ProtocolException("Protocol error: invalid bulk length");
        }
        if (n > 16384 && handler.authRequired()) {
            throw new ProtocolException("Protocol error: unauthenticated bulk length");
        }
        in.readerIndex(cr + 2);
        bulkLen = n;
        return true;
    }

    /** Reads one inline command line; false when the line is not complete yet. */
    private boolean inline(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return false;
        }
        int end = lf;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(lf + 1);
        List<byte[]> args = ArgSplitter.split(line);
        if (args == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        clearArgs();
        for (byte[] a : args) {
            if (argc == argv.length) {
                argv = java.util.Arrays.copyOf(argv, argc * 2);
            }
            argv[argc++] = a;
        }
        return true;
    }
}
