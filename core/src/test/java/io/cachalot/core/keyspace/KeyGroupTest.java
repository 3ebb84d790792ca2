package io.cachalot.core.keyspace;

import io.cachalot.core.types.Encoding;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Key groups follow the keys of their prefix whatever changes them: commands, expiry, FLUSHDB, SWAPDB. */
class KeyGroupTest {
    private final Engine engine = new Engine();
    private final EmbeddedClient client = new EmbeddedClient(engine);
    private final Database db = engine.keyspace().db(0);

    @AfterEach
    void close() {
        engine.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Set<String> keys(KeyGroup g) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < g.database().segmentCount(); i++) {
            for (byte[] k : g.keysInSegment(i)) {
                out.add(new String(k, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void tracksKeysWrittenBeforeAndAfterOpening() {
        client.call("SET", "c::1", "a");
        client.call("SET", "other", "b");
        KeyGroup g = db.openGroup(b("c::"));
        assertThat(g.size()).isEqualTo(1);
        client.call("MSET", "c::2", "x", "c::3", "y", "d::1", "z");
        client.call("RPUSH", "c::list", "1", "2");
        assertThat(keys(g)).containsExactlyInAnyOrder("c::1", "c::2", "c::3", "c::list");
        client.call("DEL", "c::2");
        client.call("RENAME", "c::3", "elsewhere");
        client.call("RENAME", "other", "c::moved");
        assertThat(keys(g)).containsExactlyInAnyOrder("c::1", "c::list", "c::moved");
        assertThat(g.size()).isEqualTo(3);
    }

    @Test
    void memoryFollowsValuesWhateverChangesThem() {
        KeyGroup g = db.openGroup(b("c::"));
        client.call("SET", "c::a", "x".repeat(1000));
        long one = g.memoryUsage();
        assertThat(one).isGreaterThan(1000);
        client.call("APPEND", "c::a", "y".repeat(1000));
        assertThat(g.memoryUsage()).isGreaterThan(one + 900);
        client.call("RPUSH", "c::l", "1", "2", "3");
        client.call("SET", "other", "z".repeat(5000));
        long withList = g.memoryUsage();
        client.call("RPUSH", "c::l", "x".repeat(500));
        assertThat(g.memoryUsage()).isGreaterThan(withList + 400);
        client.call("DEL", "c::a");
        long listOnly = g.memoryUsage();
        assertThat(listOnly).isBetween(500L, withList);
        client.call("SWAPDB", "0", "1");
        assertThat(g.memoryUsage()).isZero();
        client.call("SWAPDB", "0", "1");
        assertThat(g.memoryUsage()).isEqualTo(listOnly);
        client.call("DEL", "c::l");
        assertThat(g.memoryUsage()).isZero();
        assertThat(g.size()).isZero();
    }

    @Test
    void clearRemovesOnlyTheGroup() {
        KeyGroup g = db.openGroup(b("c::"));
        for (int i = 0; i < 1000; i++) {
            client.call("SET", "c::" + i, "v");
            client.call("SET", "x::" + i, "v");
        }
        assertThat(g.size()).isEqualTo(1000);
        assertThat(g.clear()).isEqualTo(1000);
        assertThat(g.size()).isZero();
        assertThat(client.call("DBSIZE")).isEqualTo(1000L);
    }

    @Test
    void flushAndSwapKeepCountsTrue() {
        KeyGroup g0 = db.openGroup(b("c::"));
        KeyGroup g1 = engine.keyspace().db(1).openGroup(b("c::"));
        client.call("SET", "c::a", "1");
        client.call("SELECT", "1");
        client.call("SET", "c::b", "1");
        client.call("SET", "c::c", "1");
        client.call("SWAPDB", "0", "1");
        assertThat(keys(g0)).containsExactlyInAnyOrder("c::b", "c::c");
        assertThat(keys(g1)).containsExactlyInAnyOrder("c::a");
        client.call("FLUSHALL");
        assertThat(g0.size()).isZero();
        assertThat(g1.size()).isZero();
        client.call("SELECT", "0");
        client.call("SET", "c::again", "1");
        assertThat(keys(g0)).containsExactly("c::again");
    }

    @Test
    void expiryByTheEngineIsReported() throws Exception {
        KeyGroup g = db.openGroup(b("c::"));
        List<String> expired = new CopyOnWriteArrayList<>();
        g.setExpiryListener((k, v, t) -> expired.add(new String(k, StandardCharsets.UTF_8)));
        client.call("SET", "c::soon", "v", "PX", "20");
        client.call("SET", "x::soon", "v", "PX", "20");
        long deadline = System.currentTimeMillis() + 3000;
        while (expired.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(expired).containsExactly("c::soon");
        assertThat(g.size()).isZero();
    }

    @Test
    void evictsTheLeastRecentlyUsedOfASample() {
        KeyGroup g = db.openGroup(b("c::"));
        for (int i = 0; i < 50; i++) {
            client.call("SET", "c::" + i, "v");
        }
        for (int i = 0; i < 10; i++) {
            assertThat(g.evictOne(5, false, ThreadLocalRandom.current(), System.currentTimeMillis(), null)).isNotNull();
        }
        assertThat(g.size()).isEqualTo(40);
        assertThat(client.call("DBSIZE")).isEqualTo(40L);
        assertThat(engine.keyspace().stats().evictedKeys.sum()).isEqualTo(10);
    }

    @Test
    void entrySetSurvivesChurn() {
        EntrySet set = new EntrySet();
        List<Entry> live = new ArrayList<>();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 20000; i++) {
            if (live.isEmpty() || r.nextInt(3) != 0) {
                byte[] k = b("k" + i);
                Entry e = new Entry(k, r.nextInt(), k, ValueType.STRING.code(), Encoding.RAW.code());
                set.add(e);
                live.add(e);
            } else {
                set.remove(live.remove(r.nextInt(live.size())));
            }
            assertThat(set.size()).isEqualTo(live.size());
        }
        assertThat(Set.of(set.toArray())).containsExactlyInAnyOrderElementsOf(live);
    }
}
