package io.cachalot.provider.management;

import javax.cache.management.CacheStatisticsMXBean;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one cache (JSR-107 {@code CacheStatisticsMXBean}); times are kept in nanoseconds. */
public final class CacheStatistics implements CacheStatisticsMXBean {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder getNanos = new LongAdder();
    private final LongAdder putNanos = new LongAdder();
    private final LongAdder removeNanos = new LongAdder();

    /** A look-up: a hit or a miss, and its time. */
    public void read(boolean hit, long nanos) {
        if (hit) {
            hits.increment();
        } else {
            misses.increment();
        }
        getNanos.add(nanos);
    }

    /** One entry stored, and the time it took. */
    public void wrote(long nanos) {
        puts.increment();
        putNanos.add(nanos);
    }

    /** One entry removed, and the time it took. */
    public void removed(long nanos) {
        removals.increment();
        removeNanos.add(nanos);
    }

    public void hits(long n) {
        hits.add(n);
    }

    public void misses(long n) {
        misses.add(n);
    }

    public void puts(long n) {
        puts.add(n);
    }

    public void removals(long n) {
        removals.add(n);
    }

    public void evictions(long n) {
        evictions.add(n);
    }

    public void getTime(long nanos) {
        getNanos.add(nanos);
    }

    public void putTime(long nanos) {
        putNanos.add(nanos);
    }

    public void removeTime(long nanos) {
        removeNanos.add(nanos);
    }

    @Override
    public void clear() {
        hits.reset();
        misses.reset();
        puts.reset();
        removals.reset();
        evictions.reset();
        getNanos.reset();
        putNanos.reset();
        removeNanos.reset();
    }

    @Override
    public long getCacheHits() {
        return hits.sum();
    }

    @Override
    public float getCacheHitPercentage() {
        long h = getCacheHits();
        long g = h + getCacheMisses();
        return g == 0 ? 0f : (float) h * 100f / g;
    }

    @Override
    public long getCacheMisses() {
        return misses.sum();
    }

    @Override
    public float getCacheMissPercentage() {
        long m = getCacheMisses();
        long g = m + getCacheHits();
        return g == 0 ? 0f : (float) m * 100f / g;
    }

    @Override
    public long getCacheGets() {
        return getCacheHits() + getCacheMisses();
    }

    @Override
    public long getCachePuts() {
        return puts.sum();
    }

    @Override
    public long getCacheRemovals() {
        return removals.sum();
    }

    @Override
    public long getCacheEvictions() {
        return evictions.sum();
    }

    @Override
    public float getAverageGetTime() {
        return average(getNanos.sum(), getCacheGets());
    }

    @Override
    public float getAveragePutTime() {
        return average(putNanos.sum(), getCachePuts());
    }

    @Override
    public float getAverageRemoveTime() {
        return average(removeNanos.sum(), getCacheRemovals());
    }

    /** Microseconds per operation. */
    private static float average(long nanos, long count) {
        return count == 0 ? 0f : (float) nanos / count / 1000f;
    }
}
