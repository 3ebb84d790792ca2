package io.cachalot.core.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** SLOWLOG: the most recent commands slower than slowlog-log-slower-than, newest first. */
public final class SlowLog {
    /** Redis keeps at most 32 arguments and 128 bytes of each. */
    private static final int MAX_ARGC = 32;
    private static final int MAX_ARG_LEN = 128;

    /** One logged command. */
    public static final class Entry {
        public final long id;
        public final long timestampSeconds;
        public final long durationMicros;
        public final byte[][] args;
        public final String peer;
        public final byte[] clientName;

        Entry(long id, long timestampSeconds, long durationMicros, byte[][] args, String peer, byte[] clientName) {
            this.id = id;
            this.timestampSeconds = timestampSeconds;
            this.durationMicros = durationMicros;
            this.args = args;
            this.peer = peer;
            this.clientName = clientName;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    public synchronized void add(byte[][] argv, int argc, long durationMicros, long nowMillis, String peer,
                                 byte[] clientName, long maxLen) {
        int n = Math.min(argc, MAX_ARGC);
        byte[][] args = new byte[n][];
        for (int i = 0; i < n; i++) {
            if (i == MAX_ARGC - 1 && argc > MAX_ARGC) {
                args[i] = ("... (" + (argc - MAX_ARGC + 1) + " more arguments)").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            } else if (argv[i].length > MAX_ARG_LEN) {
                byte[] suffix = ("... (" + (argv[i].length - MAX_ARG_LEN) + " more bytes)")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                byte[] a = java.util.Arrays.copyOf(argv[i], MAX_ARG_LEN + suffix.length);
                System.arraycopy(suffix, 0, a, MAX_ARG_LEN, suffix.length);
                args[i] = a;
            } else {
                args[i] = argv[i];
            }
        }
        entries.addFirst(new Entry(nextId++, nowMillis / 1000, durationMicros, args, peer,
                clientName == null ? new byte[0] : clientName));
        trim(maxLen);
    }

    public synchronized void trim(long maxLen) {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** Up to {@code count} newest entries ({@code count} &lt; 0: all). */
    public synchronized List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || out.size() < count)) {
            out.add(it.next());
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void reset() {
        entries.clear();
    }
}
