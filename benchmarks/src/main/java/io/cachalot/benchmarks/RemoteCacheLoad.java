package io.cachalot.benchmarks;

import io.cachalot.provider.CachalotCacheManager;
import io.cachalot.provider.CachalotCachingProvider;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.StringRedisSerializer;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Remote caches under load: {@code get} (hits), {@code put} and a 90/10 mix from several threads,
 * through Cachalot's JCache provider in remote mode (without and with its near cache), through
 * Redisson's JCache provider and through Spring Data Redis' {@code RedisCacheManager} (the peer a Spring user would otherwise pick, on Lettuce too), each
 * against redis-server and a Cachalot server in alternating rounds; Cachalot's embedded JCache
 * (no network) as the reference. Prints operations per second and the mean latency per call.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.cachalot.benchmarks.RemoteCacheLoad \
 *     redisPort cachalotPort [threads=8] [seconds=3] [rounds=3] [keys=10000] [valueBytes=100]
 *     [clients=cachalot-jcache,cachalot-near,redisson-jcache,spring-data-redis]</pre>
 */
public final class RemoteCacheLoad {
    private RemoteCacheLoad() {
    }

    /** One way to reach a cache: get and put on String keys and values. */
    private interface Client extends AutoCloseable {
        String get(String key);

        void put(String key, String value);

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        int redisPort = Integer.parseInt(args[0]);
        int cachalotPort = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int keys = args.length > 5 ? Integer.parseInt(args[5]) : 10_000;
        int valueBytes = args.length > 6 ? Integer.parseInt(args[6]) : 100;
        char[] v = new char[valueBytes];
        Arrays.fill(v, 'v');
        String value = new String(v);
        System.out.printf(Locale.ROOT, "threads %d, %d s per run, %d rounds, %d keys, %d-byte values%n",
                threads, seconds, rounds, keys, valueBytes);
        String[] clients = args.length > 7 ? args[7].split(",")
                : new String[] {"cachalot-jcache", "cachalot-near", "redisson-jcache", "spring-data-redis"};
        String[] workloads = {"get", "put", "mixed"};
        String[][] servers = {{"redis-server", Integer.toString(redisPort)}, {"cachalot", Integer.toString(cachalotPort)}};
        System.out.printf(Locale.ROOT, "%-18s %-13s %-7s %12s %12s%n", "client", "server", "load", "ops/s", "mean us");
        for (String client : clients) {
            for (String w : workloads) {
                for (int r = 0; r < rounds; r++) {
                    // alternate which server goes first
                    for (int i = 0; i < 2; i++) {
                        String[] s = servers[(i + r) % 2];
                        try (Client c = open(client, Integer.parseInt(s[1]))) {
                            double ops = run(c, w, threads, seconds, keys, value);
                            System.out.printf(Locale.ROOT, "%-18s %-13s %-7s %12.0f %12.1f%n", client, s[0], w, ops,
                                    threads * 1e6 / ops);
                        }
                    }
                }
            }
        }
        for (String w : workloads) {
            try (Client c = embedded()) {
                double ops = run(c, w, threads, seconds, keys, value);
                System.out.printf(Locale.ROOT, "%-18s %-13s %-7s %12.0f %12.1f%n", "cachalot-jcache", "embedded", w, ops,
                        threads * 1e6 / ops);
            }
        }
    }

    private static double run(Client c, String workload, int threads, int seconds, int keys, String value)
            throws InterruptedException {
        for (int k = 0; k < keys; k++) {
            c.put("k" + k, value);
        }
        AtomicBoolean stop = new AtomicBoolean();
        long[] done = new long[threads];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(me);
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long n = 0;
                while (!stop.get()) {
                    String k = "k" + rnd.nextInt(keys);
                    boolean write = workload.equals("put") || workload.equals("mixed") && rnd.nextInt(10) == 0;
                    if (write) {
                        c.put(k, value);
                    } else if (c.get(k) == null) {
                        throw new IllegalStateException("a miss: " + k);
                    }
                    n++;
                }
                done[me] = n;
            });
            th.start();
            ts.add(th);
        }
        // a first second to warm up, not counted
        start.countDown();
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread th : ts) {
            th.join();
        }
        long total = 0;
        for (long n : done) {
            total += n;
        }
        // the count includes the warm-up second: scale by the whole run
        double elapsed = (System.nanoTime() - t0) / 1e9 + 1.0;
        return total / elapsed;
    }

    private static Client open(String client, int port) {
        if (client.startsWith("cachalot-")) {
            Properties p = new Properties();
            p.setProperty("cachalot.mode", "remote");
            p.setProperty("cachalot.remote.uri", "redis://127.0.0.1:" + port);
            if (client.equals("cachalot-near")) {
                p.setProperty("cachalot.remote.near-cache-max-entries", "100000");
            }
            return jcache(p, "urn:cachalot:bench-" + port + "-" + System.nanoTime());
        }
        if (client.equals("redisson-jcache")) {
            return redisson(port);
        }
        LettuceConnectionFactory f = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        f.afterPropertiesSet();
        RedisCacheManager m = RedisCacheManager.builder(f).cacheDefaults(RedisCacheConfiguration.defaultCacheConfig()
                .serializeValuesWith(RedisSerializationContext.SerializationPair.fromSerializer(StringRedisSerializer.UTF_8)))
                .build();
        m.afterPropertiesSet();
        org.springframework.cache.Cache cache = m.getCache("bench");
        return client(k -> cache.get(k, String.class), cache::put, f::destroy);
    }

    /** Redisson's JCache provider (its own client and scripts), with String values. */
    private static Client redisson(int port) {
        org.redisson.config.Config cfg = new org.redisson.config.Config();
        cfg.setCodec(org.redisson.client.codec.StringCodec.INSTANCE);
        cfg.useSingleServer().setAddress("redis://127.0.0.1:" + port);
        CacheManager m = Caching.getCachingProvider("org.redisson.jcache.JCachingProvider")
                .getCacheManager(URI.create("urn:redisson:bench-" + port + "-" + System.nanoTime()),
                        RemoteCacheLoad.class.getClassLoader());
        Cache<String, String> cache = m.createCache("bench", org.redisson.jcache.configuration.RedissonConfiguration
                .fromConfig(cfg, new MutableConfiguration<String, String>().setTypes(String.class, String.class)));
        return client(cache::get, cache::put, () -> {
            m.destroyCache("bench");
            m.close();
        });
    }

    private static Client embedded() {
        return jcache(new Properties(), "urn:cachalot:bench-embedded-" + System.nanoTime());
    }

    private static Client jcache(Properties p, String uri) {
        CacheManager m = Caching.getCachingProvider(CachalotCachingProvider.class.getName())
                .getCacheManager(URI.create(uri), RemoteCacheLoad.class.getClassLoader(), p);
        Cache<String, String> cache = m.createCache("bench",
                new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        return client(cache::get, cache::put, () -> {
            m.destroyCache("bench");
            m.unwrap(CachalotCacheManager.class).close();
        });
    }

    private static Client client(Function<String, String> get, BiConsumer<String, String> put, Runnable close) {
        return new Client() {
            @Override
            public String get(String key) {
                return get.apply(key);
            }

            @Override
            public void put(String key, String value) {
                put.accept(key, value);
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
