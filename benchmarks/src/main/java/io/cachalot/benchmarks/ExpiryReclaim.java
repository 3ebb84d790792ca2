package io.cachalot.benchmarks;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

import java.util.Arrays;
import java.util.Locale;

/**
 * Expiry under pressure: millions of keys that all expire at about the same moment and that
 * nobody reads again. Reports how long the server takes to reclaim them (DBSIZE and used_memory
 * polled every 100 ms) and the round-trip latency another client sees meanwhile (one GET at a
 * time). Run against redis-server and Cachalot alike.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.cachalot.benchmarks.ExpiryReclaim port [keys=2000000] [ttlMs=5000]</pre>
 */
public final class ExpiryReclaim {
    private ExpiryReclaim() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        long ttl = args.length > 2 ? Long.parseLong(args[2]) : 5000;
        try (Jedis j = new Jedis("127.0.0.1", port, 60_000); Jedis probe = new Jedis("127.0.0.1", port, 60_000)) {
            j.flushAll();
            j.configResetStat();
            j.set("probe", "value");
            long expireAt = System.currentTimeMillis() + ttl;
            byte[] value = "value-of-some-length-0123456789".getBytes();
            SetParams at = SetParams.setParams().pxAt(expireAt);
            for (int i = 0; i < keys; i += 1000) {
                Pipeline p = j.pipelined();
                for (int k = i; k < Math.min(keys, i + 1000); k++) {
                    p.set(("exp:" + k).getBytes(), value, at);
                }
                p.sync();
            }
            long loaded = j.dbSize();
            long usedLoaded = InfoFields.number(j.info("memory"), "used_memory");
            while (System.currentTimeMillis() < expireAt) {
                Thread.sleep(10);
            }
            long[] lat = new long[1 << 22];
            int n = 0;
            long nextPoll = 0;
            long reclaimedAt = -1;
            long deadline = expireAt + 120_000;
            while (System.currentTimeMillis() < deadline) {
                long t0 = System.nanoTime();
                probe.get("probe");
                if (n < lat.length) {
                    lat[n++] = System.nanoTime() - t0;
                }
                long now = System.currentTimeMillis();
                if (now >= nextPoll) {
                    nextPoll = now + 100;
                    if (j.dbSize() <= 1 + loaded / 100) {
                        reclaimedAt = now;
                        break;
                    }
                }
            }
            long usedAfter = InfoFields.number(j.info("memory"), "used_memory");
            String stats = j.info("stats");
            Arrays.sort(lat, 0, n);
            System.out.printf(Locale.ROOT, "port %d: %d keys (%d MB used) expired at once; 99%% reclaimed after %d ms "
                            + "(used %d MB); probe GETs meanwhile: %d, p50 %d us, p99 %d us, p99.9 %d us, max %d us; "
                            + "expired_keys %d, expired_stale_perc %s, expired_time_cap_reached_count %d%n",
                    port, loaded, usedLoaded >> 20, reclaimedAt < 0 ? -1 : reclaimedAt - expireAt, usedAfter >> 20, n,
                    pct(lat, n, 50), pct(lat, n, 99), pct(lat, n, 99.9), n == 0 ? 0 : lat[n - 1] / 1000,
                    InfoFields.number(stats, "expired_keys"), InfoFields.text(stats, "expired_stale_perc"),
                    InfoFields.number(stats, "expired_time_cap_reached_count"));
            j.flushAll();
        }
    }

    private static long pct(long[] sorted, int n, double p) {
        return n == 0 ? 0 : sorted[(int) Math.min(n - 1, Math.floor(n * p / 100))] / 1000;
    }
}
