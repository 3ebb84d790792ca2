package io.cachalot.core.api;

import io.cachalot.core.Engine;
import io.cachalot.core.types.Encoding;
import io.cachalot.core.types.MutableValue;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine used in-process, without network or RESP. */
@SuppressWarnings("unchecked")
class EmbeddedClientTest {
    private final Engine engine = new Engine();

    @AfterEach
    void close() {
        engine.close();
    }

    private static String s(Object o) {
        return o instanceof byte[] ? Bytes.latin1((byte[]) o) : String.valueOf(o);
    }

    @Test
    void commandsReturnJavaValues() {
        EmbeddedClient c = new EmbeddedClient(engine);
        assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
        assertThat(s(c.call("GET", "k"))).isEqualTo("v");
        assertThat(c.call("GET", "missing")).isNull();
        assertThat(c.call("INCRBY", "n", "5")).isEqualTo(5L);
        assertThat((List<Object>) c.call("MGET", "k", "missing")).hasSize(2);
        assertThatThrownBy(() -> c.call("INCR", "k")).isInstanceOf(EmbeddedClient.CommandException.class)
                .hasMessage("ERR value is not an integer or out of range");
        assertThatThrownBy(() -> c.call("NOSUCH")).hasMessageStartingWith("ERR unknown command 'NOSUCH'");
        c.call("HELLO", "3");
        Object cfg = c.call("CONFIG", "GET", "hz");
        assertThat(cfg).isInstanceOf(Map.class);
        assertThat(s(((Map<?, ?>) cfg).get("hz"))).isEqualTo("10");
    }

    @Test
    void directGetSetShareTheKeyspace() {
        EmbeddedClient c = new EmbeddedClient(engine);
        c.set(Bytes.ascii("a"), Bytes.ascii("1"));
        assertThat(s(c.call("GET", "a"))).isEqualTo("1");
        assertThat(s(c.call("OBJECT", "ENCODING", "a"))).isEqualTo("int");
        c.call("SET", "b", "x", "EX", "100");
        assertThat(Bytes.latin1(c.get(Bytes.ascii("b")))).isEqualTo("x");
        c.set(Bytes.ascii("b"), Bytes.ascii("y"));
        assertThat(c.call("TTL", "b")).isEqualTo(-1L);
        assertThat(c.get(Bytes.ascii("nothing"))).isNull();
    }

    @Test
    void directSetObeysMaxmemory() {
        EmbeddedClient c = new EmbeddedClient(engine);
        c.set(Bytes.ascii("a"), Bytes.ascii("1"));
        c.call("CONFIG", "SET", "maxmemory", "1");
        try {
            assertThatThrownBy(() -> c.set(Bytes.ascii("b"), Bytes.ascii("2")))
                    .hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
            assertThat(s(c.call("GET", "a"))).isEqualTo("1");
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            // everything that may go goes, and the fixed share alone is still over 1 byte
            assertThatThrownBy(() -> c.set(Bytes.ascii("b"), Bytes.ascii("2"))).hasMessageStartingWith("OOM");
            assertThat(c.call("DBSIZE")).isEqualTo(0L);
        } finally {
            c.call("CONFIG", "SET", "maxmemory", "0");
            c.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
        c.set(Bytes.ascii("b"), Bytes.ascii("2"));
        assertThat(c.get(Bytes.ascii("b"))).isEqualTo(Bytes.ascii("2"));
    }

    @Test
    void sessionsHaveTheirOwnDatabase() {
        EmbeddedClient a = new EmbeddedClient(engine);
        EmbeddedClient b = new EmbeddedClient(engine);
        a.call("SELECT", "2");
        a.call("SET", "k", "in2");
        assertThat(b.call("GET", "k")).isNull();
        b.call("SELECT", "2");
        assertThat(s(b.call("GET", "k"))).isEqualTo("in2");
    }

    /** A value of another type, to exercise the WRONGTYPE paths before lists exist. */
    private static final class OtherType implements MutableValue {
        @Override
        public long memoryUsage() {
            return 16;
        }

        @Override
        public MutableValue copy() {
            return this;
        }

        @Override
        public long length() {
            return 1;
        }
    }

    @Test
    void stringCommandsRefuseOtherTypes() {
        EmbeddedClient c = new EmbeddedClient(engine);
        byte[] key = Bytes.ascii("list");
        int h = Bytes.hash(key);
        Segment seg = engine.keyspace().db(0).lock(h);
        try {
            seg.insert(key, h, new OtherType(), ValueType.LIST, Encoding.QUICKLIST);
        } finally {
            seg.unlock();
        }
        String wrong = "WRONGTYPE Operation against a key holding the wrong kind of value";
        for (String[] cmd : new String[][] {{"GET", "list"}, {"GETSET", "list", "v"}, {"GETDEL", "list"},
            {"GETEX", "list"}, {"APPEND", "list", "x"}, {"STRLEN", "list"}, {"INCR", "list"},
            {"INCRBYFLOAT", "list", "1"}, {"GETRANGE", "list", "0", "1"}, {"SETRANGE", "list", "0", "x"},
            {"SET", "list", "v", "GET"}}) {
            assertThatThrownBy(() -> c.call(cmd)).as(String.join(" ", cmd)).hasMessage(wrong);
        }
        assertThatThrownBy(() -> c.call("LCS", "list", "x"))
                .hasMessage("ERR The specified keys must contain string values");
        assertThat((List<Object>) c.call("MGET", "list")).containsExactly((Object) null);
        assertThat(c.call("TYPE", "list")).isEqualTo("list");
        assertThat(s(c.call("OBJECT", "ENCODING", "list"))).isEqualTo("quicklist");
        assertThat(c.call("SET", "list", "now a string")).isEqualTo("OK");
        assertThat(c.call("TYPE", "list")).isEqualTo("string");
    }

    @Test
    void parallelCommandsAreAtomic() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            fs.add(pool.submit(() -> {
                EmbeddedClient c = new EmbeddedClient(engine);
                for (int i = 0; i < perThread; i++) {
                    c.call("INCR", "counter");
                    // multi-key commands in opposite orders on different threads must not deadlock
                    if (id % 2 == 0) {
                        c.call("MSET", "x" + (i % 50), "1", "y" + (i % 37), "2", "mine" + id, "3");
                        c.call("RENAME", "mine" + id, "x" + (i % 50));
                    } else {
                        c.call("MSET", "y" + (i % 37), "1", "x" + (i % 50), "2");
                        c.call("COPY", "y" + (i % 37), "w" + id, "REPLACE");
                    }
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        assertThat(s(new EmbeddedClient(engine).call("GET", "counter"))).isEqualTo(Integer.toString(threads * perThread));
    }

    @Test
    void writesDuringClientPauseReplaceExpiredKeys() throws Exception {
        EmbeddedClient c = new EmbeddedClient(engine);
        c.call("SET", "k", "old", "PX", "1");
        Thread.sleep(10);
        c.call("CLIENT", "PAUSE", "10000", "WRITE");
        try {
            // expired keys read as absent but stay during a pause; an in-process writer is not paused
            assertThat(c.call("GET", "k")).isNull();
            assertThat(c.call("SET", "k", "new")).isEqualTo("OK");
            assertThat(s(c.call("GET", "k"))).isEqualTo("new");
            assertThat(c.call("DBSIZE")).isEqualTo(1L);
        } finally {
            c.call("CLIENT", "UNPAUSE");
        }
    }
}
