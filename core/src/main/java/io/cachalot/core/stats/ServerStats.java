package io.cachalot.core.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters reported by INFO stats and INFO errorstats. */
public final class ServerStats {
    /** Redis stops tracking new error codes past this many distinct ones. */
    private static final int MAX_ERROR_CODES = 128;

    public final LongAdder totalCommandsProcessed = new LongAdder();
    public final LongAdder totalConnectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder totalErrorReplies = new LongAdder();
    public final LongAdder totalReadsProcessed = new LongAdder();
    public final LongAdder totalWritesProcessed = new LongAdder();
    public final LongAdder clientQueryBufferLimitDisconnections = new LongAdder();
    public final LongAdder clientOutputBufferLimitDisconnections = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();

    /** Highest used_memory seen (INFO used_memory_peak), kept by the cron and INFO. */
    public volatile long peakMemory;

    /** Raises the peak to {@code used} when higher (racy by design: a peak is a moment's figure). */
    public void notePeakMemory(long used) {
        if (used > peakMemory) {
            peakMemory = used;
        }
    }

    /** Instantaneous metrics: sampled by the cron, as Redis' trackInstantaneousMetric. */
    public final InstantaneousMetric opsPerSec = new InstantaneousMetric();
    public final InstantaneousMetric inputKbps = new InstantaneousMetric();
    public final InstantaneousMetric outputKbps = new InstantaneousMetric();

    /** Counts an error reply under its code (the first word: "ERR", "WRONGTYPE" ...). */
    public void recordError(String message) {
        totalErrorReplies.increment();
        int sp = message.indexOf(' ');
        String code = sp < 0 ? message : message.substring(0, sp);
        LongAdder a = errors.get(code);
        if (a == null) {
            if (errors.size() >= MAX_ERROR_CODES) {
                return;
            }
            a = errors.computeIfAbsent(code, k -> new LongAdder());
        }
        a.increment();
    }

    /** Error counts by code, sorted by code. */
    public Map<String, Long> errorCounts() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public void sample(long nowMillis) {
        opsPerSec.sample(nowMillis, totalCommandsProcessed.sum());
        inputKbps.sample(nowMillis, netInputBytes.sum());
        outputKbps.sample(nowMillis, netOutputBytes.sum());
    }

    public void reset() {
        totalCommandsProcessed.reset();
        totalConnectionsReceived.reset();
        rejectedConnections.reset();
        netInputBytes.reset();
        netOutputBytes.reset();
        totalErrorReplies.reset();
        totalReadsProcessed.reset();
        totalWritesProcessed.reset();
        clientQueryBufferLimitDisconnections.reset();
        clientOutputBufferLimitDisconnections.reset();
        errors.clear();
    }

    /** A rate averaged over the last 16 samples, as Redis' STATS_METRIC_SAMPLES. */
    public static final class InstantaneousMetric {
        private static final int SAMPLES = 16;
        private final long[] rates = new long[SAMPLES];
        private int idx;
        private long lastTime;
        private long lastValue;

        synchronized void sample(long nowMillis, long value) {
            long dt = nowMillis - lastTime;
            long dv = value - lastValue;
            long rate = dt > 0 ? dv * 1000 / dt : 0;
            if (lastTime != 0) {
                rates[idx] = Math.max(rate, 0);
                idx = (idx + 1) % SAMPLES;
            }
            lastTime = nowMillis;
            lastValue = value;
        }

        /** Mean of the samples, per second. */
        public synchronized long perSecond() {
            long sum = 0;
            for (long r : rates) {
                sum += r;
            }
            return sum / SAMPLES;
        }
    }
}
