package io.cachalot.benchmarks;

import redis.clients.jedis.Jedis;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Hit ratio of maxmemory eviction, side by side: the same skewed (Zipfian) trace of reads over
 * more keys than fit is replayed against redis-server and Cachalot under the same policy. Each
 * access is {@code SET key value NX GET}: a hit returns the value and changes nothing, a miss
 * stores the key (a cache filled on demand) in the same command, so the trace can be pipelined
 * while each server still sees the accesses one by one, in order. Both
 * servers get a maxmemory that holds the same number of keys (each server's own bytes per key,
 * measured first, then corrected by a calibration run for what else counts as used memory while
 * the trace runs), so the figure compares the policies, not the memory layouts.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.cachalot.benchmarks.HitRatio \
 *     redisPort cachalotPort [keys=100000] [accesses=2000000] [capacities=1000,10000] [zipf=0.99]</pre>
 */
public final class HitRatio {
    private HitRatio() {
    }

    public static void main(String[] args) {
        int redisPort = Integer.parseInt(args[0]);
        int cachalotPort = Integer.parseInt(args[1]);
        int keys = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int accesses = args.length > 3 ? Integer.parseInt(args[3]) : 2_000_000;
        String[] capacities = (args.length > 4 ? args[4] : "1000,10000").split(",");
        double skew = args.length > 5 ? Double.parseDouble(args[5]) : 0.99;
        int[] trace = zipfTrace(keys, accesses, skew, 42);
        System.out.printf(Locale.ROOT, "keys %d, accesses %d, zipf %.2f%n", keys, accesses, skew);
        System.out.printf(Locale.ROOT, "%-9s %-12s %-10s %10s %10s %10s%n", "capacity", "policy", "server",
                "bytes/key", "resident", "hit ratio");
        for (String cap : capacities) {
            run(redisPort, cachalotPort, trace, Integer.parseInt(cap.trim()));
        }
    }

    private static void run(int redisPort, int cachalotPort, int[] trace, int capacity) {
        for (String policy : new String[] {"allkeys-lru", "allkeys-lfu"}) {
            for (int port : new int[] {redisPort, cachalotPort}) {
                try (Jedis j = new Jedis("127.0.0.1", port, 60_000)) {
                    String server = port == redisPort ? "redis" : "cachalot";
                    long perKey = bytesPerKey(j, 20_000);
                    long base = usedMemory(j);
                    j.configSet("maxmemory-policy", policy);
                    long maxmemory = base + perKey * capacity;
                    // Calibration: what else the server counts in used memory while the trace runs
                    // (Redis: the pipelining client's buffers) is given back, so both hold `capacity` keys.
                    int[] prefix = java.util.Arrays.copyOf(trace, Math.min(trace.length, 300_000));
                    for (int pass = 0; pass < 4; pass++) {
                        j.configSet("maxmemory", Long.toString(maxmemory));
                        replay(j, prefix);
                        long off = capacity - j.dbSize();
                        j.configSet("maxmemory", "0");
                        j.flushAll();
                        if (Math.abs(off) * 100 <= capacity) {
                            break;
                        }
                        maxmemory += off * perKey;
                    }
                    j.configSet("maxmemory", Long.toString(maxmemory));
                    long hits = replay(j, trace);
                    long resident = j.dbSize();
                    j.configSet("maxmemory", "0");
                    j.flushAll();
                    System.out.printf(Locale.ROOT, "%-9d %-12s %-10s %10d %10d %10.4f%n", capacity, policy, server,
                            perKey, resident, (double) hits / trace.length);
                }
            }
        }
    }

    private static final String VALUE = "v".repeat(64);

    private static final byte[] NX = "NX".getBytes();
    private static final byte[] GET = "GET".getBytes();

    private static long replay(Jedis j, int[] trace) {
        long hits = 0;
        byte[] value = VALUE.getBytes();
        int batch = 1000;
        for (int from = 0; from < trace.length; from += batch) {
            int to = Math.min(trace.length, from + batch);
            redis.clients.jedis.Pipeline p = j.pipelined();
            java.util.List<redis.clients.jedis.Response<Object>> replies = new java.util.ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                replies.add(p.sendCommand(redis.clients.jedis.Protocol.Command.SET,
                        ("key:" + trace[i]).getBytes(), value, NX, GET));
            }
            p.sync();
            for (redis.clients.jedis.Response<Object> r : replies) {
                if (r.get() != null) {
                    hits++;
                }
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
        return InfoFields.number(j.info("memory"), "used_memory");
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
