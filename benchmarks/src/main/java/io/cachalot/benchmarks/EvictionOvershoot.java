package io.cachalot.benchmarks;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a write storm pushes used memory past maxmemory under allkeys-lru: writers pipeline
 * SETs of new keys as fast as the server takes them while a poller reads INFO used_memory every
 * millisecond; the highest reading against maxmemory is the overshoot. Run against redis-server
 * and Cachalot alike.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.cachalot.benchmarks.EvictionOvershoot \
 *     port [maxmemoryMB=64] [seconds=10] [writers=8] [valueBytes=100]</pre>
 */
public final class EvictionOvershoot {
    private EvictionOvershoot() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long maxmemory = (args.length > 1 ? Long.parseLong(args[1]) : 64) << 20;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int writers = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int valueBytes = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            admin.flushAll();
            admin.configResetStat();
            admin.configSet("maxmemory-policy", "allkeys-lru");
            admin.configSet("maxmemory", Long.toString(maxmemory));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        Thread[] threads = new Thread[writers];
        for (int t = 0; t < writers; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                byte[] value = new byte[valueBytes];
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    long n = 0;
                    while (!stop.get()) {
                        Pipeline p = j.pipelined();
                        for (int i = 0; i < 64; i++) {
                            p.set(("w" + id + ":" + n++).getBytes(), value);
                        }
                        p.sync();
                        writes.addAndGet(64);
                    }
                }
            });
            threads[t].start();
        }
        long peak = 0;
        long samples = 0;
        long sum = 0;
        long end = System.currentTimeMillis() + seconds * 1000L;
        try (Jedis poll = new Jedis("127.0.0.1", port)) {
            while (System.currentTimeMillis() < end) {
                long used = InfoFields.number(poll.info("memory"), "used_memory");
                peak = Math.max(peak, used);
                sum += used;
                samples++;
                Thread.sleep(1);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            String stats = poll.info("stats");
            System.out.printf(Locale.ROOT, "port %d: maxmemory %d, peak used %d (overshoot %d bytes, %.3f%%), "
                            + "mean used %d over %d samples, %d writes (%.0f/s), evicted_keys %d%n",
                    port, maxmemory, peak, peak - maxmemory, (peak - maxmemory) * 100.0 / maxmemory,
                    sum / Math.max(1, samples), samples, writes.get(), writes.get() / (double) seconds,
                    InfoFields.number(stats, "evicted_keys"));
            poll.configSet("maxmemory", "0");
            poll.flushAll();
        }
    }
}
