package io.cachalot.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client side of the messaging benchmarks ({@code benchmarks/scripts/messaging-bench}): many
 * connections driven by one thread with a selector, so that the load tool costs the same, and
 * little, against either server. It prints {@code ready} once its connections are set up; the
 * script then runs {@code redis-benchmark} (the publisher or the writers) and creates the stop
 * file when it is done.
 *
 * <pre>
 * subscribe PORT SUBSCRIBERS CHANNEL MESSAGES PAYLOAD_BYTES STOP_FILE
 *     SUBSCRIBERS connections subscribe to CHANNEL; counts the bytes each receives and ends when
 *     every one has MESSAGES messages of PAYLOAD_BYTES (or at the stop file); prints the messages
 *     delivered per second from the first message byte to the last.
 * hold PORT CONNECTIONS CHANNELS_PER_CONNECTION STOP_FILE
 *     subscribes every connection to its own channels and holds them until the stop file exists
 *     (the script reads the server's memory meanwhile).
 * track PORT CLIENTS KEYS KEY_PREFIX BCAST_PREFIX|- STOP_FILE
 *     RESP3 clients with CLIENT TRACKING on (BCAST with the prefix unless -); each reads the keys
 *     KEY_PREFIX + 12-digit number below KEYS (redis-benchmark's __rand_int__ form) so that they
 *     are tracked, then counts invalidation pushes until the stop file exists.
 * </pre>
 */
public final class MessagingLoad {
    private MessagingLoad() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "subscribe" -> subscribe(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3],
                    Long.parseLong(args[4]), Integer.parseInt(args[5]), Path.of(args[6]));
            case "hold" -> hold(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Path.of(args[4]));
            case "track" -> track(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args[4], args[5], Path.of(args[6]));
            default -> throw new IllegalArgumentException("mode: subscribe, hold or track");
        }
    }

    /** Per connection: what has arrived, and a matcher for the frames the mode counts. */
    private static final class Conn {
        final SocketChannel channel;
        long bytes;
        int lastRead;
        final Occurrences matcher;

        Conn(SocketChannel channel, Occurrences matcher) {
            this.channel = channel;
            this.matcher = matcher;
        }
    }

    private static void subscribe(int port, int subscribers, String channel, long messages, int payload,
            Path stop) throws IOException {
        byte[] ch = channel.getBytes(StandardCharsets.US_ASCII);
        long confirmation = ("*3\r\n$9\r\nsubscribe\r\n$" + ch.length + "\r\n" + channel + "\r\n:1\r\n").length();
        long frame = ("*3\r\n$7\r\nmessage\r\n$" + ch.length + "\r\n" + channel + "\r\n$" + payload + "\r\n").length()
                + payload + 2;
        long expected = confirmation + messages * frame;
        try (Selector selector = Selector.open()) {
            List<Conn> conns = connect(selector, port, subscribers, null);
            for (Conn c : conns) {
                send(c.channel, command("SUBSCRIBE", channel));
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 18);
            int confirmed = 0;
            while (confirmed < subscribers) {
                for (Conn c : readReady(selector, buf, 1000)) {
                    if (c.bytes >= confirmation && c.bytes - c.lastRead < confirmation) {
                        confirmed++;
                    }
                }
            }
            System.out.println("ready");
            System.out.flush();
            long first = 0;
            int complete = 0;
            while (complete < subscribers && !Files.exists(stop)) {
                for (Conn c : readReady(selector, buf, 100)) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    if (c.bytes >= expected && c.bytes - c.lastRead < expected) {
                        complete++;
                    }
                }
            }
            long last = System.nanoTime();
            long delivered = 0;
            for (Conn c : conns) {
                delivered += Math.max(0, c.bytes - confirmation) / frame;
            }
            double seconds = first == 0 ? Double.NaN : (last - first) / 1e9;
            System.out.printf(Locale.ROOT, "delivered %d of %d in %.3f s: %.0f messages/s%s%n", delivered,
                    messages * subscribers, seconds, delivered / seconds,
                    complete < subscribers ? " (incomplete)" : "");
            close(conns);
        }
    }

    private static void hold(int port, int connections, int channelsPerConnection, Path stop) throws IOException {
        try (Selector selector = Selector.open()) {
            List<Conn> conns = connect(selector, port, connections, "subscribe\r\n");
            for (int i = 0; i < conns.size(); i++) {
                String[] args = new String[channelsPerConnection + 1];
                args[0] = "SUBSCRIBE";
                for (int j = 0; j < channelsPerConnection; j++) {
                    args[j + 1] = "ch:" + i + ":" + j;
                }
                send(conns.get(i).channel, command(args));
            }
            long want = (long) connections * channelsPerConnection;
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 18);
            while (total(conns) < want) {
                readReady(selector, buf, 1000);
            }
            System.out.println("ready");
            System.out.flush();
            while (!Files.exists(stop)) {
                readReady(selector, buf, 100);
            }
            close(conns);
        }
    }

    private static void track(int port, int clients, int keys, String keyPrefix, String bcastPrefix, Path stop)
            throws IOException {
        try (Selector selector = Selector.open()) {
            List<Conn> conns = connect(selector, port, clients, "+PONG\r\n");
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 18);
            for (Conn c : conns) {
                send(c.channel, command("HELLO", "3"));
                send(c.channel, bcastPrefix.equals("-") ? command("CLIENT", "TRACKING", "on")
                        : command("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", bcastPrefix));
                // the reads are sent in batches: a server answers as it reads, and a client that
                // wrote everything first could fill both socket buffers
                for (int from = 0; from < keys; from += 1000) {
                    StringBuilder batch = new StringBuilder();
                    for (int k = from; k < Math.min(keys, from + 1000); k++) {
                        batch.append(command("GET", String.format(Locale.ROOT, "%s%012d", keyPrefix, k)));
                    }
                    send(c.channel, batch.toString());
                    while (readReady(selector, buf, 0).size() > 0) {
                        // drain what has come meanwhile
                    }
                }
                send(c.channel, command("PING"));
            }
            while (total(conns) < clients) {
                readReady(selector, buf, 1000);
            }
            for (Conn c : conns) {
                c.matcher.reset("invalidate");
            }
            System.out.println("ready");
            System.out.flush();
            while (!Files.exists(stop)) {
                readReady(selector, buf, 100);
            }
            long deadline = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < deadline) {
                readReady(selector, buf, 20);
            }
            System.out.printf(Locale.ROOT, "invalidation pushes %d%n", total(conns));
            close(conns);
        }
    }

    private static List<Conn> connect(Selector selector, int port, int n, String pattern) throws IOException {
        List<Conn> conns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.socket().setTcpNoDelay(true);
            Conn c = new Conn(ch, pattern == null ? null : new Occurrences(pattern));
            conns.add(c);
        }
        for (Conn c : conns) {
            c.channel.configureBlocking(false);
            c.channel.register(selector, SelectionKey.OP_READ, c);
        }
        return conns;
    }

    /** Reads what is ready; returns the connections that got bytes. */
    private static List<Conn> readReady(Selector selector, ByteBuffer buf, long timeoutMs) throws IOException {
        int n = timeoutMs == 0 ? selector.selectNow() : selector.select(timeoutMs);
        List<Conn> got = new ArrayList<>(n);
        if (n == 0) {
            return got;
        }
        for (SelectionKey key : selector.selectedKeys()) {
            Conn c = (Conn) key.attachment();
            buf.clear();
            int read = c.channel.read(buf);
            if (read < 0) {
                throw new IOException("the server closed a connection");
            }
            c.bytes += read;
            c.lastRead = read;
            if (c.matcher != null) {
                c.matcher.feed(buf, read);
            }
            got.add(c);
        }
        selector.selectedKeys().clear();
        return got;
    }

    private static long total(List<Conn> conns) {
        long sum = 0;
        for (Conn c : conns) {
            sum += c.matcher.count;
        }
        return sum;
    }

    private static void send(SocketChannel ch, String command) throws IOException {
        // small writes (at most a batch of reads) that loopback's socket buffer takes at once
        ByteBuffer out = ByteBuffer.wrap(command.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            if (ch.write(out) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    private static String command(String... args) {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static void close(List<Conn> conns) throws IOException {
        for (Conn c : conns) {
            c.channel.close();
        }
    }

    /** Counts the occurrences of a byte pattern in a stream fed in pieces (Knuth–Morris–Pratt). */
    private static final class Occurrences {
        private byte[] pattern;
        private int[] fallback;
        private int matched;
        long count;

        Occurrences(String pattern) {
            reset(pattern);
        }

        void reset(String text) {
            pattern = text.getBytes(StandardCharsets.US_ASCII);
            fallback = new int[pattern.length + 1];
            fallback[0] = -1;
            for (int i = 1, k = -1; i <= pattern.length; i++) {
                while (k >= 0 && pattern[k] != pattern[i - 1]) {
                    k = fallback[k];
                }
                fallback[i] = ++k;
            }
            matched = 0;
            count = 0;
        }

        void feed(ByteBuffer buf, int length) {
            for (int i = 0; i < length; i++) {
                byte b = buf.get(i);
                while (matched >= 0 && pattern[matched] != b) {
                    matched = fallback[matched];
                }
                matched++;
                if (matched == pattern.length) {
                    count++;
                    matched = fallback[matched];
                }
            }
        }
    }
}
