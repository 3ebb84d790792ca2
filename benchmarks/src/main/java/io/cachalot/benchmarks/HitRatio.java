package io.cachalot.benchmarks;

import redis.clients.jedis.Jedis;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Hit ratio of maxmemory eviction, side by side: the same skewed (Zipfian) trace of reads over
 * more keys than fit is replayed against redis-server and Cachalot under the same policy. Each
 * access is a GET; a miss is followed by a SET of the key (a cache filled on demand). Both
 * servers get a maxmemory that holds the same number of keys (each server's own bytes per key,
 * measured first), so the figure compares the policies, not the memory layouts.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.cachalot.benchmarks.HitRatio \
 *     redisPort cachalotPort [keys=100000] [accesses=1000000] [capacity=10000] [zipf=0.99]</pre>
 */
public final class HitRatio {
    private HitRatio() {
    }

    public static void main(String[] args) {
        int redisPort = Integer.parseInt(args[0]);
        int cachalotPort = Integer.parseInt(args[1]);
        int keys = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int accesses = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        int capacity = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        double skew = args.length > 5 ? Double.parseDouble(args[5]) : 0.99;
        int[] trace = zipfTrace(keys, accesses, skew, 42);
        System.out.printf(Locale.ROOT, "keys %d, accesses %d, capacity %d keys (%.1f%%), zipf %.2f%n", keys, accesses,
                capacity, capacity * 100.0 / keys, skew);
        System.out.printf(Locale.ROOT, "%-12s %-10s %12s %12s %10s%n", "policy", "server", "bytes/key", "resident",
                "hit ratio");
        for (String policy : new String[] {"allkeys-lru", "allkeys-lfu"}) {
            for (int port : new int[] {redisPort, cachalotPort}) {
                try (Jedis j = new Jedis("127.0.0.1", port, 60_000)) {
                    String server = port == redisPort ? "redis" : "cachalot";
                    long perKey = bytesPerKey(j, 20_000);
                    long base = usedMemory(j);
                    j.configSet("maxmemory-policy", policy);
                    j.configSet("maxmemory", Long.toString(base + perKey * capacity));
                    long hits = replay(j, trace);
                    long resident = j.dbSize();
                    j.configSet("maxmemory", "0");
                    j.flushAll();
                    System.out.printf(Locale.ROOT, "%-12s %-10s %12d %12d %10.4f%n", policy, server, perKey, resident,
                            (double) hits / trace.length);
                }
            }
        }
    }

    private static final String VALUE = "v".repeat(64);

    private static long replay(Jedis j, int[] trace) {
        long hits = 0;
        for (int k : trace) {
            String key = "key:" + k;
            if (j.get(key) != null) {
                hits++;
            } else {
                j.set(key, VALUE);
            }
        }
        return hits;
    }

    /** The server's used_memory growth per key of the trace's shape. */
    private static long bytesPerKey(Jedis j, int n) {
        j.flushAll();
        long before = usedMemory(j);
        for (int i = 0; i < n; i++) {
            j.set("key:" + (1_000_000_000 + i), VALUE);
        }
        long per = (usedMemory(j) - before) / n;
        j.flushAll();
        return per;
    }

    private static long usedMemory(Jedis j) {
        for (String line : j.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new IllegalStateException("no used_memory in INFO");
    }

    /**
     * A deterministic Zipfian trace: rank r (1-based) drawn with probability proportional to
     * 1/r^skew, ranks scattered over the key space so that hot keys are not neighbours.
     */
    static int[] zipfTrace(int keys, int accesses, double skew, long seed) {
        double[] cdf = new double[keys];
        double sum = 0;
        for (int r = 1; r <= keys; r++) {
            sum += 1.0 / Math.pow(r, skew);
            cdf[r - 1] = sum;
        }
        int[] perm = new int[keys];
        for (int i = 0; i < keys; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = keys - 1; i > 0; i--) {
            int k = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[k];
            perm[k] = t;
        }
        int[] trace = new int[accesses];
        for (int i = 0; i < accesses; i++) {
            double u = rnd.nextDouble() * sum;
            int lo = 0;
            int hi = keys - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            trace[i] = perm[lo];
        }
        return trace;
    }
}
