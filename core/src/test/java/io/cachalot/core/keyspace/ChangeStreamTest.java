package io.cachalot.core.keyspace;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import io.cachalot.core.util.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a key changes reaches the keyspace's one change stream, in order. */
class ChangeStreamTest {
    private final Engine engine = new Engine();
    private final List<String> seen = new ArrayList<>();
    private final ChangeListener recorder = new ChangeListener() {
        @Override
        public void keyChanged(Database db, Entry e, ChangeKind kind) {
            synchronized (seen) {
                seen.add(kind + " " + db.index() + " " + Bytes.latin1(e.key()));
            }
        }

        @Override
        public void databaseFlushed(Database db) {
            synchronized (seen) {
                seen.add("FLUSHED " + db.index());
            }
        }

        @Override
        public void databasesSwapped(Database a, Database b) {
            synchronized (seen) {
                seen.add("SWAPPED " + a.index() + " " + b.index());
            }
        }
    };

    ChangeStreamTest() {
        engine.keyspace().changes().subscribe(recorder);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private List<String> take() {
        synchronized (seen) {
            List<String> r = new ArrayList<>(seen);
            seen.clear();
            return r;
        }
    }

    @Test
    void commandsReportEveryWriteAndNoRead() {
        EmbeddedClient c = new EmbeddedClient(engine);
        c.call("SET", "k", "v");
        c.call("GET", "k");
        c.call("EXISTS", "k", "nope");
        assertThat(take()).containsExactly("CREATED 0 k");
        c.call("EXPIRE", "k", "100");
        c.call("PERSIST", "k");
        c.call("DEL", "k", "absent");
        assertThat(take()).containsExactly("WRITTEN 0 k", "WRITTEN 0 k", "DELETED 0 k");
        // a collection created and pushed to: CREATED first, then WRITTEN, never anything else
        c.call("RPUSH", "l", "a", "b");
        c.call("LPOP", "l", "2");
        assertThat(take()).startsWith("CREATED 0 l").containsOnly("CREATED 0 l", "WRITTEN 0 l", "DELETED 0 l")
                .endsWith("DELETED 0 l");
        c.call("SET", "a", "1");
        c.call("RENAME", "a", "b");
        assertThat(take()).containsExactly("CREATED 0 a", "CREATED 0 b", "DELETED 0 a");
        c.call("MOVE", "b", "3");
        assertThat(take()).containsExactly("CREATED 3 b", "DELETED 0 b");
        c.call("SWAPDB", "0", "3");
        c.call("FLUSHDB");
        assertThat(take()).containsExactly("SWAPPED 0 3", "FLUSHED 0");
        c.call("SET", "x", "1");
        c.call("FLUSHALL");
        assertThat(take()).startsWith("CREATED 0 x", "FLUSHED 0").hasSize(1 + 16);
    }

    @Test
    void expiryIsReportedAsExpiredWhetherLazyOrActive() throws Exception {
        EmbeddedClient c = new EmbeddedClient(engine);
        engine.setActiveExpireEnabled(false);
        c.call("SET", "lazy", "v", "PX", "1");
        c.call("SET", "active", "v", "PX", "1");
        take();
        Thread.sleep(5);
        assertThat(c.call("GET", "lazy")).isNull();
        assertThat(take()).containsExactly("EXPIRED 0 lazy");
        engine.setActiveExpireEnabled(true);
        long deadline = System.currentTimeMillis() + 10_000;
        while (engine.keyspace().db(0).size() != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(take()).containsExactly("EXPIRED 0 active");
    }

    @Test
    void hashFieldsThatExpireAreReported() throws Exception {
        EmbeddedClient c = new EmbeddedClient(engine);
        c.call("HSET", "h", "f", "v", "g", "w");
        c.call("HPEXPIRE", "h", "1", "FIELDS", "1", "f");
        take();
        // the active cycle drops the field (nothing reads the key meanwhile)
        List<String> events = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!events.contains("ELEMENTS_EXPIRED 0 h") && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
            events.addAll(take());
        }
        assertThat(events).containsExactly("ELEMENTS_EXPIRED 0 h");
        assertThat(c.call("HLEN", "h")).isEqualTo(1L);
        // the last field expiring deletes the key: reported as emptied by the engine
        c.call("HPEXPIRE", "h", "1", "FIELDS", "1", "g");
        take();
        events.clear();
        deadline = System.currentTimeMillis() + 10_000;
        while (!events.contains("EMPTIED 0 h") && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
            events.addAll(take());
        }
        assertThat(events).containsExactly("ELEMENTS_EXPIRED 0 h", "EMPTIED 0 h");
        assertThat(c.call("EXISTS", "h")).isEqualTo(0L);
    }

    @Test
    void evictionIsReportedAsEvicted() throws Exception {
        EmbeddedClient c = new EmbeddedClient(engine);
        for (int i = 0; i < 100; i++) {
            c.call("SET", "k" + i, "x".repeat(100));
        }
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        take();
        c.call("CONFIG", "SET", "maxmemory", "1"); // evicts at once, as Redis does
        try {
            c.call("SET", "new", "v");
        } catch (EmbeddedClient.CommandException e) {
            assertThat(e).hasMessageStartingWith("OOM"); // nothing left to evict: refused, as Redis does
        }
        // eviction goes on in the background once its time slice is used up
        long deadline = System.currentTimeMillis() + 10_000;
        while (engine.keyspace().db(0).size() > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        List<String> events = take();
        assertThat(events).filteredOn(s -> s.startsWith("EVICTED 0 k")).hasSize(100);
        assertThat(events).allMatch(s -> s.startsWith("EVICTED") || s.equals("CREATED 0 new")
                || s.equals("EVICTED 0 new"));
    }

    @Test
    void theEmbeddedWritePathIsTheSame() throws Exception {
        EmbeddedClient c = new EmbeddedClient(engine);
        long dirty = engine.keyspace().dirty().sum();
        c.set(Bytes.ascii("k"), Bytes.ascii("v"));
        assertThat(take()).containsExactly("CREATED 0 k");
        assertThat(engine.keyspace().dirty().sum()).isEqualTo(dirty + 1);
        // and WATCH sees it, even when the write comes from another thread
        c.call("WATCH", "k");
        CompletableFuture.runAsync(() -> new EmbeddedClient(engine).set(Bytes.ascii("k"), Bytes.ascii("w"))).get();
        c.call("MULTI");
        c.call("GET", "k");
        assertThat(c.call("EXEC")).isNull();
    }

    @Test
    void readsThroughTheEmbeddedClientCountAsCommandsDo() {
        EmbeddedClient c = new EmbeddedClient(engine);
        KeyspaceStats stats = engine.keyspace().stats();
        long hits = stats.keyspaceHits.sum();
        long misses = stats.keyspaceMisses.sum();
        c.set(Bytes.ascii("k"), Bytes.ascii("v"));
        c.get(Bytes.ascii("k"));
        c.get(Bytes.ascii("absent"));
        c.call("GET", "k");
        c.call("GET", "absent");
        assertThat(stats.keyspaceHits.sum() - hits).isEqualTo(2);
        assertThat(stats.keyspaceMisses.sum() - misses).isEqualTo(2);
    }

    @Test
    void anUnsubscribedListenerHearsNothing() {
        EmbeddedClient c = new EmbeddedClient(engine);
        engine.keyspace().changes().unsubscribe(recorder);
        c.call("SET", "k", "v");
        assertThat(take()).isEmpty();
    }
}
