package io.cachalot.server.resp;

import io.cachalot.core.util.ArgSplitter;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.util.List;

/**
 * Incremental request parser with the rules of Redis' processMultibulkBuffer and
 * processInlineBuffer: the same limits, the same protocol errors, and the same tolerance (the two
 * bytes after a length line or a bulk payload are skipped, not checked). Lines are found as C's
 * strchr finds them in Redis' query buffer: a NUL byte before the line end hides the line end,
 * and the parser waits for more input.
 *
 * <p>Arguments are copied out of the network buffer once, into arrays of their exact size. A
 * large argument is filled as its bytes arrive, in an array that grows in steps with what has
 * arrived (a declared length alone allocates nothing much), and every allocation that large is
 * first cleared with the connection ({@link Handler#mayHold}). The parser counts what it holds —
 * the arguments of the command being read and the partial large one — so that the connection
 * can bound a client's input however it is split into arguments.
 */
public final class RespParser {
    /** Redis' PROTO_INLINE_MAX_SIZE: the longest inline request or length line. */
    public static final int INLINE_MAX = 64 * 1024;
    /** Redis' PROTO_MBULK_BIG_ARG: arguments this large are filled in place as data arrives. */
    static final int BIG_ARG = 32 * 1024;
    /**
     * Heap bytes an argument costs beyond its length, rounded up to 8: its array header (16), and
     * its slot in argv (4 with compressed references, up to twice that as argv doubles, and the
     * old array beside the new one while it grows).
     */
    static final int ARG_OVERHEAD = 16 + 16;
    /** An argv array longer than this is dropped after its command (a huge one is not kept). */
    private static final int ARGV_KEEP = 1024;

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

