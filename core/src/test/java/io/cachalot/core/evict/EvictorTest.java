package io.cachalot.core.evict;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient.CommandException;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each maxmemory policy evicts what it should, and noeviction refuses what Redis refuses. */
class EvictorTest {
    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    private static long used(Engine e) {
        return e.evictor().usedMemory();
    }

    /** Sets maxmemory so that about {@code keep} of the current keys fit. */
    private static long limitFor(Engine e, EmbeddedClient c, long keep) {
        return limitFor(e, c, keep, (Long) c.call("DBSIZE"));
    }

    /** As {@link #limitFor(Engine, EmbeddedClient, long)} for data of {@code keys} keys in all. */
    private static long limitFor(Engine e, EmbeddedClient c, long keep, long keys) {
        long perKey = (used(e) - Evictor.STARTUP_MEMORY) / keys;
        long limit = Evictor.STARTUP_MEMORY + perKey * keep;
        c.call("CONFIG", "SET", "maxmemory", Long.toString(limit));
        return limit;
    }

    private static void awaitUnder(Engine e, long limit) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (used(e) > limit && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(used(e)).isLessThanOrEqualTo(limit);
    }

    private static int count(EmbeddedClient c, String prefix, int n) {
        int present = 0;
        for (int i = 0; i < n; i++) {
            if ((Long) c.call("EXISTS", prefix + i) == 1) {
                present++;
            }
        }
        return present;
    }

    @Test
    void noevictionRefusesDenyoomCommandsOnly() {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            c.call("SET", "k", "v");
            c.call("RPUSH", "list", "a");
            c.call("CONFIG", "SET", "maxmemory", "1");
            assertThatThrownBy(() -> c.call("SET", "x", "y")).hasMessage(OOM);
            assertThatThrownBy(() -> c.call("RPUSH", "list", "b")).hasMessage(OOM);
            assertThatThrownBy(() -> c.call("APPEND", "k", "more")).hasMessage(OOM);
            // reads, deletions and commands that cannot grow the data go on
            assertThat(c.call("GET", "k")).isEqualTo("v".getBytes());
            assertThat(c.call("LPOP", "list")).isEqualTo("a".getBytes());
            assertThat(c.call("DEL", "k")).isEqualTo(1L);
            assertThat(c.call("DBSIZE")).isEqualTo(0L);
            assertThat(e.keyspace().stats().evictedKeys.sum()).isZero();
            // inside MULTI anything but EXEC/DISCARD is refused (queuing takes memory) and EXEC aborts
            assertThat(c.call("MULTI")).isEqualTo("OK");
            assertThatThrownBy(() -> c.call("GET", "k")).hasMessage(OOM);
            assertThatThrownBy(() -> c.call("EXEC")).hasMessageStartingWith("EXECABORT Transaction discarded");
            c.call("CONFIG", "SET", "maxmemory", "0");
            assertThat(c.call("SET", "x", "y")).isEqualTo("OK");
            String info = new String((byte[]) c.call("INFO", "errorstats"), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(info).contains("errorstat_OOM:count=");
        }
    }

