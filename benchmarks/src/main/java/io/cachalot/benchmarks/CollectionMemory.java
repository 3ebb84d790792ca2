package io.cachalot.benchmarks;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Memory per element of one large collection of each type, in-process: the engine's own
 * accounting (INFO used_memory) and the JVM heap after a full collection, both as the growth
 * over the empty engine, divided by the number of elements. The elements are the ones
 * docs/benchmarks.md loads into redis-server for comparison: list "e:N", hash "f:N" = "v:N",
 * set "m:N", sorted set "m:N" scored N. Two keyspace shapes check the accounting that maxmemory
 * relies on: "strings" is {@code count} keys "key:N" = "value:N", "hashes" is count/100 hashes
 * "h:N" of 100 fields "f:K" = "v:K" (per element = per field).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.cachalot.benchmarks.CollectionMemory [count] [types]</pre>
 */
public final class CollectionMemory {
    private CollectionMemory() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.printf(Locale.ROOT, "%-6s %10s %14s %14s%n", "type", "elements", "used_memory/el", "heap/el");
        String[] types = args.length > 1 ? args[1].split(",") : new String[] {"list", "hash", "set", "zset", "strings",
            "hashes"};
        for (String type : types) {
            try (Engine engine = new Engine()) {
                EmbeddedClient c = new EmbeddedClient(engine);
                long usedBefore = usedMemory(c);
                long heapBefore = heapAfterGc();
                load(c, type, n);
                long used = usedMemory(c) - usedBefore;
                long heap = heapAfterGc() - heapBefore;
                System.out.printf(Locale.ROOT, "%-6s %10d %14.1f %14.1f%n", type, n, (double) used / n,
                        (double) heap / n);
                if (c.call("DBSIZE").equals(0L)) {
                    throw new IllegalStateException("nothing loaded");
                }
            }
        }
    }

    private static void load(EmbeddedClient c, String type, int n) {
        int batch = 1000;
        for (int i = 0; i < n; i += batch) {
            int end = Math.min(n, i + batch);
            byte[][] cmd;
            switch (type) {
                case "strings":
                    cmd = new byte[1 + 2 * (end - i)][];
                    cmd[0] = b("MSET");
                    for (int k = i; k < end; k++) {
                        cmd[1 + 2 * (k - i)] = b("key:" + k);
                        cmd[2 + 2 * (k - i)] = b("value:" + k);
                    }
                    break;
                case "hashes":
                    // batch of 1000 elements = 10 hashes of 100 fields
                    for (int h = i / 100; h < end / 100; h++) {
                        byte[][] hset = new byte[2 + 200][];
                        hset[0] = b("HSET");
                        hset[1] = b("h:" + h);
                        for (int f = 0; f < 100; f++) {
                            hset[2 + 2 * f] = b("f:" + f);
                            hset[3 + 2 * f] = b("v:" + f);
                        }
                        c.call(hset);
                    }
                    continue;
                case "list":
                    cmd = new byte[2 + end - i][];
                    cmd[0] = b("RPUSH");
                    cmd[1] = b("list");
                    for (int k = i; k < end; k++) {
                        cmd[2 + k - i] = b("e:" + k);
                    }
                    break;
                case "hash":
                    cmd = new byte[2 + 2 * (end - i)][];
                    cmd[0] = b("HSET");
                    cmd[1] = b("hash");
                    for (int k = i; k < end; k++) {
                        cmd[2 + 2 * (k - i)] = b("f:" + k);
                        cmd[3 + 2 * (k - i)] = b("v:" + k);
                    }
                    break;
                case "set":
                    cmd = new byte[2 + end - i][];
                    cmd[0] = b("SADD");
                    cmd[1] = b("set");
                    for (int k = i; k < end; k++) {
                        cmd[2 + k - i] = b("m:" + k);
                    }
                    break;
                default:
                    cmd = new byte[2 + 2 * (end - i)][];
                    cmd[0] = b("ZADD");
                    cmd[1] = b("zset");
                    for (int k = i; k < end; k++) {
                        cmd[2 + 2 * (k - i)] = b(Integer.toString(k));
                        cmd[3 + 2 * (k - i)] = b("m:" + k);
                    }
                    break;
            }
            c.call(cmd);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static long usedMemory(EmbeddedClient c) {
        String info = new String((byte[]) c.call("INFO", "memory"), StandardCharsets.US_ASCII);
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new IllegalStateException("no used_memory in INFO");
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, mx.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
