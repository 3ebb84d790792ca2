package io.cachalot.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How much a hit on a large hash table slows down when each call also does some work of its
 * own: a {@link ConcurrentHashMap} of 1M {@code Long} keys (the structure under Caffeine's
 * unbounded cache), looked up with a new key per call, with {@code rounds} rounds of
 * register-only arithmetic (about 8 instructions each) either feeding the key ({@code before}),
 * beside the look-up and independent of it ({@code beside}), or waiting for its result
 * ({@code after}). The arithmetic costs nanoseconds in itself; what it takes away is the
 * processor's overlap of the cache misses of consecutive calls, which lasts only while the
 * instructions of the calls in flight fit its out-of-order window. This is why a JCache get's
 * instruction count, not just its number of cache misses, decides its throughput on 1M entries.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class MissOverlap {
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"1000000"})
        public int entries;

        @Param({"0", "8", "16", "32"})
        public int rounds;

        final ConcurrentHashMap<Long, String> map = new ConcurrentHashMap<>();
        /** Always zero, but not a constant the compiler could fold: keeps the work on the key's path. */
        long zero;

        @Setup(Level.Trial)
        public void fill() {
            for (int i = 0; i < entries; i++) {
                map.put((long) i, "value-" + i);
            }
        }
    }

    /** A dependent chain of multiply-xorshift rounds, in registers only. */
    static long work(long k, int rounds) {
        long h = k;
        for (int r = 0; r < rounds; r++) {
            h = (h ^ 0x9E3779B97F4A7C15L) * 0xC2B2AE3D27D4EB4FL;
            h ^= h >>> 29;
            h = h + (h << 7) ^ (h >>> 3);
        }
        return h;
    }

    private static int next(Data d) {
        return ThreadLocalRandom.current().nextInt(d.entries);
    }

    @Benchmark
    public String before(Data d) {
        int k = next(d);
        return d.map.get(Long.valueOf(k ^ (work(k, d.rounds) & d.zero)));
    }

    @Benchmark
    public long beside(Data d, Blackhole bh) {
        int k = next(d);
        bh.consume(d.map.get(Long.valueOf(k)));
        return work(k, d.rounds);
    }

    @Benchmark
    public long after(Data d) {
        int k = next(d);
        String v = d.map.get(Long.valueOf(k));
        return work(v.length() + k, d.rounds);
    }
}
