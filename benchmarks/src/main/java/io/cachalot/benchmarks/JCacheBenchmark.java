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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.spi.CachingProvider;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The same JCache operations on Cachalot's, Caffeine's and Ehcache 3's providers: a cache of
 * {@code entries} Long keys to short String values, store-by-value (the JCache default) or
 * store-by-reference, statistics off, no expiry. Keys are drawn uniformly at random from the
 * cache's keys, so gets hit; {@code readWrite} is 90% get, 10% put. {@code put}, {@code getAndPut}
 * and {@code readWrite} write back the key's own value (an equal one: a cache refreshed with unchanged
 * data); {@code putOther} and {@code getAndPutOther} write another key's. Thread count from JMH's -t.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class JCacheBenchmark {
    static final String CACHALOT = "io.cachalot.provider.CachalotCachingProvider";
    static final String CAFFEINE = "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";
    static final String EHCACHE = "org.ehcache.jsr107.EhcacheCachingProvider";

    @State(Scope.Benchmark)
    public static class Data {
        @Param({"cachalot", "caffeine", "ehcache"})
        public String provider;

        @Param({"true", "false"})
        public boolean storeByValue;

        @Param({"1000000"})
        public int entries;

        Long[] keys;
        /** Keys equal to {@link #keys} but other instances, allocated after the fill (see {@link #getEqualKey}). */
        Long[] equalKeys;
        String[] values;
        CachingProvider cachingProvider;
        CacheManager manager;
        Cache<Long, String> cache;

        @Setup(Level.Trial)
        public void fill() {
            String cls = provider.equals("cachalot") ? CACHALOT : provider.equals("caffeine") ? CAFFEINE : EHCACHE;
            cachingProvider = Caching.getCachingProvider(cls);
            manager = cachingProvider.getCacheManager(cachingProvider.getDefaultURI(), getClass().getClassLoader());
            MutableConfiguration<Long, String> c = new MutableConfiguration<Long, String>()
                    .setTypes(Long.class, String.class).setStoreByValue(storeByValue);
            cache = manager.createCache("bench", c);
            keys = new Long[entries];
            values = new String[entries];
            for (int i = 0; i < entries; i++) {
                keys[i] = (long) i;
                values[i] = "value-" + i;
                cache.put(keys[i], values[i]);
            }
            equalKeys = new Long[entries];
            for (int i = 0; i < entries; i++) {
                equalKeys[i] = (long) i;
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            manager.close();
        }
    }

    /** Sets the value it read again: a read-modify-write under the entry's lock. */
    static final EntryProcessor<Long, String, String> TOUCH = (e, args) -> {
        String v = e.getValue();
        if (v != null) {
            e.setValue(v);
        }
        return v;
    };

    private static int next(Data d) {
        return ThreadLocalRandom.current().nextInt(d.entries);
    }

    @Benchmark
    public String get(Data d) {
        return d.cache.get(d.keys[next(d)]);
    }

    /**
     * get with a new key object per call (as {@code cache.get(id)} with an id from a request):
     * a map that finds keys by identity first cannot skip comparing against the stored key.
     */
    @Benchmark
    public String getFreshKey(Data d) {
        return d.cache.get(Long.valueOf(next(d))); // a new Long above 127
    }

    /**
     * get with a key equal to the one put but not the same instance (an id parsed from a request
     * or a message), drawn from a second array: a map that keeps the caller's key object no
     * longer matches it by identity, and that object was not allocated beside the map's node.
     */
    @Benchmark
    public String getEqualKey(Data d) {
        return d.cache.get(d.equalKeys[next(d)]);
    }

    @Benchmark
    public void put(Data d) {
        int i = next(d);
        d.cache.put(d.keys[i], d.values[i]);
    }

    @Benchmark
    public String getAndPut(Data d) {
        int i = next(d);
        return d.cache.getAndPut(d.keys[i], d.values[i]);
    }

    /**
     * put of another key's value (drawn at random), so the stored value changes on every call:
     * {@link #put} writes back the value the entry already holds, which a store may recognise.
     */
    @Benchmark
    public void putOther(Data d) {
        d.cache.put(d.keys[next(d)], d.values[next(d)]);
    }

    /** getAndPut of another key's value: the value changes on every call (see {@link #putOther}). */
    @Benchmark
    public String getAndPutOther(Data d) {
        return d.cache.getAndPut(d.keys[next(d)], d.values[next(d)]);
    }

    /** On a present key: the common "populate once" call that mostly finds the entry there. */
    @Benchmark
    public boolean putIfAbsent(Data d) {
        int i = next(d);
        return d.cache.putIfAbsent(d.keys[i], d.values[i]);
    }

    @Benchmark
    public String invoke(Data d) {
        return d.cache.invoke(d.keys[next(d)], TOUCH);
    }

    /** 90% get, 10% put. */
    @Benchmark
    public Object readWrite(Data d) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int i = r.nextInt(d.entries);
        if (r.nextInt(10) == 0) {
            d.cache.put(d.keys[i], d.values[i]);
            return null;
        }
        return d.cache.get(d.keys[i]);
    }
}
