package io.cachalot.benchmarks;

import io.cachalot.core.util.Bytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Bytes#hash(byte[])} costs per key shape, in the CPU caches: keys ending in digits
 * are hashed by the digits' value (parsed), others by their bytes alone; the pairs below differ
 * only in their last byte, so the difference is the cost of reading the number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class KeyHash {
    @Param({"key:000000012345", "key:00000001234x", "bench::123456", "bench::12345x", "user:1000", "user:100x",
            "session:7f3a9c2e41b8", "session:7f3a9c2e41bx", "12345678901234567890"})
    public String key;

    private byte[][] keys;
    private int i;

    @Setup
    public void setUp() {
        // a few distinct arrays of the same shape, so the compiler cannot fold the hash
        keys = new byte[16][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = key.getBytes(StandardCharsets.US_ASCII);
            keys[k][0] ^= (byte) (k & 1);
        }
    }

    @Benchmark
    public int hash() {
        i = (i + 1) & 15;
        return Bytes.hash(keys[i]);
    }
}
