package io.cachalot.benchmarks;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop RESP load with full latency histograms, for {@code benchmarks/scripts/latency-bench}:
 * requests are sent at a fixed total rate on their schedule whatever the replies do (a stalled
 * server does not slow the load down), and each latency is measured from the request's intended
 * send time, so a pause counts for every request it delayed (no coordinated omission). One thread
 * and a selector drive all connections, so the tool costs the same against either server.
 *
 * <pre>
 * fill PORT KEYS VALUE_BYTES [EXPIRE_SECONDS]
 *     SET key:%012d of every key below KEYS (pipelined 1,000 deep), with EX when given.
 * run PORT RATE SECONDS CONNECTIONS KEYS VALUE_BYTES READ_PERCENT WARMUP_SECONDS [EXPIRE_SECONDS]
 *     GET (READ_PERCENT of the requests) and SET of random keys at RATE requests/s in total for
 *     WARMUP_SECONDS (not recorded) then SECONDS; prints one line:
 *     "rate R p50 X p99 X p99.9 X p99.99 X max X count N" (milliseconds).
 * </pre>
 */
public final class LatencyLoad {
    private LatencyLoad() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fill" -> fill(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : 0);
            case "run" -> run(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]), Integer.parseInt(args[8]), args.length > 9 ? Integer.parseInt(args[9]) : 0);
            default -> throw new IllegalArgumentException("mode: fill or run");
        }
    }

    private static final byte[] GET = "*2\r\n$3\r\nGET\r\n$16\r\nkey:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "*3\r\n$3\r\nSET\r\n$16\r\nkey:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET_EX = "*5\r\n$3\r\nSET\r\n$16\r\nkey:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * The RESP bytes of GET or SET of key:%012d of {@code k}, written without allocating (the
     * tool must not add collection pauses of its own to what it measures).
     */
    private static void request(ByteBuffer out, boolean read, long k, byte[] valueBulk, byte[] expireTail) {
        out.put(read ? GET : expireTail != null ? SET_EX : SET);
        for (int i = 11; i >= 0; i--) {
            out.put(out.position() + i, (byte) ('0' + k % 10));
            k /= 10;
        }
        out.position(out.position() + 12);
        out.put(CRLF);
        if (!read) {
            out.put(valueBulk);
            if (expireTail != null) {
                out.put(expireTail);
            }
        }
    }

    /** "$n\r\n<value>\r\n" of a value of {@code n} bytes. */
    private static byte[] valueBulk(int n) {
        byte[] v = value(n);
        byte[] head = ("$" + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[head.length + n + 2];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(v, 0, b, head.length, n);
        b[b.length - 2] = '\r';
        b[b.length - 1] = '\n';
        return b;
    }

    /** "$2\r\nEX\r\n$n\r\n<seconds>\r\n", or null without expiry. */
    private static byte[] expireTail(int seconds) {
        if (seconds <= 0) {
            return null;
        }
        String s = Integer.toString(seconds);
        return ("$2\r\nEX\r\n$" + s.length() + "\r\n" + s + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Counts complete replies in a stream of simple ("+OK", "-ERR", ":1") and bulk ("$n ...",
     * "$-1") replies, the only kinds GET and SET answer.
     */
    private static final class ReplyCounter {
        private int state; // 0: at a reply's first byte; 1: in a simple line; 2: in a bulk header; 3: in a bulk body
        private long bulkLeft;
        private long header;
        private boolean negative;

        int feed(ByteBuffer in) {
            int done = 0;
            while (in.hasRemaining()) {
                byte b = in.get();
                switch (state) {
                    case 0 -> {
                        if (b == '$') {
                            state = 2;
                            header = 0;
                            negative = false;
                        } else {
                            state = 1;
                        }
                    }
                    case 1 -> {
                        if (b == '\n') {
                            state = 0;
                            done++;
                        }
                    }
                    case 2 -> {
                        if (b == '-') {
                            negative = true;
                        } else if (b >= '0' && b <= '9') {
                            header = header * 10 + (b - '0');
                        } else if (b == '\n') {
                            if (negative) {
                                state = 0;
                                done++;
                            } else {
                                state = 3;
                                bulkLeft = header + 2;
                            }
                        }
                    }
                    default -> {
                        // the body and its CRLF; b was its first byte
                        bulkLeft--;
                        int skip = (int) Math.min(bulkLeft, in.remaining());
                        in.position(in.position() + skip);
                        bulkLeft -= skip;
                    }
                }
                if (state == 3 && bulkLeft == 0) {
                    state = 0;
                    done++;
                }
            }
            return done;
        }
    }

    private static void fill(int port, int keys, int valueBytes, int expire) throws IOException {
        byte[] value = valueBulk(valueBytes);
        byte[] ex = expireTail(expire);
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            ByteBuffer out = ByteBuffer.allocate(4 << 20);
            ByteBuffer in = ByteBuffer.allocate(1 << 20);
            ReplyCounter counter = new ReplyCounter();
            for (long k = 0; k < keys; ) {
                int batch = (int) Math.min(1000, keys - k);
                out.clear();
                for (int i = 0; i < batch; i++) {
                    request(out, false, k + i, value, ex);
                }
                out.flip();
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                int got = 0;
                while (got < batch) {
                    in.clear();
                    if (ch.read(in) < 0) {
                        throw new IOException("server closed the connection");
                    }
                    in.flip();
                    got += counter.feed(in);
                }
                k += batch;
            }
        }
    }

    private static byte[] value(int n) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) ('a' + i % 26);
        }
        return v;
    }

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer out = ByteBuffer.allocate(1 << 20);
        final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        final ReplyCounter counter = new ReplyCounter();
        final int index;

        Conn(SocketChannel channel, int index) {
            this.channel = channel;
            this.index = index;
        }
    }

    private static void run(int port, int rate, int seconds, int connections, int keys, int valueBytes, int readPercent,
            int warmup, int expire) throws IOException {
        byte[] value = valueBulk(valueBytes);
        byte[] ex = expireTail(expire);
        // the intended send times, a ring per connection (no boxing on the way)
        long[][] intended = new long[connections][1 << 16];
        int[] head = new int[connections];
        int[] tail = new int[connections];
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        // -Dtimeline=true: per second of intended send time, the worst latency and the requests over 5 ms (stderr)
        boolean timeline = Boolean.getBoolean("timeline");
        long[] worstPerSecond = new long[warmup + seconds + 1];
        int[] slowPerSecond = new int[warmup + seconds + 1];
        SplittableRandom rnd = new SplittableRandom(42);
        try (Selector sel = Selector.open()) {
            Conn[] conns = new Conn[connections];
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.configureBlocking(false);
                ch.socket().setTcpNoDelay(true);
                conns[i] = new Conn(ch, i);
                ch.register(sel, SelectionKey.OP_READ, conns[i]);
            }
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime();
            long recordFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            long end = recordFrom + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            long outstanding = 0;
            long dropped = 0;
            while (true) {
                long now = System.nanoTime();
                // every request whose time has come is sent now, late or not
                while (start + sent * interval <= now && start + sent * interval < end) {
                    Conn c = conns[(int) (sent % connections)];
                    if (c.out.remaining() < 1024 + valueBytes) {
                        dropped++; // the server is far behind: the buffer is full (reported, never hidden)
                    } else {
                        int ci = (int) (sent % connections);
                        if (tail[ci] - head[ci] == intended[ci].length) {
                            throw new IOException("more than " + intended[ci].length + " requests outstanding on one connection");
                        }
                        request(c.out, rnd.nextInt(100) < readPercent, rnd.nextInt(keys), value, ex);
                        intended[ci][tail[ci]++ & (intended[ci].length - 1)] = start + sent * interval;
                        outstanding++;
                    }
                    sent++;
                }
                for (Conn c : conns) {
                    if (c.out.position() > 0) {
                        c.out.flip();
                        c.channel.write(c.out);
                        c.out.compact();
                    }
                }
                sel.selectNow();
                long readAt = System.nanoTime();
                for (SelectionKey k : sel.selectedKeys()) {
                    Conn c = (Conn) k.attachment();
                    int ci = c.index;
                    c.in.clear();
                    if (c.channel.read(c.in) < 0) {
                        throw new IOException("server closed the connection");
                    }
                    c.in.flip();
                    int replies = c.counter.feed(c.in);
                    for (int i = 0; i < replies; i++) {
                        long t = intended[ci][head[ci]++ & (intended[ci].length - 1)];
                        outstanding--;
                        if (t >= recordFrom) {
                            h.recordValue(Math.min(readAt - t, h.getHighestTrackableValue()));
                        }
                        if (timeline) {
                            int sec = (int) Math.min((t - start) / 1_000_000_000L, worstPerSecond.length - 1);
                            worstPerSecond[sec] = Math.max(worstPerSecond[sec], readAt - t);
                            if (readAt - t > 5_000_000L) {
                                slowPerSecond[sec]++;
                            }
                        }
                    }
                }
                sel.selectedKeys().clear();
                if (now >= end && outstanding == 0) {
                    break;
                }
                if (now > end + TimeUnit.SECONDS.toNanos(30)) {
                    throw new IOException(outstanding + " replies missing 30 s after the end");
                }
                long next = start + sent * interval - System.nanoTime();
                if (next > 20_000) {
                    LockSupport.parkNanos(Math.min(next, 200_000));
                }
            }
            for (Conn c : conns) {
                c.channel.close();
            }
            for (int i = 0; timeline && i < worstPerSecond.length; i++) {
                System.err.printf(Locale.ROOT, "second %d worst %.1f ms, over 5 ms %d%n", i, ms(worstPerSecond[i]), slowPerSecond[i]);
            }
            System.out.printf(Locale.ROOT, "rate %d p50 %.3f p99 %.3f p99.9 %.3f p99.99 %.3f max %.3f count %d dropped %d%n",
                    rate, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                    ms(h.getValueAtPercentile(99.99)), ms(h.getMaxValue()), h.getTotalCount(), dropped);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
