package io.cachalot.core.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LATENCY: per event class ("command", "fast-command", ...), a history of one sample per second
 * (the maximum latency seen that second, in milliseconds) over the last 160 seconds with a
 * spike, plus the all-time maximum, as Redis' latency monitor keeps.
 */
public final class LatencyMonitor {
    private static final int HISTORY = 160;

    /** One event class. */
    public static final class Series {
        final long[] times = new long[HISTORY];
        final long[] latencies = new long[HISTORY];
        int idx;
        public long max;

        /** Samples oldest first, as (unix seconds, milliseconds) pairs. */
        public List<long[]> samples() {
            List<long[]> out = new ArrayList<>();
            for (int i = 0; i < HISTORY; i++) {
                int j = (idx + i) % HISTORY;
                if (times[j] != 0) {
                    out.add(new long[] {times[j], latencies[j]});
                }
            }
            return out;
        }

        /** The newest sample. */
        public long[] latest() {
            int j = (idx + HISTORY - 1) % HISTORY;
            return new long[] {times[j], latencies[j]};
        }
    }

    private final Map<String, Series> events = new LinkedHashMap<>();

    /** Records a latency of {@code millis} for an event at {@code nowSeconds}. */
    public synchronized void add(String event, long nowSeconds, long millis) {
        Series s = events.computeIfAbsent(event, k -> new Series());
        if (millis > s.max) {
            s.max = millis;
        }
        int prev = (s.idx + HISTORY - 1) % HISTORY;
        if (s.times[prev] == nowSeconds) {
            if (millis > s.latencies[prev]) {
                s.latencies[prev] = millis;
            }
            return;
        }
        s.times[s.idx] = nowSeconds;
        s.latencies[s.idx] = millis;
        s.idx = (s.idx + 1) % HISTORY;
    }

    public synchronized Map<String, Series> events() {
        return new LinkedHashMap<>(events);
    }

    public synchronized Series get(String event) {
        return events.get(event);
    }

    /** Resets the given events (all when none); returns how many were reset. */
    public synchronized int reset(List<String> names) {
        if (names.isEmpty()) {
            int n = events.size();
            events.clear();
            return n;
        }
        int n = 0;
        for (String name : names) {
            if (events.remove(name) != null) {
                n++;
            }
        }
        return n;
    }
}
