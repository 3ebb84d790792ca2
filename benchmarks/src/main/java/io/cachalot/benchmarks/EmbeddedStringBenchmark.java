package io.cachalot.benchmarks;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * GET and SET through the in-process API on a keyspace of {@code keys} string keys, at whatever
 * thread count JMH is given ({@code -t 1}, {@code -t 2}). Two flavours: the direct typed calls
 * ({@code get}, {@code set}) and the full command path with argument arrays and a reply sink
 * ({@code getCommand}, {@code setCommand}). With no global lock, two threads should get close to
 * twice the throughput of one on two cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class EmbeddedStringBenchmark {

    /** The engine, filled once per trial. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"100000"})
        public int keys;

        /** INFO latencystats / LATENCY HISTOGRAM bookkeeping on every command. */
        @Param({"yes"})
        public String latencyTracking;

        Engine engine;
        byte[][] keyBytes;
        byte[] value = new byte[64];

        @Setup(Level.Trial)
        public void fill() {
            engine = new Engine();
            engine.settings().config.set(java.util.List.<String[]>of(new String[] {"latency-tracking", latencyTracking}),
                    true);
            keyBytes = new byte[keys][];
            EmbeddedClient c = new EmbeddedClient(engine);
            for (int i = 0; i < keys; i++) {
                keyBytes[i] = ("key:" + String.format("%012d", i)).getBytes(StandardCharsets.US_ASCII);
                c.set(keyBytes[i], value);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            engine.close();
        }
    }

    /** One client (session) per benchmark thread, as one connection per event loop. */
    @State(Scope.Thread)
    public static class Client {
        EmbeddedClient client;
        byte[][] getArgs = new byte[2][];
        byte[][] setArgs = new byte[3][];

        @Setup(Level.Trial)
        public void open(Data d) {
            client = new EmbeddedClient(d.engine);
            getArgs[0] = "GET".getBytes(StandardCharsets.US_ASCII);
            setArgs[0] = "SET".getBytes(StandardCharsets.US_ASCII);
            setArgs[2] = d.value;
        }
    }

    private static byte[] randomKey(Data d) {
        return d.keyBytes[ThreadLocalRandom.current().nextInt(d.keys)];
    }

    @Benchmark
    public byte[] get(Data d, Client c) {
        return c.client.get(randomKey(d));
    }

    @Benchmark
    public void set(Data d, Client c) {
        c.client.set(randomKey(d), d.value);
    }

    @Benchmark
    public Object getCommand(Data d, Client c) {
        c.getArgs[1] = randomKey(d);
        return c.client.call(c.getArgs);
    }

    @Benchmark
    public Object setCommand(Data d, Client c) {
        c.setArgs[1] = randomKey(d);
        return c.client.call(c.setArgs);
    }
}
