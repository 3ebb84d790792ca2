package io.cachalot.core.script;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scripts from the embedded client (the full command path, no socket), and their atomicity when
 * threads run scripts and other commands at once: in-process callers run scripts on their own
 * thread, so the locks are all that keeps a script atomic.
 */
class ScriptingTest {
    private static final String INCR_BY_SCRIPT =
            "local v = tonumber(redis.call('get', KEYS[1]) or '0') redis.call('set', KEYS[1], v + 1) return v + 1";

    private final Engine engine = new Engine();
    private final EmbeddedClient client = new EmbeddedClient(engine);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void evalRunsCommandsAndConvertsReplies() {
        assertThat(client.call("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v")).isEqualTo("OK");
        assertThat(client.call("EVAL", "return redis.call('get', KEYS[1])", "1", "k")).isEqualTo("v".getBytes());
    }

    /** Read-modify-write scripts on declared keys, mixed with INCR: no update is lost. */
    @Test
    @Timeout(60)
    void declaredKeysLoseNoUpdate() throws Exception {
        int threads = 6;
        int rounds = 2000;
        runAll(threads, t -> {
            EmbeddedClient c = new EmbeddedClient(engine);
            for (int i = 0; i < rounds; i++) {
                if (t % 3 == 0) {
                    c.call("INCR", "counter");
                } else {
                    c.call("EVAL", INCR_BY_SCRIPT, "1", "counter");
                }
            }
        });
        assertThat(client.call("GET", "counter")).isEqualTo(String.valueOf(threads * rounds).getBytes());
    }

    /**
     * Scripts that touch keys they do not declare, racing each other and multi-key commands on
     * the same keys: every update lands, nothing deadlocks, and the scripts are then known to
     * need the whole keyspace.
     */
    @Test
    @Timeout(60)
    void undeclaredKeysLoseNoUpdateAndDoNotDeadlock() throws Exception {
        int threads = 6;
        int rounds = 1500;
        String undeclared = "redis.call('incr', 'u:a') redis.call('incr', 'u:b') return redis.call('incr', 'u:c')";
        String half = "redis.call('incr', KEYS[1]) return redis.call('incr', 'u:a')";
        runAll(threads, t -> {
            EmbeddedClient c = new EmbeddedClient(engine);
            for (int i = 0; i < rounds; i++) {
                switch (t % 3) {
                    case 0 -> c.call("EVAL", undeclared, "0");
                    case 1 -> c.call("EVAL", half, "1", "u:c");
                    default -> c.call("EVAL", "return redis.call('mset', KEYS[1], ARGV[1], KEYS[2], ARGV[1])", "2",
                            "m:" + (i % 7), "m:" + (i % 5), "v");
                }
            }
        });
        long perThread = rounds * 2L; // two threads of each kind
        assertThat(client.call("GET", "u:a")).isEqualTo(String.valueOf(2 * perThread).getBytes());
        assertThat(client.call("GET", "u:b")).isEqualTo(String.valueOf(perThread).getBytes());
        assertThat(client.call("GET", "u:c")).isEqualTo(String.valueOf(2 * perThread).getBytes());
    }

    /** A script writes two keys; readers (MGET, and scripts) never see one written without the other. */
    @Test
    @Timeout(60)
    void readersNeverSeeHalfAScript() throws Exception {
        client.call("MSET", "x", "0", "y", "0");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean torn = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                int kind = r;
                readers.add(pool.submit(() -> {
                    EmbeddedClient c = new EmbeddedClient(engine);
                    while (!stop.get()) {
                        Object v = kind == 0 ? c.call("MGET", "x", "y")
                                : c.call("EVAL", "return {redis.call('get', 'x'), redis.call('get', 'y')}",
                                        kind == 1 ? "0" : "2", "x", "y");
                        List<?> l = (List<?>) v;
                        if (!java.util.Arrays.equals((byte[]) l.get(0), (byte[]) l.get(1))) {
                            torn.set(true);
                        }
                    }
                }));
            }
            EmbeddedClient w = new EmbeddedClient(engine);
            for (int i = 1; i <= 3000; i++) {
                w.call("EVAL", "redis.call('set', KEYS[1], ARGV[1]) redis.call('set', KEYS[2], ARGV[1])", "2", "x",
                        "y", Integer.toString(i));
            }
            stop.set(true);
            for (Future<?> f : readers) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(torn).as("a reader saw x and y differ").isFalse();
        assertThat(client.call("GET", "y")).isEqualTo("3000".getBytes());
    }

    /** A script that touched undeclared keys locks everything on its later runs. */
    @Test
    void aScriptThatTouchedUndeclaredKeysIsRemembered() {
        client.call("EVAL", "return redis.call('get', 'other')", "0");
        String sha = new String((byte[]) client.call("SCRIPT", "LOAD", "return redis.call('get', 'other')"));
        Script s = engine.scripts().cached(sha);
        assertThat(s.exclusive).isTrue();
        client.call("EVAL", "return redis.call('get', KEYS[1])", "1", "k");
        String declared = new String((byte[]) client.call("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])"));
        assertThat(engine.scripts().cached(declared).exclusive).isFalse();
    }

    private interface Body {
        void run(int thread) throws Exception;
    }

    private static void runAll(int threads, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    body.run(id);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
