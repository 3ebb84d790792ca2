package io.cachalot.provider.remote;

import io.cachalot.provider.CachalotCache;
import io.cachalot.provider.CachalotCacheManager;
import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisClusterProcess;
import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JCache on a Redis Cluster of three real redis-server masters: entries spread over the slots,
 * operations atomic across managers, the index spread over slots, and the caches keep working
 * while slots (with their keys) move to another node. (A master failing over to its replica is
 * not covered yet: the client did not always find the new master within 60 s on a loaded machine.)
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