        /**
         * Whether the parser may allocate {@code bytes} more to hold this client's input (a
         * large argument). When not, the parser stops with an {@link InputLimitException}.
         */
        boolean mayHold(long bytes);
    }

    /** A malformed request: the connection replies this error and closes. */
    public static final class ProtocolException extends Exception {
        public ProtocolException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The client's input went past what it may hold (client-query-buffer-limit or the memory
     * bound): the connection closes without a reply, as Redis closes such a client.
     */
    public static final class InputLimitException extends Exception {
        public InputLimitException(String message) {
            super(message, null, false, false);
        }
    }

    private final Handler handler;
    private byte[][] argv = new byte[8][];
    private int argc;
    /** Sum of the lengths of the arguments held (Redis' argv_len_sum), and their heap cost. */
    private long argvLength;
    private long argvHeap;
    /** Arguments still expected by the current multibulk command; 0 when between commands. */
    private long remaining;
    /** Length of the bulk being read, -1 while its "$len" line is awaited. */
    private long bulkLen = -1;
    /** A big argument being filled directly: its declared length, its array so far, what arrived. */
    private int bigLen;
    private byte[] big;
    private int bigFilled;
    /** Bytes of the line end still to skip after a big argument's payload. */
    private int skipAfterBig;
    private boolean pending;

    public RespParser(Handler handler) {
        this.handler = handler;
    }

    /** Bytes received of a partial big argument (CLIENT LIST qbuf counts them). */
    public long partialBytes() {
        return big == null ? 0 : bigFilled;
    }

    /** Sum of the lengths of the arguments held (CLIENT LIST argv-mem). */
    public long argvLength() {
        return argvLength;
    }

    /** Heap the parser holds for the client: its arguments and the partial big argument's array. */
    public long heldBytes() {
        return argvHeap + (big == null ? 0 : big.length);
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
        if (argv.length > ARGV_KEEP) {
            argv = new byte[8][];
        } else {
            for (int i = 0; i < argc; i++) {
                argv[i] = null;
            }
        }
        argc = 0;
        argvLength = 0;
        argvHeap = 0;
    }

    /**
     * Parses as many complete commands from {@code in} as it holds, handing each to the handler.
     * Returns false when the handler asked to stop (HOLD or STOP); bytes not yet consumed stay in
     * {@code in}.
     */
    public boolean parse(ByteBuf in) throws ProtocolException, InputLimitException {
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
                byte[] a = allocate((int) bulkLen);
                in.readBytes(a);
                in.skipBytes(2);
                addArg(a);
            } else if (bulkLen >= BIG_ARG) {
                bigLen = (int) bulkLen;
                bigFilled = 0;
                big = allocate(nextCapacity(0, readable));
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

    /**
     * The size of a big argument's array once {@code needed} bytes must fit: four times
     * {@code current} (at least {@link #BIG_ARG}), and the exact declared length once that is
     * within a factor of four. An argument sent at once is copied a small part of its length
     * more than once (a 1 MB one: 64 KB), and one that is only declared holds next to nothing.
     */
    private int nextCapacity(int current, int needed) {
        long c = Math.max(Math.max(needed, (long) current * 4), BIG_ARG);
        return c * 4 >= bigLen ? bigLen : (int) c;
    }

    /** Copies what has arrived of a big argument; true once it (and its line end) is complete. */
    private boolean fillBig(ByteBuf in) throws InputLimitException {
        int n = Math.min(in.readableBytes(), bigLen - bigFilled);
        if (bigFilled + n > big.length) {
            byte[] grown = allocate(nextCapacity(big.length, bigFilled + n));
            System.arraycopy(big, 0, grown, 0, bigFilled);
            big = grown;
        }
        in.readBytes(big, bigFilled, n);
        bigFilled += n;
        if (bigFilled < bigLen) {
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

    /** A complete bulk argument of the multibulk command being read. */
    private void addArg(byte[] a) throws InputLimitException {
        hold(a);
        remaining--;
        bulkLen = -1;
    }

    private void hold(byte[] a) throws InputLimitException {
        if (argc == argv.length) {
            growArgv();
        }
        argv[argc++] = a;
        argvLength += a.length;
        argvHeap += ((a.length + 7L) & ~7) + ARG_OVERHEAD;
    }

    /** Doubles argv; a large one is an allocation the connection must clear, as a big argument is. */
    private void growArgv() throws InputLimitException {
        int n = argc * 2;
        if (n >= BIG_ARG && !handler.mayHold(4L * n)) {
            throw new InputLimitException(argc + " arguments");
        }
        try {
            argv = java.util.Arrays.copyOf(argv, n);
        } catch (OutOfMemoryError oom) {
            throw new InputLimitException(argc + " arguments (" + oom.getMessage() + ")");
        }
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

    /** Stops at the first CR or NUL byte. */
    private static final ByteProcessor CR_OR_NUL = b -> b != '\r' && b != 0;
    /** Stops at the first LF or NUL byte. */
    private static final ByteProcessor LF_OR_NUL = b -> b != '\n' && b != 0;

    /**
     * Where strchr would find the line end in the readable bytes: its index, or -1 when it is
     * not there yet or a NUL byte comes first (C's string ends there, so Redis waits for more).
     */
    private static int find(ByteBuf in, ByteProcessor endOrNul) {
        int i = in.forEachByte(endOrNul);
        return i < 0 || in.getByte(i) == 0 ? -1 : i;
    }

    /** Index of the '\r' ending a length line that starts at the reader index, or -1 if not yet here. */
    private static int lineEnd(ByteBuf in, String tooBig) throws ProtocolException {
        int cr = find(in, CR_OR_NUL);
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
     * An array for (part of) an argument. One of {@link #BIG_ARG} bytes or more must first be
     * cleared with the connection; one the heap cannot give all the same ends the client's input
     * the same way, never with an OutOfMemoryError that other clients' threads would feel.
     */
    private byte[] allocate(int len) throws InputLimitException {
        if (len >= BIG_ARG && !handler.mayHold(len)) {
            throw new InputLimitException("an argument of " + len + " bytes");
        }
        try {
            return new byte[len];
        } catch (OutOfMemoryError oom) {
            throw new InputLimitException("an argument of " + len + " bytes (" + oom.getMessage() + ")");
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
    private boolean inline(ByteBuf in) throws ProtocolException, InputLimitException {
        int start = in.readerIndex();
        int lf = find(in, LF_OR_NUL);
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
            hold(a);
        }
        return true;
    }
}
