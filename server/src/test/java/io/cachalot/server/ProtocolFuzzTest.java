package io.cachalot.server;

import io.cachalot.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated request frames against a server with a small heap, many connections at a
 * time, each sending a few frames (split at random points) and reading what comes back. After
 * every batch: every reply stream is well-formed RESP with nothing cut short, the server answers
 * a new client, the sentinel key is intact, no error reached the log, and the memory the clients
 * held is given back (client memory to zero, used memory to its level once the fuzzed keys are
 * gone).
 *
 * <p>Bounded per run ({@code -Dfuzz.seconds}, 15 by default); the seed is printed and a run is
 * replayed with {@code -Dfuzz.seed=N}. A longer run, as docs/configuration.md describes:
 * {@code mvn -pl server test -Dtest=ProtocolFuzzTest -Dfuzz.seconds=600}.
 */
class ProtocolFuzzTest {
    private static final int CONNECTIONS_PER_BATCH = 200;
    private static final int PARALLEL = 8;
    /** The fuzzed commands use these databases; the sentinel lives in database 15. */
    private static final int SENTINEL_DB = 15;

    @TempDir
    Path dir;

    /** Valid requests the mutations start from: fuzzed keys only, nothing that stops or pauses the server. */
    private static final String[][] CORPUS = {
        {"PING"}, {"ECHO", "hello"}, {"SET", "fz:a", "value"}, {"GET", "fz:a"}, {"INCR", "fz:n"},
        {"INCRBYFLOAT", "fz:f", "1.5"}, {"APPEND", "fz:a", "more"}, {"SETRANGE", "fz:r", "100", "x"},
        {"GETRANGE", "fz:a", "0", "-1"}, {"STRLEN", "fz:a"}, {"MSET", "fz:a", "1", "fz:b", "2"},
        {"MGET", "fz:a", "fz:b", "fz:c"}, {"DEL", "fz:a", "fz:b"}, {"EXISTS", "fz:a"}, {"TYPE", "fz:l"},
        {"EXPIRE", "fz:a", "100"}, {"TTL", "fz:a"}, {"PERSIST", "fz:a"}, {"LPUSH", "fz:l", "a", "b", "c"},
        {"RPUSH", "fz:l", "d"}, {"LRANGE", "fz:l", "0", "-1"}, {"LPOP", "fz:l", "2"}, {"LINDEX", "fz:l", "1"},
        {"HSET", "fz:h", "f", "v", "g", "w"}, {"HGETALL", "fz:h"}, {"HINCRBY", "fz:h", "n", "3"},
        {"SADD", "fz:s", "a", "b", "1"}, {"SMEMBERS", "fz:s"}, {"SINTER", "fz:s", "fz:t"},
        {"ZADD", "fz:z", "1", "a", "2.5", "b"}, {"ZRANGE", "fz:z", "0", "-1", "WITHSCORES"},
        {"ZINCRBY", "fz:z", "1", "a"}, {"OBJECT", "ENCODING", "fz:l"}, {"CLIENT", "SETNAME", "fuzzer"},
        {"CLIENT", "INFO"}, {"MULTI"}, {"EXEC"}, {"DISCARD"}, {"WATCH", "fz:a"}, {"HELLO", "3"},
        {"HELLO", "2"}, {"BLPOP", "fz:q", "0.05"}, {"COMMAND", "COUNT"}, {"DBSIZE"}, {"SELECT", "3"},
        {"SCAN", "0", "MATCH", "fz:*"}, {"SORT", "fz:l", "ALPHA"}, {"MONITOR"}, {"INFO", "clients"},
        {"MEMORY", "USAGE", "fz:h"}, {"LCS", "fz:a", "fz:b"}, {"RENAME", "fz:a", "fz:c"},
        {"SETRANGE", "fz:big", "3000000", "x"}, {"GET", "fz:big"}, {"GET", "fz:big"}, {"LRANGE", "fz:l", "0", "-1"},
    };

