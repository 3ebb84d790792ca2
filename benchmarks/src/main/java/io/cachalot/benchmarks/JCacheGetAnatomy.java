package io.cachalot.benchmarks;

import io.cachalot.core.keyspace.Database;
import io.cachalot.core.util.Bytes;
import io.cachalot.provider.codec.Codecs;
import io.cachalot.provider.store.EmbeddedCacheStore;
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

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A JCache {@code get} by reference taken apart, layer by layer, beside a plain
 * {@link ConcurrentHashMap} of the same keys (the structure under Caffeine's unbounded cache):
 * how much of the time is the engine's look-up, how much the key's encoding and hashing, how
 * much the provider. With {@code entries=1000} everything is in the CPU's caches and the figures
 * are the instructions' cost; with 1,000,000 they are dominated by cache misses, which the
 * processor overlaps across consecutive calls only while the instructions between them fit its
 * window.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class JCacheGetAnatomy {
    private static final byte[] PREFIX = "bench::".getBytes(StandardCharsets.US_ASCII);

    @State(Scope.Benchmark)
    public static class Data {
        @Param({"1000", "1000000"})
        public int entries;

        Long[] keys;
        /** The engine keys of {@link #keys}, encoded once. */
        byte[][] keyBytes;
        int[] hashes;
        CacheManager manager;
        Cache<Long, String> cache;
        EmbeddedCacheStore store;
        Database db;
        ConcurrentHashMap<Long, String> map = new ConcurrentHashMap<>();
        /** The same values under keys whose hash codes are scattered (see {@link #concurrentHashMapGetScattered}). */
        Long[] scatteredKeys;
        ConcurrentHashMap<Long, String> scattered = new ConcurrentHashMap<>();

        @Setup(Level.Trial)
        public void fill() throws ReflectiveOperationException {
            CachingProvider p = Caching.getCachingProvider(JCacheBenchmark.CACHALOT);
            manager = p.getCacheManager(p.getDefaultURI(), getClass().getClassLoader());
            cache = manager.createCache("bench", new MutableConfiguration<Long, String>()
                    .setTypes(Long.class, String.class).setStoreByValue(false));
            store = cache.unwrap(EmbeddedCacheStore.class);
            // the store's database, for the look-up alone (set-up only, not measured)
            java.lang.reflect.Field f = EmbeddedCacheStore.class.getDeclaredField("db");
            f.setAccessible(true);
            db = (Database) f.get(store);
            keys = new Long[entries];
            keyBytes = new byte[entries][];
            hashes = new int[entries];
            scatteredKeys = new Long[entries];
            for (int i = 0; i < entries; i++) {
                keys[i] = (long) i;
                cache.put(keys[i], "value-" + i);
                map.put(keys[i], "value-" + i);
                keyBytes[i] = Codecs.LONG.encode(keys[i], PREFIX);
                hashes[i] = Bytes.hash(keyBytes[i]);
                scatteredKeys[i] = i * 0x9E3779B97F4A7C15L;
                scattered.put(scatteredKeys[i], "value-" + i);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            manager.close();
        }
    }

    private static int next(Data d) {
        return ThreadLocalRandom.current().nextInt(d.entries);
    }

    /** The whole call, as JCacheBenchmark.get by reference. */
    @Benchmark
    public String cacheGet(Data d) {
        return d.cache.get(d.keys[next(d)]);
    }

    /** The store's unlocked look-up with the key already encoded (hashing included). */
    @Benchmark
    public Object storePeek(Data d) {
        return d.store.peek(d.keyBytes[next(d)]);
    }

    /** The segment's look-up alone: hash known, key encoded. */
    @Benchmark
    public Object engineFind(Data d) {
        int i = next(d);
        int h = d.hashes[i];
        return d.db.segment(h).findUnlocked(d.keyBytes[i], h);
    }

    /** Encoding a Long key after the cache's prefix. */
    @Benchmark
    public byte[] encodeKey(Data d) {
        return Codecs.LONG.encode(d.keys[next(d)], PREFIX);
    }

    /** Encoding, then hashing the bytes just written. */
    @Benchmark
    public int encodeAndHashKey(Data d) {
        return Bytes.hash(Codecs.LONG.encode(d.keys[next(d)], PREFIX));
    }

    /** The reference: a ConcurrentHashMap hit on the very key instance it holds. */
    @Benchmark
    public String concurrentHashMapGet(Data d) {
        return d.map.get(d.keys[next(d)]);
    }

    /**
     * The map hit again, on keys whose hash codes are spread at random over the table. The keys
     * 0..n-1 of {@link #concurrentHashMapGet} land in n distinct buckets (Long's hash code is
     * the value itself), so no get there ever walks past a first node; here, as in any table of
     * well-mixed hashes, some share a bucket.
     */
    @Benchmark
    public String concurrentHashMapGetScattered(Data d) {
        return d.scattered.get(d.scatteredKeys[next(d)]);
    }
}
