package io.cachalot.core.propagate;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** What commands put in the effect log, and that replaying the log rebuilds the data. */
class EffectLogTest {
    private final Engine engine = new Engine();
    private final Recorder sink = new Recorder();

    /** Keeps the stream, as the AOF would. */
    static final class Recorder implements EffectSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public synchronized void append(byte[] b, int off, int len) {
            out.write(b, off, len);
        }

        @Override
        public synchronized long flush() {
            return out.size();
        }

        @Override
        public void awaitDurable(long position) {
        }

        synchronized List<List<String>> commands() {
            return parse(out.toByteArray());
        }
    }

    EffectLogTest() {
        engine.effects().attach(sink);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** The RESP commands of a stream, each as its words. */
    static List<List<String>> parse(byte[] b) {
        List<List<String>> commands = new ArrayList<>();
        int[] p = {0};
        while (p[0] < b.length) {
            int n = Integer.parseInt(line(b, p).substring(1));
            List<String> words = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = Integer.parseInt(line(b, p).substring(1));
                words.add(new String(b, p[0], len, StandardCharsets.ISO_8859_1));
                p[0] += len + 2;
            }
            commands.add(words);
        }
        return commands;
    }

    private static String line(byte[] b, int[] p) {
        int start = p[0];
        while (b[p[0]] != '\r') {
            p[0]++;
        }
        String s = new String(b, start, p[0] - start, StandardCharsets.ISO_8859_1);
        p[0] += 2;
        return s;
    }

    private static String digest(Engine e) {
        return io.cachalot.core.debug.Digest.hex(new io.cachalot.core.debug.Digest().dataset(e.keyspace()));
    }

    private List<String> last() {
        List<List<String>> c = sink.commands();
        return c.get(c.size() - 1);
    }

    @Test
    void relativeTimesAndRandomChoicesAreLoggedAsWhatHappened() {
        EmbeddedClient c = new EmbeddedClient(engine);
        long before = System.currentTimeMillis();
        c.call("SET", "k", "v", "EX", "100");
        List<String> set = last();
        assertThat(set.subList(0, 4)).containsExactly("SET", "k", "v", "PXAT");
        assertThat(Long.parseLong(set.get(4))).isBetween(before + 100_000, System.currentTimeMillis() + 100_000);
        assertThat(sink.commands().get(0)).containsExactly("SELECT", "0");

        c.call("EXPIRE", "k", "50");
        assertThat(last().get(0)).isEqualTo("PEXPIREAT");
        c.call("EXPIRE", "k", "-1");
        assertThat(last()).containsExactly("DEL", "k");
        c.call("SET", "f", "1.5");
        c.call("INCRBYFLOAT", "f", "0.25");
        assertThat(last()).containsExactly("SET", "f", "1.75", "KEEPTTL");
        c.call("SADD", "s", "a", "b", "c");
        Object popped = c.call("SPOP", "s");
        assertThat(last()).containsExactly("SREM", "s", new String((byte[]) popped, StandardCharsets.UTF_8));
        c.call("SPOP", "s", "5");
        assertThat(last()).containsExactly("DEL", "s");
        c.call("RPUSH", "l", "a", "b");
        c.call("BLPOP", "l", "0");
        assertThat(last()).containsExactly("LPOP", "l");
        c.call("LMPOP", "1", "l", "RIGHT", "COUNT", "3");
        assertThat(last()).containsExactly("RPOP", "l", "1");
        c.call("GET", "nothing");
        c.call("SET", "f", "2", "GET");
        assertThat(last()).containsExactly("SET", "f", "2");
        c.call("GETDEL", "f");
        assertThat(last()).containsExactly("DEL", "f");
    }

    /**
     * A command that began before the AOF was turned on and changes a collection after: logged as
     * its command (its unit opens at that change), not as the collection's state before the change.
     */
    @Test
    void aCommandThatBeganBeforeTheLogWasOnIsLoggedAsItself() {
        EmbeddedClient c = new EmbeddedClient(engine);
        engine.effects().detach();
        c.call("RPUSH", "l", "a");
        Object unit = engine.effects().begin();
        assertThat(unit).isNull();
        engine.effects().attach(sink);
        byte[] key = "l".getBytes(StandardCharsets.UTF_8);
        int h = io.cachalot.core.util.Bytes.hash(key);
        try (io.cachalot.core.keyspace.Segment seg = engine.keyspace().db(0).lock(h)) {
            io.cachalot.core.keyspace.Entry e = seg.find(key, h);
            long before = seg.beforeMutation(e);
            ((io.cachalot.core.types.list.QuickList) e.value()).push("b".getBytes(StandardCharsets.UTF_8), false);
            seg.afterMutation(e, before);
        }
        byte[][] argv = {"RPUSH".getBytes(StandardCharsets.UTF_8), key, "b".getBytes(StandardCharsets.UTF_8)};
        engine.effects().commandDone(0, argv, 3, null, 0);
        engine.effects().end(unit);
        assertThat(sink.commands()).containsExactly(List.of("SELECT", "0"), List.of("RPUSH", "l", "b"));
    }

    @Test
    void transactionsAreWrappedAndDatabasesSelected() {
        EmbeddedClient c = new EmbeddedClient(engine);
        c.call("MULTI");
        c.call("SET", "a", "1");
        c.call("SELECT", "3");
        c.call("INCR", "a");
        c.call("EXEC");
        assertThat(sink.commands()).containsExactly(
                List.of("SELECT", "0"), List.of("MULTI"), List.of("SET", "a", "1"),
                List.of("SELECT", "3"), List.of("INCR", "a"), List.of("EXEC"));
    }

    @Test
    void keysThatExpireAreLoggedAsDeletions() throws Exception {
        EmbeddedClient c = new EmbeddedClient(engine);
        c.call("SET", "t", "v", "PX", "1");
        Thread.sleep(5);
        assertThat(c.call("GET", "t")).isNull();
        assertThat(last()).containsExactly("DEL", "t");
        c.set("plain".getBytes(StandardCharsets.UTF_8), "x".getBytes(StandardCharsets.UTF_8));
        assertThat(last()).containsExactly("SET", "plain", "x");
        // a write outside any command with its expiry: one record, one SET … PXAT
        byte[] key = "cached".getBytes(StandardCharsets.UTF_8);
        int h = io.cachalot.core.util.Bytes.hash(key);
        int before = sink.commands().size();
        long at = System.currentTimeMillis() + 60_000;
        try (io.cachalot.core.keyspace.Segment seg = engine.keyspace().db(0).lock(h)) {
            seg.insert(key, h, "v".getBytes(StandardCharsets.UTF_8), io.cachalot.core.keyspace.ValueType.STRING,
                    io.cachalot.core.types.Encoding.RAW, null, (byte) 0, at, false);
        }
        engine.keyspace().writeDone(1);
        assertThat(sink.commands().subList(before, sink.commands().size()))
                .containsExactly(List.of("SET", "cached", "v", "PXAT", Long.toString(at)));
    }

    /**
     * Many threads writing the same few keys, with commands whose effects depend on order: the
     * log, replayed into a new engine, gives the same data.
     */
    @Test
    void replayingTheLogOfConcurrentWritersRebuildsTheData() throws Exception {
        long seed = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                SplittableRandom rnd = new SplittableRandom(seed + t);
                fs.add(pool.submit(() -> {
                    EmbeddedClient c = new EmbeddedClient(engine);
                    for (int i = 0; i < 3000; i++) {
                        String k = "k" + rnd.nextInt(4);
                        switch (rnd.nextInt(9)) {
                            case 0: c.call("APPEND", "s" + k, Integer.toString(i)); break;
                            case 1: c.call("INCRBYFLOAT", "f" + k, "0.1"); break;
                            case 2: c.call("RPUSH", "l" + k, Integer.toString(i)); break;
                            case 3: c.call("LMOVE", "l" + k, "l" + "k" + rnd.nextInt(4), "LEFT", "RIGHT"); break;
                            case 4: c.call("SADD", "set" + k, Integer.toString(rnd.nextInt(20))); break;
                            case 5: c.call("SPOP", "set" + k); break;
                            case 6: c.call("ZINCRBY", "z" + k, "1", Integer.toString(rnd.nextInt(5))); break;
                            case 7: c.call("RENAME", "s" + k, "s" + "k" + rnd.nextInt(4)); break;
                            default:
                                c.call("MULTI");
                                c.call("INCR", "n" + k);
                                c.call("RPOPLPUSH", "l" + k, "l" + k);
                                c.call("EXEC");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // RENAME of a missing key: an error reply, nothing changed
                    if (!(e.getCause() instanceof EmbeddedClient.CommandException)) {
                        throw e;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        String digest = digest(engine);
        try (Engine replay = new Engine()) {
            EmbeddedClient r = new EmbeddedClient(replay);
            for (List<String> cmd : sink.commands()) {
                r.call(cmd.toArray(new String[0]));
            }
            assertThat(digest(replay)).as("seed " + seed).isEqualTo(digest);
        }
    }
}