    @Test
    void fuzzedFramesNeverHurtTheServer() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        long seconds = Long.getLong("fuzz.seconds", 15);
        System.out.println("ProtocolFuzzTest seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try (ServerProcess s = ServerProcess.start(dir, List.of("-Xmx256m"), "--proto-max-bulk-len", "64mb")) {
            try (RawClient c = s.client()) {
                c.call("SELECT", Integer.toString(SENTINEL_DB));
                assertThat(text(c.call("SET", "sentinel", "alive"))).isEqualTo("+OK\r\n");
            }
            long baseline = s.info("used_memory");
            long deadline = System.currentTimeMillis() + seconds * 1000;
            int batches = 0;
            long frames = 0;
            do {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS_PER_BATCH; i++) {
                    SplittableRandom r = rnd.split();
                    List<byte[]> sent = new ArrayList<>();
                    int n = 1 + r.nextInt(5);
                    for (int j = 0; j < n; j++) {
                        sent.add(frame(r));
                    }
                    frames += n;
                    results.add(pool.submit(() -> exchange(s.port(), sent, r)));
                }
                for (Future<String> f : results) {
                    String problem = f.get(60, TimeUnit.SECONDS);
                    assertThat(problem).as("seed %d, batch %d", seed, batches).isNull();
                }
                batches++;
                checkInvariants(s, baseline, seed, batches);
            } while (System.currentTimeMillis() < deadline);
            System.out.println("ProtocolFuzzTest: " + batches + " batches, " + frames + " frames, "
                    + batches * CONNECTIONS_PER_BATCH + " connections, seed " + seed);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The server answers, the sentinel is intact, the log is clean, memory is back to its level. */
    private static void checkInvariants(ServerProcess s, long baseline, long seed, int batch) throws Exception {
        String where = "seed " + seed + ", after batch " + batch;
        assertThat(s.isAlive()).as(where + "\n" + s.output()).isTrue();
        try (RawClient c = s.client()) {
            assertThat(text(c.call("PING"))).as(where).isEqualTo("+PONG\r\n");
            c.call("SELECT", Integer.toString(SENTINEL_DB));
            assertThat(text(c.call("GET", "sentinel"))).as(where).isEqualTo("$5\r\nalive\r\n");
            // the fuzzed keys go (a mutated SELECT may have reached the sentinel's database too)
            for (int db = 0; db <= SENTINEL_DB; db++) {
                c.call("SELECT", Integer.toString(db));
                c.call("FLUSHDB");
            }
            assertThat(text(c.call("SET", "sentinel", "alive"))).isEqualTo("+OK\r\n");
        }
        String log = s.output();
        assertThat(log).as(where).doesNotContain("Out of memory").doesNotContain("Exception")
                .doesNotContain("cron failed");
        long clients = s.awaitInfo("mem_clients_normal", v -> v < 64 * 1024, 10_000);
        assertThat(clients).as(where + ": client memory given back").isLessThan(64 * 1024);
        long used = s.awaitInfo("used_memory", v -> v < baseline + 256 * 1024, 10_000);
        assertThat(used).as(where + ": used memory back to its level").isLessThan(baseline + 256 * 1024);
    }

    // ------------------------------------------------------------------ frames

    /** A random frame: garbage, a mutated valid request, or one with hostile lengths. */
    static byte[] frame(SplittableRandom r) {
        switch (r.nextInt(10)) {
            case 0:
                return randomBytes(r);
            case 1:
                return hostileLengths(r);
            case 2:
            case 3:
                return valid(r, r.nextInt(4) == 0);
            default:
                return mutate(valid(r, r.nextInt(4) == 0), r);
        }
    }