    @Test
    void execWithAQueuedWriteIsAbortedWhenMemoryRunsOutAfterQueuing() {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            EmbeddedClient other = new EmbeddedClient(e);
            c.call("MULTI");
            c.call("SET", "a", "1");
            other.call("CONFIG", "SET", "maxmemory", "1");
            assertThatThrownBy(() -> c.call("EXEC")).hasMessage(
                    "EXECABORT Transaction discarded because of: " + OOM);
            other.call("CONFIG", "SET", "maxmemory", "0");
            assertThat(c.call("MULTI")).isEqualTo("OK");
            c.call("GET", "a");
            other.call("CONFIG", "SET", "maxmemory", "1");
            // an EXEC of reads only runs
            assertThat(c.call("EXEC")).isInstanceOf(java.util.List.class);
        }
    }

    @Test
    void allkeysLruKeepsRecentlyUsedKeys() throws Exception {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            for (int i = 0; i < 2000; i++) {
                c.call("SET", "k" + i, "value-" + i);
            }
            Thread.sleep(50);
            for (int i = 0; i < 500; i++) {
                c.call("GET", "k" + i); // the hot quarter
            }
            long limit = limitFor(e, c, 1000);
            awaitUnder(e, limit);
            assertThat(count(c, "k", 500)).isGreaterThanOrEqualTo(490);
            assertThat((Long) c.call("DBSIZE")).isBetween(900L, 1000L);
            assertThat(e.keyspace().stats().evictedKeys.sum()).isGreaterThanOrEqualTo(1000);
            // writes go on, evicting before each command as Redis does: over by one entry at most
            for (int i = 0; i < 1000; i++) {
                c.call("SET", "n" + i, "value-" + i);
                assertThat(used(e)).isLessThanOrEqualTo(limit + 256);
            }
        }
    }

    @Test
    void allkeysLfuKeepsFrequentlyUsedKeys() throws Exception {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            for (int i = 0; i < 2000; i++) {
                c.call("SET", "k" + i, "value-" + i);
            }
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 300; i++) {
                    c.call("GET", "k" + i);
                }
            }
            assertThat((Long) c.call("OBJECT", "FREQ", "k1")).isGreaterThan((Long) c.call("OBJECT", "FREQ", "k1999"));
            long limit = limitFor(e, c, 800);
            awaitUnder(e, limit);
            assertThat(count(c, "k", 300)).isGreaterThanOrEqualTo(295);
        }
    }

    @Test
    void volatilePoliciesEvictOnlyKeysWithATtlAndFailWhenNoneIsLeft() throws Exception {
        for (String policy : new String[] {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
            try (Engine e = new Engine()) {
                EmbeddedClient c = new EmbeddedClient(e);
                c.call("CONFIG", "SET", "maxmemory-policy", policy);
                for (int i = 0; i < 1000; i++) {
                    c.call("SET", "p" + i, "persistent-" + i);
                    c.call("SET", "t" + i, "temporary-" + i, "EX", "1000");
                }
                long limit = limitFor(e, c, 1500);
                awaitUnder(e, limit);
                assertThat(count(c, "p", 1000)).as(policy).isEqualTo(1000);
                assertThat(count(c, "t", 1000)).as(policy).isBetween(400, 510);
                // below what the persistent keys take: every volatile key goes, then writes fail
                c.call("CONFIG", "SET", "maxmemory", Long.toString(limitFor(e, c, 0) + 1));
                long deadline = System.currentTimeMillis() + 10_000;
                while ((Long) c.call("DBSIZE") > 1000 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(c.call("DBSIZE")).as(policy).isEqualTo(1000L);
                assertThatThrownBy(() -> c.call("SET", "x", "y")).as(policy).hasMessage(OOM);
                assertThat(count(c, "p", 1000)).as(policy).isEqualTo(1000);
            }
        }
    }

    @Test
    void volatileTtlEvictsTheNearestExpiryFirst() throws Exception {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            c.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
            for (int i = 0; i < 1000; i++) {
                c.call("SET", "t" + i, "temporary", "EX", Integer.toString(1000 + i * 10));
            }
            long limit = limitFor(e, c, 500);
            awaitUnder(e, limit);
            // the longest-lived half survives, bar a few misjudged by sampling
            int late = 0;
            for (int i = 500; i < 1000; i++) {
                late += (Long) c.call("EXISTS", "t" + i);
            }
            assertThat(late).isGreaterThanOrEqualTo(400);
            int earliest = 0;
            for (int i = 0; i < 100; i++) {
                earliest += (Long) c.call("EXISTS", "t" + i);
            }
            // a key never sampled survives: 2,500 samples over 1,000 keys miss about e^-2.5 = 8% of them
            assertThat(earliest).isLessThanOrEqualTo(15);
        }
    }

    @Test
    void randomPoliciesEvictUntilUnder() throws Exception {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            for (int db = 0; db < 3; db++) {
                c.call("SELECT", Integer.toString(db));
                for (int i = 0; i < 1000; i++) {
                    c.call("SET", "k" + i, "v" + i);
                }
            }
            long limit = limitFor(e, c, 1000, 3000); // a third of the data fits
            awaitUnder(e, limit);
            long total = 0;
            for (int db = 0; db < 3; db++) {
                c.call("SELECT", Integer.toString(db));
                long n = (Long) c.call("DBSIZE");
                assertThat(n).isBetween(200L, 500L); // round-robin over the databases, as Redis
                total += n;
            }
            assertThat(total).isBetween(900L, 1000L);
        }
    }

    @Test
    void configSetMaxmemoryShrinksTheDatasetWithoutAnyCommand() throws Exception {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            for (int i = 0; i < 100_000; i++) {
                c.call("SET", "k" + i, "v" + i);
            }
            long limit = limitFor(e, c, 10_000);
            awaitUnder(e, limit); // the background eviction does it: nobody sends a command meanwhile
            // and then it stops (its last round may still be ending when the figure drops under the limit)
            long deadline = System.currentTimeMillis() + 5000;
            while (e.evictor().backgroundRunning() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(e.evictor().backgroundRunning()).isFalse();
            assertThat((Long) c.call("DBSIZE")).isBetween(9_000L, 10_000L);
        }
    }

    /** A write storm under allkeys-lru: used memory stays within a few entries of maxmemory. */
    @Test
    void writeStormStaysBounded() throws Exception {
        try (Engine e = new Engine()) {
            EmbeddedClient setup = new EmbeddedClient(e);
            setup.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            long limit = 8L << 20;
            setup.call("CONFIG", "SET", "maxmemory", Long.toString(limit));
            AtomicLong maxSeen = new AtomicLong();
            Thread[] writers = new Thread[2];
            for (int t = 0; t < writers.length; t++) {
                writers[t] = storm(e, t, maxSeen);
                writers[t].start();
            }
            for (Thread w : writers) {
                w.join();
            }
            long overshoot = maxSeen.get() - limit;
            // each writer adds at most one entry (~200 bytes) between its checks
            assertThat(overshoot).isLessThan(4096);
            assertThat(e.keyspace().stats().evictedKeys.sum()).isGreaterThan(300_000);
        }
    }

    private static Thread storm(Engine e, int id, AtomicLong maxSeen) {
        return new Thread(() -> {
            EmbeddedClient c = new EmbeddedClient(e);
            byte[] set = "SET".getBytes();
            byte[] value = new byte[100];
            for (int i = 0; i < 200_000; i++) {
                c.call(set, ("w" + id + ":" + i).getBytes(), value);
                long u = used(e);
                if (u > maxSeen.get()) {
                    maxSeen.accumulateAndGet(u, Math::max);
                }
            }
        });
    }

    @Test
    void objectIdletimeFollowsTheLruClock() throws Exception {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            c.call("SET", "k", "v");
            Thread.sleep(1100);
            assertThat((Long) c.call("OBJECT", "IDLETIME", "k")).isEqualTo(1L);
            c.call("GET", "k");
            assertThat((Long) c.call("OBJECT", "IDLETIME", "k")).isZero();
        }
    }

    @Test
    void withoutMaxmemoryTheHeapDerivedBoundRefusesWrites() {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            long heap = Runtime.getRuntime().maxMemory();
            assertThat(e.evictor().limit()).isEqualTo(heap / 100 * 75);
            c.call("CONFIG", "SET", "maxmemory-heap-percent", "1");
            byte[] big = new byte[256 * 1024];
            int written = 0;
            CommandException refused = null;
            for (int i = 0; i < 100_000 && refused == null; i++) {
                try {
                    c.call("SET".getBytes(), ("big" + i).getBytes(), big);
                    written++;
                } catch (CommandException ex) {
                    refused = ex;
                }
            }
            assertThat(refused).hasMessage(OOM);
            assertThat((long) written * big.length).isBetween(heap / 100 - Evictor.STARTUP_MEMORY - 2 * big.length,
                    heap / 100 + big.length);
            c.call("FLUSHALL");
            assertThat(c.call("SET", "x", "y")).isEqualTo("OK");
        }
    }

    @Test
    void heapPressureLowersTheLimit() {
        try (Engine e = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(e);
            for (int i = 0; i < 1000; i++) {
                c.call("SET", "k" + i, "v" + i);
            }
            long before = used(e);
            HeapGuard g = e.evictor().heapGuard();
            g.heapUsedAfterGc(Runtime.getRuntime().maxMemory() / 100 * 95);
            assertThat(g.underPressure()).isTrue();
            assertThat(e.evictor().limit()).isEqualTo(Math.max(Evictor.STARTUP_MEMORY, before / 10 * 9));
            assertThatThrownBy(() -> c.call("SET", "x", "y")).hasMessage(OOM);
            g.heapUsedAfterGc(Runtime.getRuntime().maxMemory() / 100 * 50);
            assertThat(g.underPressure()).isFalse();
            assertThat(c.call("SET", "x", "y")).isEqualTo("OK");
        }
    }
}
