package io.cachalot.core.types.stream;

import java.util.TreeMap;

/** A consumer of a group: its name, when it was last seen, the entries it owns (by id). */
public final class Consumer {
    final byte[] name;
    public long seenTime;
    final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();

    Consumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }

    public byte[] name() {
        return name;
    }

    /** The entries this consumer owns, in id order (read-only to callers). */
    public TreeMap<StreamId, PendingEntry> pending() {
        return pending;
    }
}