    private static byte[] randomBytes(SplittableRandom r) {
        byte[] b = new byte[1 + r.nextInt(200)];
        for (int i = 0; i < b.length; i++) {
            // mostly protocol characters, so that random frames get past the first byte
            b[i] = r.nextInt(3) == 0 ? (byte) "*$\r\n0123456789-: ".charAt(r.nextInt(17)) : (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] valid(SplittableRandom r, boolean inline) {
        String[] cmd = CORPUS[r.nextInt(CORPUS.length)];
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (inline) {
            o.writeBytes(String.join(" ", cmd).getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(new byte[] {'\r', '\n'});
            return o.toByteArray();
        }
        List<byte[]> args = new ArrayList<>();
        for (String a : cmd) {
            args.add(a.getBytes(StandardCharsets.US_ASCII));
        }
        return RawClient.encode(args);
    }

    /** Length lines that ask for much: huge counts, bulks declared and never sent, limits' edges. */
    private static byte[] hostileLengths(SplittableRandom r) {
        String[] counts = {"2147483647", "2147483648", "1048576", "-1", "0", "99999999999999999999", "1"};
        String[] bulks = {"67108864", "67108865", "536870912", "33554432", "-5", "0", "16384", "32768"};
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(counts[r.nextInt(counts.length)]).append("\r\n$3\r\nSET\r\n");
        sb.append('$').append(bulks[r.nextInt(bulks.length)]).append("\r\n");
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            sb.append("$0\r\n\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] mutate(byte[] f, SplittableRandom r) {
        byte[] b = f;
        int k = 1 + r.nextInt(3);
        for (int i = 0; i < k && b.length > 0; i++) {
            int p = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0: // flip a byte
                    b = b.clone();
                    b[p] = (byte) r.nextInt(256);
                    break;
                case 1: // insert a byte (often NUL or a line end)
                    b = insert(b, p, new byte[] {(byte) "\0\r\n*$x".charAt(r.nextInt(6))});
                    break;
                case 2: // delete a byte
                    b = concat(slice(b, 0, p), slice(b, p + 1, b.length));
                    break;
                case 3: // truncate
                    b = slice(b, 0, p);
                    break;
                case 4: // duplicate a segment
                    int e = p + r.nextInt(Math.min(40, b.length - p) + 1);
                    b = insert(b, e, slice(b, p, e));
                    break;
                case 5: // a digit becomes a long number
                    String digits = Long.toString(r.nextLong() & Long.MAX_VALUE);
                    b = insert(b, p, digits.substring(0, 1 + r.nextInt(digits.length()))
                            .getBytes(StandardCharsets.US_ASCII));
                    break;
                default: // glue another request on
                    b = concat(b, valid(r, false));
                    break;
            }
        }
        return b;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] insert(byte[] b, int at, byte[] x) {
        return concat(concat(slice(b, 0, at), x), slice(b, at, b.length));
    }

    // ------------------------------------------------------------------ one connection

    /**
     * Sends the frames (split at random points, with short pauses), reads until the server is
     * quiet or closes, and checks that what came back is whole, well-formed RESP. Returns a
     * description of the problem, or null.
     */
    private static String exchange(int port, List<byte[]> frames, SplittableRandom r) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.writeBytes(f);
        }
        byte[] request = all.toByteArray();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean closed = false;
        try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            sock.setTcpNoDelay(true);
            OutputStream out = sock.getOutputStream();
            InputStream in = sock.getInputStream();
            int pos = 0;
            try {
                while (pos < request.length) {
                    int n = r.nextInt(3) == 0 ? 1 + r.nextInt(Math.min(16, request.length - pos))
                            : request.length - pos;
                    out.write(request, pos, n);
                    out.flush();
                    pos += n;
                    if (pos < request.length && r.nextInt(4) == 0) {
                        Thread.sleep(1);
                    }
                }
            } catch (IOException closedWhileSending) {
                // the server may close a connection that sent something it refuses
            }
            if (r.nextInt(4) == 0) {
                Thread.sleep(r.nextInt(300)); // a client slow to read: its replies wait in the server
            }
            sock.setSoTimeout(150);
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException quiet) {
                    break;
                } catch (IOException reset) {
                    closed = true;
                    break;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                got.write(buf, 0, n);
                if (got.size() > 64 * 1024 * 1024) {
                    break; // a huge reply (MONITOR of everything, a big value) need not be read to the end
                }
            }
        } catch (Exception e) {
            return "connection failed: " + e + " after sending " + RawClient.show(request);
        }
        byte[] reply = got.toByteArray();
        String bad = reply.length > 64 * 1024 * 1024 ? null : wellFormed(reply);
        if (bad != null) {
            return bad + (closed ? " (closed)" : "") + "\n  sent: " + RawClient.show(request)
                    + "\n  got:  " + RawClient.show(java.util.Arrays.copyOf(reply, Math.min(reply.length, 2000)));
        }
        return null;
    }

    /** Null when {@code b} is a sequence of whole RESP2/RESP3 replies; else what is wrong. */
    static String wellFormed(byte[] b) {
        int[] pos = {0};
        while (pos[0] < b.length) {
            String bad = value(b, pos);
            if (bad != null) {
                return bad + " at byte " + pos[0];
            }
        }
        return null;
    }

    private static String value(byte[] b, int[] pos) {
        if (pos[0] >= b.length) {
            return "reply cut short";
        }
        char t = (char) b[pos[0]++];
        int start = pos[0];
        int cr = -1;
        for (int i = start; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                cr = i;
                break;
            }
            if (b[i] == '\r' || b[i] == '\n') {
                return "bare CR or LF in a line";
            }
        }
        if (cr < 0) {
            return "reply cut short (line)";
        }
        String line = new String(b, start, cr - start, StandardCharsets.ISO_8859_1);
        pos[0] = cr + 2;
        switch (t) {
            case '+': case '-': case ':': case '_': case ',': case '#': case '(':
                return null;
            case '$': case '=': case '!': {
                long n;
                try {
                    n = Long.parseLong(line);
                } catch (NumberFormatException e) {
                    return "bad bulk length " + line;
                }
                if (n < 0) {
                    return n == -1 && t == '$' ? null : "bad bulk length " + line;
                }
                if (pos[0] + n + 2 > b.length) {
                    return "bulk of " + n + " bytes cut short";
                }
                pos[0] += (int) n;
                if (b[pos[0]] != '\r' || b[pos[0] + 1] != '\n') {
                    return "bulk not followed by CRLF";
                }
                pos[0] += 2;
                return null;
            }
            case '*': case '~': case '>': case '%': case '|': {
                long n;
                try {
                    n = Long.parseLong(line);
                } catch (NumberFormatException e) {
                    return "bad aggregate length " + line;
                }
                if (n < 0) {
                    return n == -1 && t == '*' ? null : "bad aggregate length " + line;
                }
                long count = (t == '%' || t == '|') ? 2 * n : n;
                for (long i = 0; i < count; i++) {
                    String bad = value(b, pos);
                    if (bad != null) {
                        return bad;
                    }
                }
                return t == '|' ? value(b, pos) : null;
            }
            default:
                return "unknown reply type '" + t + "'";
        }
    }
}
