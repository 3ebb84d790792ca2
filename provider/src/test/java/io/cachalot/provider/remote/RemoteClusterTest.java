package io.cachalot.provider.remote;

import io.cachalot.provider.CachalotCache;
import io.cachalot.provider.CachalotCacheManager;
import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisClusterProcess;
import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.processor.EntryProcessor;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JCache on a Redis Cluster of three real redis-server masters: entries spread over the slots,
 * operations atomic across managers, the index spread over slots, and the caches keep working
 * while slots (with their keys) move to another node, or while a crashed master's replica takes
 * its place (reads, writes and other managers' listeners follow it).
 */
class RemoteClusterTest {
    private static MutableConfiguration<String, String> strings() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    @Test
    void cachesWorkAcrossTheClusterAndWhileSlotsMove() throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(3)) {
            List<Integer> ports = cluster.ports();
            // b's first seed is down: the next one answers, and the cluster client learns the rest
            int down = io.cachalot.testsupport.RedisServerProcess.freePort();
            try (CachalotCacheManager a = RemoteStoreTest.remote("redis://127.0.0.1:" + ports.get(0));
                 CachalotCacheManager b = RemoteStoreTest.remote("redis://127.0.0.1:" + down + ",redis://127.0.0.1:"
                         + ports.get(1))) {
                Cache<String, String> ca = a.createCache("users", strings());
                Cache<String, String> cb = b.createCache("users", strings());
                for (int i = 0; i < 500; i++) {
                    ca.put("u" + i, "v" + i);
                }
                assertThat(cb.get("u7")).isEqualTo("v7");
                assertThat(cb.unwrap(CachalotCache.class).size()).isEqualTo(500);
                // the entries and the index shards sit on every node
                for (int port : ports) {
                    try (RawClient c = new RawClient("127.0.0.1", port)) {
                        assertThat(new String(c.call("DBSIZE"), StandardCharsets.US_ASCII)).isNotEqualTo(":0\r\n");
                    }
                }
                // operations stay atomic across managers on a cluster
                MutableConfiguration<String, Integer> ints = new MutableConfiguration<String, Integer>()
                        .setTypes(String.class, Integer.class);
                Cache<String, Integer> na = a.createCache("counters", ints);
                Cache<String, Integer> nb = b.createCache("counters", ints);
                EntryProcessor<String, Integer, Integer> increment = (e, args) -> {
                    int n = e.exists() ? e.getValue() + 1 : 1;
                    e.setValue(n);
                    return n;
                };
                // while two threads count, 200 slots and their keys move from the first node to the second
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    Future<?> fa = pool.submit(() -> {
                        for (int i = 0; i < 200; i++) {
                            na.invoke("hits", increment);
                        }
                    });
                    Future<?> fb = pool.submit(() -> {
                        for (int i = 0; i < 200; i++) {
                            nb.invoke("hits", increment);
                        }
                    });
                    reshard(ports.get(0), ports.get(1), 200);
                    fa.get(60, TimeUnit.SECONDS);
                    fb.get(60, TimeUnit.SECONDS);
                } finally {
                    pool.shutdownNow();
                }
                assertThat(na.get("hits")).isEqualTo(400);
                for (int i = 0; i < 500; i++) {
                    assertThat(cb.get("u" + i)).isEqualTo("v" + i);
                }
                Set<String> keys = new HashSet<>();
                for (Cache.Entry<String, String> e : cb) {
                    keys.add(e.getKey());
                }
                assertThat(keys).hasSize(500);
                cb.clear();
                assertThat(ca.unwrap(CachalotCache.class).size()).isZero();
                assertThat(ca.get("u1")).isNull();
            }
        }
    }

    @Test
    void cachesKeepWorkingWhenAMasterFailsAndItsReplicaTakesOver() throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(3, 1)) {
            List<Integer> masters = cluster.masterPorts();
            RemoteStoreTest.Heard.EVENTS.clear();
            try (CachalotCacheManager a = RemoteStoreTest.remote("redis://127.0.0.1:" + masters.get(0));
                 CachalotCacheManager b = RemoteStoreTest.remote("redis://127.0.0.1:" + masters.get(2))) {
                Cache<String, String> c = a.createCache("sessions", strings());
                // b (whose only seed is the master that will crash) listens to a cache a writes
                // short-lived entries to, on every master
                b.createCache("watched", strings().addCacheEntryListenerConfiguration(
                        new MutableCacheEntryListenerConfiguration<>(
                                FactoryBuilder.factoryOf(new RemoteStoreTest.Heard()),
                                null, true, true)));
                Cache<String, String> shortLived = a.createCache("watched", strings().setExpiryPolicyFactory(
                        FactoryBuilder.factoryOf(new CreatedExpiryPolicy(
                                new Duration(TimeUnit.MILLISECONDS, 300)))));
                heardEverywhere(shortLived, "before");
                for (int i = 0; i < 300; i++) {
                    c.put("s" + i, "v" + i);
                }
                // let the replicas catch up, then a master crashes
                cluster.awaitReplicated();
                // a reader keeps going through the outage: its failures make the client look for the new master
                AtomicBoolean reading = new AtomicBoolean(true);
                AtomicInteger failed = new AtomicInteger();
                Thread reader = new Thread(() -> {
                    for (int i = 0; reading.get(); i = (i + 1) % 300) {
                        try {
                            c.get("s" + i);
                        } catch (javax.cache.CacheException e) {
                            failed.incrementAndGet();
                        }
                    }
                });
                reader.start();
                long stoppedAt = System.currentTimeMillis();
                cluster.crash(masters.get(2));
                List<Integer> now = cluster.awaitFailover(masters.get(2), 3);
                long promotedAt = System.currentTimeMillis();
                // the client learns the new topology (a refresh when a node is out of reach) and every entry is there
                long until = System.currentTimeMillis() + 30_000;
                while (true) {
                    try {
                        for (int i = 0; i < 300; i++) {
                            assertThat(c.get("s" + i)).isEqualTo("v" + i);
                        }
                        break;
                    } catch (javax.cache.CacheException e) {
                        if (System.currentTimeMillis() > until) {
                            throw e;
                        }
                        Thread.sleep(100);
                    }
                }
                System.out.printf("failover: promoted after %d ms, client followed %d ms later (%d reads failed)%n",
                        promotedAt - stoppedAt, System.currentTimeMillis() - promotedAt, failed.get());
                reading.set(false);
                reader.join();
                assertThat(failed.get()).as("reads failed while the master was down").isPositive();
                c.put("after", "failover");
                assertThat(c.get("after")).isEqualTo("failover");
                assertThat(c.unwrap(CachalotCache.class).size()).isEqualTo(301);
                // b subscribes to the new master's expired keys by itself, and hears its writes and expiries
                for (int port : now) {
                    awaitExpiredSubscriber(port);
                }
                System.out.printf("failover: the listener heard the new master %d ms after its promotion%n",
                        System.currentTimeMillis() - promotedAt);
                heardEverywhere(shortLived, "after");
            }
        }
    }

    /**
     * Puts 60 short-lived entries (on every master) and waits until the listener of another
     * manager has heard each created and expired.
     */
    private static void heardEverywhere(Cache<String, String> shortLived, String prefix) throws InterruptedException {
        Set<String> missing = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            shortLived.put(prefix + i, "v");
            missing.add("CREATED " + prefix + i);
            missing.add("EXPIRED " + prefix + i);
        }
        long until = System.currentTimeMillis() + 15_000;
        while (!missing.isEmpty() && System.currentTimeMillis() < until) {
            String e = RemoteStoreTest.Heard.EVENTS.poll(100, TimeUnit.MILLISECONDS);
            if (e != null) {
                String[] f = e.split(" ");
                missing.remove(f[0] + " " + f[1]);
            }
        }
        assertThat(missing).as("events not heard").isEmpty();
    }

    private static void awaitExpiredSubscriber(int port) throws Exception {
        long until = System.currentTimeMillis() + 15_000;
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            while (!new String(c.call("PUBSUB", "NUMSUB", "__keyevent@0__:expired"), StandardCharsets.US_ASCII)
                    .endsWith(":1\r\n")) {
                assertThat(System.currentTimeMillis()).as("a subscriber to the expired keys of " + port).isLessThan(until);
                Thread.sleep(50);
            }
        }
    }

    /** redis-cli --cluster reshard: moves {@code slots} slots, keys included, between two nodes. */
    private static void reshard(int fromPort, int toPort, int slots) throws Exception {
        String from = nodeId(fromPort);
        String to = nodeId(toPort);
        Process p = new ProcessBuilder("redis-cli", "--cluster", "reshard", "127.0.0.1:" + fromPort,
                "--cluster-from", from, "--cluster-to", to, "--cluster-slots", Integer.toString(slots),
                "--cluster-yes").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static String nodeId(int port) throws Exception {
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            String r = new String(c.call("CLUSTER", "MYID"), StandardCharsets.US_ASCII);
            return r.substring(r.indexOf('\n') + 1).trim();
        }
    }
}
